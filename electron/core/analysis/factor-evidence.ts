/**
 * The evidence about one factor in a drifted run against the baseline, BubbleUp-style: a hit
 * rule from the baseline (a duration above its p99, a measure outside its p1–p99, an error,
 * timeout or fallback event), hit rates on both sides, Cohen's h and a permutation p-value,
 * the matched counterfactual (matched-counterfactual.ts), the hit rate per window with its
 * lagged correlation to the drift, a robust anomaly score, and exemplar traces.
 */
import type { Cause, CauseBasis } from '../../../shared/model/analysis.js';
import { medianAndMad, pearson } from '../stats/descriptive.js';
import { cohensH, permutationPValue } from '../stats/significance.js';
import type { PreparedBaseline } from './compare-samples.js';
import { presentValues, quantilesBySelection } from '../stats/select-quantiles.js';
import type { FactorColumn } from './load-factors.js';
import { matchedCounterfactual } from './matched-counterfactual.js';
import type { Column } from './model-data.js';
import type { Window } from './windows.js';

const MIN_RULE_VALUES = 30;
const MAX_LAG_WINDOWS = 3;

/** A hit rule as data (it crosses to the evidence thread and back): present, above a limit, other than a value, or outside a range. */
export type HitRuleSpec =
  { kind: 'present' } | { kind: 'above'; limit: number } | { kind: 'other-than'; value: number } | { kind: 'outside'; low: number; high: number };

export interface HitRule {
  test: (v: number) => boolean;
  text: string;
  spec: HitRuleSpec;
}

/** The rule's test, from its data. */
export function ruleOf(spec: HitRuleSpec, text: string): HitRule {
  switch (spec.kind) {
    case 'present':
      return { test: (v) => v >= 1, text, spec };
    case 'above':
      return { test: (v) => v > spec.limit, text, spec };
    case 'other-than':
      return { test: (v) => !Number.isNaN(v) && v !== spec.value, text, spec };
    case 'outside':
      return { test: (v) => v > spec.high || v < spec.low, text, spec };
  }
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const withUnit = (x: number, unit: string): string => `${round(x, 1)}${unit ? (unit === '%' || unit === '°C' ? unit : ` ${unit}`) : ''}`;

/** When a request counts as hit by the factor, from the baseline's own values. */
export function hitRule(f: FactorColumn, baselineIdx: Int32Array): HitRule | null {
  if (f.unit === 'count') return ruleOf({ kind: 'present' }, 'present');
  const sample = presentValues(f.values, baselineIdx);
  if (sample.length < MIN_RULE_VALUES) return null;
  const [p1, p99] = quantilesBySelection(sample, [0.01, 0.99]) as [number, number];
  if (f.unit === 'ms' || f.unit === 's' || f.unit === 'µs') return ruleOf({ kind: 'above', limit: p99 }, `> ${withUnit(p99, f.unit)}`);
  if (p1 === p99) return ruleOf({ kind: 'other-than', value: p1 }, `≠ ${withUnit(p1, f.unit)}`);
  return ruleOf({ kind: 'outside', low: p1, high: p99 }, `outside ${round(p1, 3)}–${withUnit(p99, f.unit)}`);
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

/** Modified z-score of `x` against `reference` (Iglewicz and Hoaglin); capped at ±1000. */
export function robustZ(x: number, reference: number[]): number {
  if (reference.length < 2) return 0;
  const { median, mad } = medianAndMad(reference);
  const scale = mad > 0 ? mad : Math.max(Math.abs(median) * 0.01, 1e-3);
  return Math.max(-1000, Math.min(1000, (0.6745 * (x - median)) / scale));
}

export interface EvidenceContext {
  /** Each prediction's trace (for exemplars). */
  traceSeq: Float64Array;
  windows: Window[];
  baselineIdx: Int32Array;
  runIdx: Int32Array;
  /** The primary signal: its column and prepared baseline, and the run's requests it is measured on. */
  primary: { column: Column; baseline: PreparedBaseline; runIdx: Int32Array; label: string };
  /** Drift of the primary signal per window (for the lagged correlation). */
  driftSeries: number[];
  referenceWindows: number[];
  traceIdOf: (traceSeq: number) => string | null;
  /** What a factor's evidence computes from the baseline and the windows alone, kept between attributions of one finding. */
  memo?: EvidenceMemo | undefined;
}

/**
 * A finding is attributed twice when its cause's run is extended (analyze.ts): the baseline
 * and the windows stay, so each factor's hit rule, baseline hits, hit rate per window and
 * baseline p95 are made once (a tenth of an attribution of 1M predictions).
 */
export class EvidenceMemo {
  private readonly byFactor = new Map<FactorColumn, { baselineIdx: Int32Array; windows: Window[]; facts: BaselineFacts | null }>();

  facts(f: FactorColumn, baselineIdx: Int32Array, windows: Window[], make: () => BaselineFacts | null): BaselineFacts | null {
    const kept = this.byFactor.get(f);
    if (kept && kept.baselineIdx === baselineIdx && kept.windows === windows) return kept.facts;
    const facts = make();
    this.byFactor.set(f, { baselineIdx, windows, facts });
    return facts;
  }
}

/**
 * A factor's facts that depend on the baseline and the windows only: the rule and the baseline's
 * hits at once, the hit rate per window and the baseline's p95 when first asked for (only for
 * factors that rose: a 1M-prediction pass each).
 */
class BaselineFacts {
  readonly hitsB: number;
  private series: number[] | undefined;
  private p95: number | null | undefined;

  constructor(
    private readonly f: FactorColumn,
    readonly rule: HitRule,
    private readonly baselineIdx: Int32Array,
    private readonly windows: Window[],
  ) {
    let hitsB = 0;
    for (const i of baselineIdx) if (rule.test(f.values[i]!)) hitsB++;
    this.hitsB = hitsB;
  }

  get hitRateSeries(): number[] {
    return (this.series ??= this.windows.map((w) => {
      let n = 0;
      for (let i = w.from; i < w.to; i++) if (this.rule.test(this.f.values[i]!)) n++;
      return w.to > w.from ? round(n / (w.to - w.from), 4) : 0;
    }));
  }

  /** Null for counts. */
  get baselineP95(): number | null {
    if (this.p95 === undefined)
      this.p95 = this.f.unit !== 'count' ? round(quantilesBySelection(presentValues(this.f.values, this.baselineIdx), [0.95])[0]!, 3) : null;
    return this.p95;
  }
}

function baselineFacts(f: FactorColumn, baselineIdx: Int32Array, windows: Window[]): BaselineFacts | null {
  const rule = hitRule(f, baselineIdx);
  return rule ? new BaselineFacts(f, rule, baselineIdx, windows) : null;
}

/** A factor's evidence, with its hit set in the run (for chains). Null when it did not rise. */
export interface FactorEvidence {
  column: FactorColumn;
  rule: HitRule;
  rawP: number;
  cause: Cause;
  /** The run's requests the factor hit (a set over the run's indices, flat for memory). */
  runHits: RunHits;
}

/** A set of request indices within a run [from, from + bits.length), as bytes. */
export class RunHits {
  /** An empty set over `length` requests from `from`, or the set of `bits` (the evidence thread's answer: `size` of them set). */
  constructor(
    readonly from: number,
    readonly bits: Uint8Array,
    public size = 0,
  ) {}
  add(i: number): void {
    if (this.bits[i - this.from] === 0) {
      this.bits[i - this.from] = 1;
      this.size++;
    }
  }
  has(i: number): boolean {
    return this.bits[i - this.from] === 1;
  }
  /** How many requests both hit (same run). */
  overlap(other: RunHits): number {
    let n = 0;
    const a = this.bits;
    const b = other.bits;
    for (let k = 0; k < a.length; k++) n += a[k]! & b[k]!;
    return n;
  }
  /** The hit indices in order (at most `limit`). */
  list(limit = Infinity): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.bits.length && out.length < limit; k++) if (this.bits[k]) out.push(this.from + k);
    return out;
  }
}

/** A factor's evidence as it crosses between threads: no functions, the column left behind. */
export interface EvidenceReply {
  compared: boolean;
  evidence: { rawP: number; cause: Cause; rule: { spec: HitRuleSpec; text: string }; hits: { from: number; bits: Uint8Array; size: number } } | null;
}

export function toReply(r: { evidence: FactorEvidence | null; compared: boolean }): EvidenceReply {
  const e = r.evidence;
  return {
    compared: r.compared,
    evidence: e && {
      rawP: e.rawP,
      cause: e.cause,
      rule: { spec: e.rule.spec, text: e.rule.text },
      hits: { from: e.runHits.from, bits: e.runHits.bits, size: e.runHits.size },
    },
  };
}

/** The evidence of `column` from its reply. */
export function fromReply(reply: EvidenceReply, column: FactorColumn): { evidence: FactorEvidence | null; compared: boolean } {
  const e = reply.evidence;
  return {
    compared: reply.compared,
    evidence: e && {
      column,
      rawP: e.rawP,
      cause: e.cause,
      rule: ruleOf(e.rule.spec, e.rule.text),
      runHits: new RunHits(e.hits.from, e.hits.bits, e.hits.size),
    },
  };
}

export const MIN_EFFECT_SIZE = 0.2;

export function factorEvidence(f: FactorColumn, ctx: EvidenceContext): { evidence: FactorEvidence | null; compared: boolean } {
  const make = (): BaselineFacts | null => baselineFacts(f, ctx.baselineIdx, ctx.windows);
  const facts = ctx.memo ? ctx.memo.facts(f, ctx.baselineIdx, ctx.windows, make) : make();
  if (!facts) return { evidence: null, compared: false };
  const { rule, hitsB } = facts;
  // Runs are contiguous index ranges (predictions sorted by time, a run is a span of them).
  const from = ctx.runIdx.length ? ctx.runIdx[0]! : 0;
  const runHits = new RunHits(from, new Uint8Array(ctx.runIdx.length ? ctx.runIdx[ctx.runIdx.length - 1]! - from + 1 : 0));
  for (const i of ctx.runIdx) if (rule.test(f.values[i]!)) runHits.add(i);
  const rateB = hitsB / Math.max(ctx.baselineIdx.length, 1);
  const rateR = runHits.size / Math.max(ctx.runIdx.length, 1);
  const effect = cohensH(rateR, rateB);
  if (rateR <= rateB || effect < MIN_EFFECT_SIZE) return { evidence: null, compared: true };
  const rawP = permutationPValue(runHits.size, ctx.runIdx.length, hitsB, ctx.baselineIdx.length, 999, seedOf(f.factor));
  const cf = matchedCounterfactual(ctx.primary.column, ctx.primary.baseline, ctx.primary.runIdx, (i) => runHits.has(i));
  const hitRateSeries = facts.hitRateSeries;
  const lag = bestLag(hitRateSeries, ctx.driftSeries);
  const anomalyScore = robustZ(
    rateR,
    ctx.referenceWindows.map((k) => hitRateSeries[k]!),
  );
  const numeric = f.unit !== 'count';
  const basis: CauseBasis = f.basis;
  return {
    compared: true,
    evidence: {
      column: f,
      rule,
      rawP,
      runHits,
      cause: {
        kind: f.kind,
        factor: f.factor,
        basis,
        role: 'cause',
        effectSize: round(effect),
        pValue: rawP,
        explainedShare: round(cf.share),
        exemplarTraceIds: exemplars(ctx, f, f.unit === 'count' ? runHits.list(200) : largest(runHits, f.values, 50)),
        chain: [],
        evidence: {
          hitRateWindow: round(rateR, 4),
          hitRateBaseline: round(rateB, 4),
          hitRule: rule.text,
          baselineP95: facts.baselineP95,
          windowP95: numeric ? round(quantilesBySelection(presentValues(f.values, ctx.runIdx), [0.95])[0]!, 3) : null,
          unit: f.unit,
          driftBefore: round(cf.driftBefore, 4),
          driftAfter: round(cf.driftAfter, 4),
          primarySignal: ctx.primary.label,
          lagWindows: lag.lag,
          lagCorrelation: round(lag.r),
          anomalyScore: round(anomalyScore, 2),
          counterfactualCheckable: cf.checkable,
          matchedFraction: round(cf.matchedFraction, 3),
          hitRateSeries,
        },
      },
    },
  };
}

/** The `k` hit requests with the largest values, largest first (one pass, no full sort). */
function largest(hits: RunHits, values: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (const i of hits.list()) {
    if (top.length === k && values[i]! <= values[top[k - 1]!]!) continue;
    let at = top.length;
    while (at > 0 && values[top[at - 1]!]! < values[i]!) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}

/** Up to five traces among `hitIdx`, the most extreme first for measures. */
export function exemplars(ctx: EvidenceContext, f: FactorColumn, hitIdx: number[]): string[] {
  if (f.unit !== 'count') hitIdx.sort((a, b) => f.values[b]! - f.values[a]!);
  const out: string[] = [];
  const seen = new Set<number>();
  for (const i of hitIdx) {
    const seq = ctx.traceSeq[i]!;
    if (seen.has(seq)) continue;
    seen.add(seq);
    const id = ctx.traceIdOf(seq);
    if (id) out.push(id);
    if (out.length >= 5) break;
  }
  return out;
}
