/**
 * Compares a column between two sets of predictions (baseline and window, given as index
 * lists) with the test the field uses for the column's type and the baseline's size, and
 * measures the drift's magnitude on one scale for counterfactuals (normalised Wasserstein
 * for numbers, Jensen-Shannon distance for categories).
 */
import type { AnalysisSettings, DriftTest } from '../../../shared/model/analysis.js';
import {
  binCounts,
  chiSquareTwoSample,
  jensenShannonDistance,
  ksTwoSample,
  populationStabilityIndex,
  prefixSums,
  quantileBinEdges,
  wasserstein1,
  wasserstein1Prefixed,
  wassersteinInBaselineUnits,
} from '../stats/distribution-tests.js';
import { standardDeviation } from '../stats/descriptive.js';
import { presentValues } from '../stats/select-quantiles.js';
import { sortFloat64 } from '../stats/radix-sort.js';
import type { Column } from './model-data.js';

export interface Comparison {
  test: DriftTest;
  statistic: number;
  /** Raw p-value for KS and chi-square; null for distances. */
  pValue: number | null;
  psi: number;
  magnitude: number;
  baselineCount: number;
  windowCount: number;
  /** point_mass: Cohen's h between the window's and the baseline's share of the value (0 … π), held to the distance threshold. */
  effect?: number;
}

/** The values at `indices` that are present (not NaN), sorted. */
export function numericSample(values: Float64Array, indices: ArrayLike<number>): Float64Array {
  return sortFloat64(presentValues(values, indices));
}

export function countsOf(values: Int32Array, categories: number, indices: ArrayLike<number>): number[] {
  const counts = new Array<number>(categories).fill(0);
  for (let i = 0; i < indices.length; i++) {
    const c = values[indices[i]!]!;
    if (c >= 0) counts[c]!++;
  }
  return counts;
}

/**
 * A baseline prepared once per column and reused for every window: sorted values with their
 * standard deviation and PSI bins (a window then costs its own sort plus one merge), or
 * category counts.
 */
export type PreparedBaseline =
  | { type: 'numeric'; sorted: Float64Array; sd: number; psiEdges: number[]; psiCounts: number[]; prefix: Float64Array }
  | { type: 'categorical'; counts: number[] };

export function prepareBaseline(column: Column, indices: ArrayLike<number>): PreparedBaseline {
  if (column.type === 'categorical') return { type: 'categorical', counts: countsOf(column.values, column.categories.length, indices) };
  return baselineFromSorted(numericSample(column.values, indices));
}

/** A numeric baseline from values sorted already (NaN left out), as prepareBaseline makes it. */
export function baselineFromSorted(sorted: Float64Array): PreparedBaseline {
  const psiEdges = quantileBinEdges(sorted, 10);
  return { type: 'numeric', sorted, sd: standardDeviation(sorted), psiEdges, psiCounts: binCounts(sorted, psiEdges), prefix: prefixSums(sorted) };
}

/** Sorted arrays merged into one sorted array (pairwise, so k parts cost n·log k). */
export function mergeSorted(parts: Float64Array[]): Float64Array {
  if (parts.length === 0) return new Float64Array(0);
  let level = parts;
  while (level.length > 1) {
    const next: Float64Array[] = [];
    for (let p = 0; p < level.length; p += 2) {
      const a = level[p]!;
      const b = level[p + 1];
      if (!b) {
        next.push(a);
        continue;
      }
      const out = new Float64Array(a.length + b.length);
      let i = 0;
      let j = 0;
      let k = 0;
      while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
      while (i < a.length) out[k++] = a[i++]!;
      while (j < b.length) out[k++] = b[j++]!;
      next.push(out);
    }
    level = next;
  }
  return level[0]!;
}

/**
 * The values of `all` less those of `part`, both sorted, `part` drawn from `all` (a multiset
 * difference in one pass): a sample without one of its windows, sorted, without sorting it again.
 */
export function sortedWithout(all: Float64Array, part: Float64Array): Float64Array {
  const out = new Float64Array(all.length);
  let j = 0;
  let k = 0;
  for (let i = 0; i < all.length; i++) {
    const v = all[i]!;
    while (j < part.length && part[j]! < v) j++; // not in `all` (never, when part is drawn from it)
    if (j < part.length && part[j] === v) j++;
    else out[k++] = v;
  }
  return out.subarray(0, k);
}

function normalizedW1(baseline: { sorted: Float64Array; sd: number; prefix: Float64Array }, window: Float64Array): number {
  if (window.length === 0) return 0;
  // A window much smaller than its baseline: by the baseline's prefix sums, not a walk over it.
  const w1 =
    window.length * 16 < baseline.sorted.length ? wasserstein1Prefixed(baseline.sorted, baseline.prefix, window) : wasserstein1(baseline.sorted, window);
  return wassersteinInBaselineUnits(w1, baseline.sd, baseline.sorted);
}

export function baselineSize(b: PreparedBaseline): number {
  return b.type === 'numeric' ? b.sorted.length : b.counts.reduce((s, c) => s + c, 0);
}

/** Magnitude only (for counterfactuals and timelines). */
export function driftMagnitude(column: Column, baseline: PreparedBaseline, windowIdx: ArrayLike<number>): { magnitude: number; n: number } {
  if (column.type === 'numeric' && baseline.type === 'numeric') {
    const w = numericSample(column.values, windowIdx);
    return { magnitude: normalizedW1(baseline, w), n: w.length };
  }
  if (column.type === 'categorical' && baseline.type === 'categorical') {
    const counts = countsOf(column.values, column.categories.length, windowIdx);
    return { magnitude: jensenShannonDistance(baseline.counts, counts), n: counts.reduce((s, c) => s + c, 0) };
  }
  throw new Error('column and baseline types differ');
}

/**
 * A value piling up: the window's most frequent exact value, when it holds at least 5% of the
 * window, against its share in the baseline (one-sided binomial tail, Poisson-approximated for
 * rare values, times the number of distinct values it was picked from). Defaults and fallbacks do this: 15% of requests at user_ctr = 0 barely moves a
 * distance, but a point mass 40 times more frequent than in the baseline is unmistakable.
 */
/** How much more of a window (as a share) a value must hold than of the baseline to be a pile-up. */
const PILE_UP_EXCESS = 0.05;

export function pointMass(
  baseline: PreparedBaseline,
  window: Float64Array,
): { value: number; windowShare: number; baselineShare: number; pValue: number; cohensH: number } | null {
  if (baseline.type !== 'numeric' || window.length < 30 || baseline.sorted.length < 30) return null;
  let best = { value: NaN, count: 0 };
  let distinct = 0;
  for (let i = 0; i < window.length;) {
    let j = i + 1;
    while (j < window.length && window[j] === window[i]) j++;
    if (j - i > best.count) best = { value: window[i]!, count: j - i };
    distinct++;
    i = j;
  }
  const n = window.length;
  if (best.count < Math.max(5, 0.05 * n)) return null;
  const b = baseline.sorted;
  const inBaseline = upperBound(b, best.value) - lowerBoundOf(b, best.value);
  const p0 = Math.max(inBaseline, 0.5) / b.length;
  const windowShare = best.count / n;
  const baselineShare = inBaseline / b.length;
  // A pile-up holds clearly more of the window than before (defaults, fallbacks): in discrete
  // data (token counts) some value is always a little more frequent by chance.
  if (windowShare - baselineShare < PILE_UP_EXCESS) return null;
  // The value tested is the most frequent of `distinct` candidates: Bonferroni over them, or
  // integer data (token counts) would show a chance pile-up in some window.
  const pValue = Math.min(1, binomialUpperTail(best.count, n, p0) * distinct);
  return { value: best.value, windowShare, baselineShare, pValue, cohensH: cohensH(windowShare, baselineShare) };
}

/**
 * Cohen's h, the standardised difference of two proportions (2·asin√p₁ − 2·asin√p₂, 0 … π):
 * what a point mass must reach beside its significance, as the distances must reach the
 * distance threshold, so a tiny but significant pile-up in a huge sample is not drift.
 */
export function cohensH(p1: number, p2: number): number {
  return Math.abs(2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2)));
}

function lowerBoundOf(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space (exact for the sizes of a window). */
function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (p >= 1) return 1;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  // log C(n, k) built up term by term from k = 0.
  let logC = 0;
  for (let i = 1; i <= k; i++) logC += Math.log((n - i + 1) / i);
  let term = logC + k * logP + (n - k) * logQ;
  let sum = 0;
  for (let i = k; i <= n; i++) {
    sum += Math.exp(term);
    term += Math.log((n - i) / (i + 1)) + logP - logQ;
    if (term < -745) break;
  }
  return Math.min(1, sum);
}

/** `windowSample`: the window's sorted values when the caller has them already (numericSample of the same indexes). */
export function compareWithBaseline(
  column: Column,
  baseline: PreparedBaseline,
  windowIdx: ArrayLike<number>,
  settings: AnalysisSettings,
  windowSample?: Float64Array,
): Comparison {
  const large = baselineSize(baseline) > settings.largeBaseline;
  if (column.type === 'numeric' && baseline.type === 'numeric') {
    const w = windowSample ?? numericSample(column.values, windowIdx);
    const magnitude = normalizedW1(baseline, w);
    const psi = w.length ? populationStabilityIndex(baseline.psiCounts, binCounts(w, baseline.psiEdges)) : 0;
    if (large) return { test: 'wasserstein', statistic: magnitude, pValue: null, psi, magnitude, baselineCount: baseline.sorted.length, windowCount: w.length };
    const ks = ksTwoSample(baseline.sorted, w);
    return { test: 'ks', statistic: ks.statistic, pValue: ks.pValue, psi, magnitude, baselineCount: baseline.sorted.length, windowCount: w.length };
  }
  if (column.type === 'categorical' && baseline.type === 'categorical') {
    const counts = countsOf(column.values, column.categories.length, windowIdx);
    const magnitude = jensenShannonDistance(baseline.counts, counts);
    const psi = populationStabilityIndex(baseline.counts, counts);
    const bn = baseline.counts.reduce((s, c) => s + c, 0);
    const wn = counts.reduce((s, c) => s + c, 0);
    if (large) return { test: 'jensen_shannon', statistic: magnitude, pValue: null, psi, magnitude, baselineCount: bn, windowCount: wn };
    const chi = chiSquareTwoSample(baseline.counts, counts);
    return { test: 'chi_square', statistic: chi.statistic, pValue: chi.pValue, psi, magnitude, baselineCount: bn, windowCount: wn };
  }
  throw new Error('column and baseline types differ');
}
