/**
 * Attribution: the drifted run's requests against the baseline's on every factor
 * (factor-evidence.ts), plus one factor per model version served more than before (a fallback
 * model is a mechanism to explain, not a footnote). A factor counts when its hits became more
 * frequent (Cohen's h ≥ 0.2, permutation p-value Benjamini-Hochberg adjusted over every factor
 * compared < alpha); whether it explains the drift is the matched counterfactual's answer;
 * cause-chains.ts links mechanisms to their roots and ranks them.
 */
import type { AnalysisSettings, Cause } from '../../../shared/model/analysis.js';
import { benjaminiHochberg, cohensH } from '../stats/significance.js';
import { countsOf, driftMagnitude, prepareBaseline } from './compare-samples.js';
import type { SignalDef } from './detect-drift.js';
import { EvidenceMemo, factorEvidence, fromReply, round, type EvidenceContext, type EvidenceReply, type FactorEvidence } from './factor-evidence.js';
import type { FactorColumn } from './load-factors.js';
import type { ModelData } from './model-data.js';
import { rankCauses, VERSION_FACTOR_PREFIX } from './cause-chains.js';
import { NoiseThresholds } from './noise-threshold.js';

/** Fraction of the noise floor (noise-threshold.ts) a run's drift must reach for causes to be claimed. */
const NOISE_GUARD = 0.5;
import { windowIndices, type Window } from './windows.js';

export { MIN_EXPLAINED_SHARE } from './cause-chains.js';
export { MIN_EFFECT_SIZE } from './factor-evidence.js';

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
  /** The baseline's windows: their hit rates are the anomaly score's reference. */
  referenceWindows: number[];
  /** Kept between the attributions of one finding. */
  memo?: AttributionMemo | undefined;
  /** A signal's drift per window as the window tests measured it (window index → magnitude), reused when that signal is the primary. */
  testedDrift?: { def: SignalDef; byWindow: Map<number, number> } | undefined;
}

/**
 * What an attribution computes from the baseline and the windows alone, kept between the
 * attributions of one finding (analyze.ts attributes a run again once its cause has extended
 * it): the primary signal's drift per window, and each factor's baseline facts.
 */
export class AttributionMemo {
  readonly evidence = new EvidenceMemo();
  private drift: { primary: SignalDef; windows: Window[]; series: number[] } | undefined;

  /** `primary`'s drift per window, made by `make` unless made for the same signal and windows. */
  driftSeries(primary: SignalDef, windows: Window[], make: () => number[]): number[] {
    if (this.drift?.primary !== primary || this.drift.windows !== windows) this.drift = { primary, windows, series: make() };
    return this.drift.series;
  }
}

export interface Attribution {
  /** Roots (ranked causes, each with its chain), then the mechanisms of their chains. */
  causes: Cause[];
  /** Every factor more frequent in the selection than in the baseline, by effect size (the BubbleUp view). */
  candidates: Cause[];
  /** Rose with the drift but could not be checked request by request. */
  context: Cause[];
  /** Rose at the same time but explain nothing. */
  coincident: Cause[];
  compared: number;
  /**
   * The top root cause's hit test and its baseline hit rate (for following it in time), or null.
   * `timeMatched`: a host metric matched by time, whose requests are not independent (every
   * request of a host in one sampling interval gets the same point), so hit rates per window
   * overstate their certainty.
   */
  root: { hit: (i: number) => boolean; baselineRate: number; timeMatched: boolean } | null;
}

/** One yes/no factor per version served clearly more in the run than in the baseline. */
export function versionFactors(data: ModelData, baselineIdx: Int32Array, runIdx: Int32Array): FactorColumn[] {
  const k = data.version.categories.length;
  if (k < 2) return [];
  const base = countsOf(data.version.values, k, baselineIdx);
  const run = countsOf(data.version.values, k, runIdx);
  const out: FactorColumn[] = [];
  data.version.categories.forEach((name, v) => {
    const rateB = base[v]! / Math.max(baselineIdx.length, 1);
    const rateR = run[v]! / Math.max(runIdx.length, 1);
    if (rateR <= rateB || cohensH(rateR, rateB) < 0.2) return;
    out.push({
      kind: 'other',
      factor: `${VERSION_FACTOR_PREFIX}${name}`,
      unit: 'count',
      basis: 'per-request',
      values: Float64Array.from(data.version.values, (x) => (x === v ? 1 : 0)),
    });
  });
  return out;
}

/**
 * For a point-mass signal ("mass:feature:user_ctr"), the question is how many requests sit at
 * that one value, not where the distribution moved: the primary becomes the indicator "is at
 * the run's most frequent value", whose drift is the excess share.
 */
export function massPrimary(def: SignalDef, runIdx: Int32Array): SignalDef {
  if (!def.signal.startsWith('mass:') || def.column.type !== 'numeric') return def;
  const values = def.column.values;
  const counts = new Map<number, number>();
  for (const i of runIdx) {
    const v = values[i]!;
    if (!Number.isNaN(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let mode = NaN;
  let best = 0;
  for (const [v, c] of counts) {
    if (c > best) {
      best = c;
      mode = v;
    }
  }
  // Two categories, so the magnitude is a Jensen-Shannon distance: finite even when the
  // baseline never had the value.
  const column = {
    type: 'categorical' as const,
    values: Int32Array.from(values, (v) => (Number.isNaN(v) ? -1 : v === mode ? 1 : 0)),
    categories: ['other', String(mode)],
  };
  return { ...def, column, baseline: prepareBaseline(column, def.baselineIdx) };
}

/** What every factor's evidence is measured against, made once per attribution. */
interface Prepared {
  primary: SignalDef;
  label: string;
  ctx: EvidenceContext;
  /** The input's factors, then one per version served more than before. */
  factors: FactorColumn[];
}

function prepare(input: AttributionInput): Prepared {
  const { data, baselineIdx, runIdx } = input;
  const primary = massPrimary(input.primary, runIdx);
  const onVersion = (idx: Int32Array): Int32Array => (primary.versionIndex < 0 ? idx : idx.filter((i) => data.version.values[i] === primary.versionIndex));
  const label = primary.version ? `${primary.signal} (${primary.version})` : primary.signal;
  // The window tests measured the same distance for the windows they tested (the same sample against the same baseline).
  const tested = input.testedDrift?.def === primary ? input.testedDrift.byWindow : undefined;
  const driftPerWindow = (): number[] =>
    input.windows.map((w) => tested?.get(w.index) ?? driftMagnitude(primary.column, primary.baseline, onVersion(windowIndices(w))).magnitude);
  const ctx: EvidenceContext = {
    traceSeq: data.traceSeq,
    windows: input.windows,
    baselineIdx,
    runIdx,
    primary: { column: primary.column, baseline: primary.baseline, runIdx: onVersion(runIdx), label },
    driftSeries: input.memo ? input.memo.driftSeries(primary, input.windows, driftPerWindow) : driftPerWindow(),
    referenceWindows: input.referenceWindows,
    traceIdOf: input.traceIdOf,
    memo: input.memo?.evidence,
  };
  // A version's own drift is explained within that version: which version served it is then no factor.
  const factors = primary.versionIndex < 0 ? [...input.factors, ...versionFactors(data, baselineIdx, runIdx)] : input.factors;
  return { primary, label, ctx, factors };
}

export function attributeCauses(input: AttributionInput): Attribution {
  const prepared = prepare(input);
  return conclude(
    input,
    prepared,
    prepared.factors.map((f) => factorEvidence(f, prepared.ctx)),
  );
}

/** What the evidence thread is asked: the factors and everything their evidence is measured against (typed arrays over shared memory cross without a copy). */
export type EvidenceRequest = Omit<EvidenceContext, 'traceIdOf' | 'memo'> & { factors: FactorColumn[] };
/** Answers an EvidenceRequest on another thread, one reply per factor in its order (quality-thread.ts); null when the thread is not worth it for this model. */
export type EvidenceSource = (request: EvidenceRequest) => Promise<EvidenceReply[]> | null;

/**
 * The same attribution with every other factor of the input measured on another thread
 * (its replies are what factorEvidence gives there, so the answer is the one attributeCauses
 * gives): the attribution's factors are independent, and in the app the second core is free
 * once the ground truth is joined.
 */
export async function attributeCausesOnTwoThreads(input: AttributionInput, evidence: EvidenceSource): Promise<Attribution> {
  const prepared = prepare(input);
  const { ctx, factors } = prepared;
  const remote = (k: number): boolean => k < input.factors.length && k % 2 === 1;
  const { traceIdOf: _traceIdOf, memo: _memo, ...measuredAgainst } = ctx;
  const sent = factors.filter((_, k) => remote(k));
  const pending = sent.length ? evidence({ ...measuredAgainst, factors: sent }) : null;
  pending?.catch(() => {}); // awaited below, unless a factor here fails first
  const here = factors.map((f, k) => (pending && remote(k) ? null : factorEvidence(f, ctx)));
  let replies: EvidenceReply[] | null = null;
  try {
    replies = pending && (await pending);
  } catch {
    replies = null; // the thread failed (it crashed, or could not open the store): measured here instead, to the same answer
  }
  let next = 0;
  return conclude(
    input,
    prepared,
    factors.map((f, k) => here[k] ?? (replies ? fromReply(replies[next++]!, f) : factorEvidence(f, ctx))),
  );
}

/** The ranked causes from each factor's evidence, in the factors' order. */
function conclude(input: AttributionInput, prepared: Prepared, results: { evidence: FactorEvidence | null; compared: boolean }[]): Attribution {
  const { settings } = input;
  const { primary, label, ctx } = prepared;
  const rising: FactorEvidence[] = [];
  let compared = 0;
  for (const r of results) {
    if (r.compared) compared++;
    if (r.evidence) rising.push(r.evidence);
  }
  // Adjust over every factor compared, not only those that rose.
  const adjusted = benjaminiHochberg([...rising.map((e) => e.rawP), ...new Array<number>(Math.max(0, compared - rising.length)).fill(1)]);
  rising.forEach((e, k) => (e.cause = { ...e.cause, pValue: round(adjusted[k]!, 4) }));
  const significant = rising.filter((e) => e.cause.pValue < settings.alpha);
  // A run that drifted less than half of what two samples of the baseline show at this size
  // has nothing to explain: shares there are noise over noise, and no cause is claimed.
  const driftOfRun = driftMagnitude(primary.column, primary.baseline, ctx.primary.runIdx).magnitude;
  const noiseFloor = new NoiseThresholds(settings).threshold(primary, ctx.primary.runIdx.length);
  if (driftOfRun < NOISE_GUARD * noiseFloor) for (const e of significant) e.cause = { ...e.cause, explainedShare: 0 };
  const ranked = rankCauses(significant, label);
  const top = ranked.causes[0];
  const topEvidence = top?.role === 'root' ? significant.find((e) => e.column.factor === top.factor) : undefined;
  const root = topEvidence
    ? {
        hit: (i: number) => topEvidence.rule.test(topEvidence.column.values[i]!),
        baselineRate: topEvidence.cause.evidence.hitRateBaseline,
        timeMatched: topEvidence.column.basis === 'time-matched',
      }
    : null;
  return { ...ranked, candidates: rising.map((e) => e.cause).sort((a, b) => b.effectSize - a.effectSize), compared, root };
}
