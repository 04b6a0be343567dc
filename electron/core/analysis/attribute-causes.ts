/**
 * Attribution, BubbleUp-style: the drifted window's requests against the baseline's, on
 * every infrastructure factor. A request is "hit" by a factor when the factor shows
 * something the baseline rarely does (a duration above the baseline's p99, a measure outside
 * its p1–p99, an error, timeout or fallback event). A factor is a cause when
 *  1. hits are more frequent in the window (Cohen's h ≥ 0.2; permutation p-value,
 *     Benjamini-Hochberg adjusted over all factors, < alpha), and
 *  2. the counterfactual holds: leaving the hit requests out removes at least a fifth of
 *     the drift (explainedShare).
 * Each carries a robust anomaly score (median and MAD of the baseline windows' hit rates),
 * which breaks ties in the ranking. Causes are ranked by explained share; infrastructure kinds win over symptoms (errors,
 * fallback events, hosts) when the evidence is otherwise equal, because a slow disk
 * explains a fallback event, not the other way round.
 */
import type { AnalysisSettings, Cause } from '../../../shared/model/analysis.js';
import type { FactorKind } from '../../../shared/model/factor-kinds.js';
import { medianAndMad, pearson, quantileSorted } from '../../../shared/stats/descriptive.js';
import { benjaminiHochberg, cohensH, permutationPValue } from '../../../shared/stats/significance.js';
import { driftMagnitude, numericSample, prepareBaseline } from './compare-samples.js';
import type { SignalDef } from './detect-drift.js';
import type { FactorColumn } from './load-factors.js';
import type { ModelData } from './model-data.js';
import type { Window } from './windows.js';

export const MIN_EFFECT_SIZE = 0.2;
export const MIN_EXPLAINED_SHARE = 0.2;
const MIN_REMAINING = 30;
const MAX_LAG_WINDOWS = 3;
const KIND_WEIGHT: Record<FactorKind, number> = { storage: 1, gpu: 1, network: 1, queue: 1, error: 0.9, other: 0.8 };

interface HitRule {
  test: (v: number) => boolean;
  text: string;
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function hitRule(f: FactorColumn, baselineIdx: Int32Array): HitRule | null {
  if (f.unit === 'count') return { test: (v) => v >= 1, text: 'present' };
  const sorted = numericSample(f.values, baselineIdx);
  if (sorted.length < MIN_REMAINING) return null;
  const p99 = quantileSorted(sorted, 0.99);
  if (f.unit === 'ms') return { test: (v) => v > p99, text: `> ${round(p99, 1)} ms` };
  const p1 = quantileSorted(sorted, 0.01);
  if (p1 === p99) return { test: (v) => !Number.isNaN(v) && v !== p1, text: `≠ ${round(p1)}` };
  return { test: (v) => v > p99 || v < p1, text: `outside ${round(p1)}–${round(p99)}` };
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function bestLag(factorSeries: number[], driftSeries: number[]): { lag: number; r: number } {
  let best = { lag: 0, r: 0 };
  for (let lag = -MAX_LAG_WINDOWS; lag <= MAX_LAG_WINDOWS; lag++) {
    const x: number[] = [];
    const y: number[] = [];
    for (let t = 0; t < factorSeries.length; t++) {
      const u = t + lag;
      if (u < 0 || u >= driftSeries.length) continue;
      x.push(factorSeries[t]!);
      y.push(driftSeries[u]!);
    }
    const r = pearson(x, y);
    if (Number.isFinite(r) && Math.abs(r) > Math.abs(best.r) + 1e-9) best = { lag, r };
  }
  return best;
}

export interface AttributionInput {
  data: ModelData;
  windows: Window[];
  /** Pooled baseline and drifted-run prediction indices. */
  baselineIdx: Int32Array;
  runIdx: Int32Array;
  primary: SignalDef;
  factors: FactorColumn[];
  settings: AnalysisSettings;
  traceIdOf: (traceSeq: number) => string | null;
  /** End of the baseline (ms): windows before it give the anomaly score its reference. */
  baselineEndMs: number;
}

/** Modified z-score of `x` against `reference` (Iglewicz and Hoaglin); capped at ±1000. */
function robustZ(x: number, reference: number[]): number {
  if (reference.length < 2) return 0;
  const { median, mad } = medianAndMad(reference);
  const scale = mad > 0 ? mad : Math.max(Math.abs(median) * 0.01, 1e-3);
  return Math.max(-1000, Math.min(1000, (0.6745 * (x - median)) / scale));
}

export interface Attribution {
  /** Accepted causes, best first. */
  causes: Cause[];
  /** Every factor more frequent in the selection than in the baseline, by effect size (the BubbleUp view). */
  candidates: Cause[];
  /** Significant factors whose counterfactual could not be checked (they hit nearly every request). */
  context: Cause[];
  compared: number;
}

export function attributeCauses(input: AttributionInput): Attribution {
  const { data, primary, baselineIdx, runIdx, settings } = input;
  const onVersion = (idx: Int32Array): Int32Array => (primary.versionIndex < 0 ? idx : idx.filter((i) => data.version.values[i] === primary.versionIndex));
  const primaryRun = onVersion(runIdx);
  const driftBefore = driftMagnitude(primary.column, primary.baseline, primaryRun).magnitude;
  const driftSeries = input.windows.map((w) => driftMagnitude(primary.column, primary.baseline, onVersion(Int32Array.from({ length: w.to - w.from }, (_, i) => w.from + i))).magnitude);
  const candidates: { cause: Cause; rawP: number }[] = [];
  let compared = 0;
  for (const f of input.factors) {
    const rule = hitRule(f, baselineIdx);
    if (!rule) continue;
    compared++;
    let hitsB = 0;
    for (const i of baselineIdx) if (rule.test(f.values[i]!)) hitsB++;
    let hitsR = 0;
    for (const i of runIdx) if (rule.test(f.values[i]!)) hitsR++;
    const rateB = hitsB / Math.max(baselineIdx.length, 1);
    const rateR = hitsR / Math.max(runIdx.length, 1);
    const effect = cohensH(rateR, rateB);
    if (rateR <= rateB || effect < MIN_EFFECT_SIZE) continue;
    const rawP = permutationPValue(hitsR, runIdx.length, hitsB, baselineIdx.length, 999, seedOf(f.factor));
    // Counterfactual: the same comparison without the requests the factor hit, on both sides.
    const keptRun = primaryRun.filter((i) => !rule.test(f.values[i]!));
    const keptBase = primary.baselineIdx.filter((i) => !rule.test(f.values[i]!));
    let driftAfter = driftBefore;
    const checkable = keptRun.length >= MIN_REMAINING && keptBase.length >= MIN_REMAINING;
    if (checkable) {
      driftAfter = driftMagnitude(primary.column, prepareBaseline(primary.column, keptBase), keptRun).magnitude;
    }
    const share = driftBefore > 0 ? Math.min(1, Math.max(0, (driftBefore - driftAfter) / driftBefore)) : 0;
    const hitRateSeries = input.windows.map((w) => {
      let hits = 0;
      for (let i = w.from; i < w.to; i++) if (rule.test(f.values[i]!)) hits++;
      return w.to > w.from ? round(hits / (w.to - w.from), 4) : 0;
    });
    const lag = bestLag(hitRateSeries, driftSeries);
    const anomalyScore = robustZ(
      rateR,
      input.windows.filter((w) => w.endMs <= input.baselineEndMs).map((w) => hitRateSeries[w.index]!),
    );
    const numeric = f.unit !== 'count';
    const hitIdx = Array.from(runIdx).filter((i) => rule.test(f.values[i]!));
    if (numeric) hitIdx.sort((a, b) => f.values[b]! - f.values[a]!);
    const exemplarTraceIds: string[] = [];
    const seenSeq = new Set<number>();
    for (const i of hitIdx) {
      const seq = data.traceSeq[i]!;
      if (seenSeq.has(seq)) continue;
      seenSeq.add(seq);
      const id = input.traceIdOf(seq);
      if (id) exemplarTraceIds.push(id);
      if (exemplarTraceIds.length >= 5) break;
    }
    candidates.push({
      rawP,
      cause: {
        kind: f.kind,
        factor: f.factor,
        effectSize: round(effect),
        pValue: rawP,
        explainedShare: round(share),
        exemplarTraceIds,
        evidence: {
          hitRateWindow: round(rateR, 4),
          hitRateBaseline: round(rateB, 4),
          hitRule: rule.text,
          baselineP95: numeric ? round(quantileSorted(numericSample(f.values, baselineIdx), 0.95), 3) : null,
          windowP95: numeric ? round(quantileSorted(numericSample(f.values, runIdx), 0.95), 3) : null,
          unit: f.unit,
          driftBefore: round(driftBefore, 4),
          driftAfter: round(driftAfter, 4),
          primarySignal: primary.version ? `${primary.signal} (${primary.version})` : primary.signal,
          lagWindows: lag.lag,
          lagCorrelation: round(lag.r),
          anomalyScore: round(anomalyScore, 2),
          counterfactualCheckable: checkable,
          hitRateSeries,
        },
      },
    });
  }
  // Adjust over every factor compared, not only the candidates that got this far.
  const adjusted = benjaminiHochberg([...candidates.map((c) => c.rawP), ...new Array<number>(Math.max(0, compared - candidates.length)).fill(1)]);
  const all = candidates.map((c, k) => ({ ...c.cause, pValue: round(adjusted[k]!, 4) }));
  const causes = all
    .filter((c) => c.pValue < settings.alpha && c.explainedShare >= MIN_EXPLAINED_SHARE)
    .sort((a, b) => b.explainedShare * KIND_WEIGHT[b.kind] - a.explainedShare * KIND_WEIGHT[a.kind] || b.evidence.anomalyScore - a.evidence.anomalyScore || b.effectSize - a.effectSize);
  const context = all.filter((c) => c.pValue < settings.alpha && !c.evidence.counterfactualCheckable).sort((a, b) => b.effectSize - a.effectSize);
  return { causes, candidates: [...all].sort((a, b) => b.effectSize - a.effectSize), context, compared };
}
