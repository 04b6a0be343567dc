/**
 * Two-sample tests and distances for drift, with the defaults the field uses (Evidently,
 * NannyML): KS and chi-square give p-values for small samples; normalised Wasserstein and
 * Jensen-Shannon distance give sample-size-free magnitudes for large ones; PSI is the
 * banking industry's figure (0.1 / 0.25 bands). Numeric inputs must be sorted ascending.
 */
import { chiSquareSurvival, kolmogorovSurvival } from './special-functions.js';
import { quantileSorted } from '../../../shared/stats/descriptive.js';
import { standardDeviation } from './descriptive.js';

export interface TestResult {
  statistic: number;
  pValue: number;
}

/** Two-sample Kolmogorov-Smirnov: D = sup |F_a − F_b|, p from the Kolmogorov tail with Stephens' small-sample correction. */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): TestResult {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return { statistic: 0, pValue: 1 };
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < n && a[i]! <= x) i++;
    while (j < m && b[j]! <= x) j++;
    const diff = Math.abs(i / n - j / m);
    if (diff > d) d = diff;
  }
  const en = Math.sqrt((n * m) / (n + m));
  return { statistic: d, pValue: kolmogorovSurvival((en + 0.12 + 0.11 / en) * d) };
}

/** 1-Wasserstein (earth mover's) distance between two empirical distributions (scipy.stats.wasserstein_distance). */
export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return 0;
  // Integrate |F_a − F_b| over the merged support: while both have values, then the rest of
  // whichever has (the same steps in the same order as one loop testing both ends each time,
  // which ran a quarter slower).
  let i = 0;
  let j = 0;
  let total = 0;
  let prev = Math.min(a[0]!, b[0]!);
  while (i < n && j < m) {
    const ai = a[i]!;
    const bj = b[j]!;
    const x = ai <= bj ? ai : bj;
    total += Math.abs(i / n - j / m) * (x - prev);
    prev = x;
    if (ai === x) while (i < n && a[i]! === x) i++;
    if (bj === x) while (j < m && b[j]! === x) j++;
  }
  while (i < n) {
    const x = a[i]!;
    total += Math.abs(i / n - j / m) * (x - prev);
    prev = x;
    while (i < n && a[i]! === x) i++;
  }
  while (j < m) {
    const x = b[j]!;
    total += Math.abs(i / n - j / m) * (x - prev);
    prev = x;
    while (j < m && b[j]! === x) j++;
  }
  return total;
}

/**
 * Running sums of sorted values measured from the first: prefix[k] = Σ_{i<k} (a[i] − a[0]) (for
 * wasserstein1Prefixed). From the first value, not from 0: values far from 0 with a small spread
 * (epoch milliseconds) would otherwise lose their differences to cancellation.
 */
export function prefixSums(sorted: ArrayLike<number>): Float64Array {
  const out = new Float64Array(sorted.length + 1);
  const origin = sorted.length ? sorted[0]! : 0;
  for (let i = 0; i < sorted.length; i++) out[i + 1] = out[i]! + (sorted[i]! - origin);
  return out;
}

/**
 * wasserstein1 for a large sorted sample `a` (with its prefixSums) against a small sorted one
 * `b`, in O(|b| log |a|) instead of a walk over both: between two of b's values F_b is a constant
 * q, and ∫|F_a − q| splits where F_a reaches q into two integrals of F_a, each read from the
 * prefix sums (∫_{−∞}^{x} F_a = (c·(x − a_0) − Σ_{a_i ≤ x} (a_i − a_0)) / n, c = #{a_i ≤ x}, found
 * by galloping forward: the points asked for only grow). Equal to wasserstein1 within rounding
 * (~1e-13 relative, also for values far from 0). A drift test compares a baseline of 200k values
 * with windows of a few thousand, once per window and signal.
 */
export function wasserstein1Prefixed(a: ArrayLike<number>, prefix: Float64Array, b: ArrayLike<number>): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return 0;
  const origin = a[0]!; // prefix sums are measured from it (prefixSums)
  // x only grows from call to call: each count gallops on from the last one.
  let counted = 0;
  const integralTo = (x: number): number => {
    let lo = counted;
    let step = 1;
    while (lo + step <= n && a[lo + step - 1]! <= x) {
      lo += step;
      step *= 2;
    }
    let hi = Math.min(n, lo + step - 1);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    counted = lo;
    return (lo * (x - origin) - prefix[lo]!) / n;
  };
  let u = b[0]!;
  let integralU = integralTo(u);
  let total = integralU; // before b's first value F_b is 0
  const end = Math.max(a[n - 1]!, b[m - 1]!);
  for (let j = 0; j < m;) {
    let k = j + 1;
    while (k < m && b[k] === b[j]) k++;
    const v = k < m ? b[k]! : end;
    if (v > u) {
      const q = k / m;
      // F_a ≥ q from a[c - 1] on, c = ⌈k·n / m⌉ (integers: no rounding at the boundary).
      const c = Math.floor((k * n + m - 1) / m);
      const cross = Math.min(Math.max(a[c - 1]!, u), v);
      const integralCross = integralTo(cross);
      const integralV = integralTo(v);
      total += q * (cross - u) - (integralCross - integralU) + (integralV - integralCross) - q * (v - cross);
      u = v;
      integralU = integralV;
    }
    j = k;
  }
  return total;
}

/** Wasserstein distance in units of the baseline's standard deviation (Evidently's default numeric drift measure, threshold 0.1). */
export function normalizedWasserstein(baseline: ArrayLike<number>, current: ArrayLike<number>): number {
  return wassersteinInBaselineUnits(wasserstein1(baseline, current), standardDeviation(baseline), baseline);
}

/**
 * W1 over the baseline's spread. A baseline without spread (every search returned 5 documents)
 * has none to divide by; the distance is then relative to its value (or absolute around 0),
 * so it stays finite and comparable: a counterfactual can say how much of it goes away.
 */
export function wassersteinInBaselineUnits(w: number, sd: number, baseline: ArrayLike<number>): number {
  if (sd > 0) return w / sd;
  if (w === 0 || baseline.length === 0) return 0;
  return w / Math.max(1, Math.abs(baseline[0]!));
}

/** Counts of each category, in a fixed category order. */
export function categoryCounts<T>(values: Iterable<T>, categories: readonly T[]): number[] {
  const index = new Map(categories.map((c, i) => [c, i]));
  const counts = new Array<number>(categories.length).fill(0);
  for (const v of values) {
    const k = index.get(v);
    if (k !== undefined) counts[k]!++;
  }
  return counts;
}

/** Chi-square test of homogeneity on a 2×k table of counts (scipy chi2_contingency without Yates' correction). */
export function chiSquareTwoSample(countsA: readonly number[], countsB: readonly number[]): TestResult & { dof: number } {
  const na = countsA.reduce((s, c) => s + c, 0);
  const nb = countsB.reduce((s, c) => s + c, 0);
  const total = na + nb;
  let stat = 0;
  let used = 0;
  for (let k = 0; k < countsA.length; k++) {
    const col = countsA[k]! + countsB[k]!;
    if (col === 0) continue;
    used++;
    const ea = (na * col) / total;
    const eb = (nb * col) / total;
    stat += (countsA[k]! - ea) ** 2 / ea + (countsB[k]! - eb) ** 2 / eb;
  }
  const dof = Math.max(used - 1, 0);
  if (dof === 0 || na === 0 || nb === 0) return { statistic: 0, pValue: 1, dof };
  return { statistic: stat, pValue: chiSquareSurvival(stat, dof), dof };
}

function toProportions(counts: readonly number[], epsilon: number): number[] {
  const n = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (n === 0 ? 0 : Math.max(c / n, epsilon)));
}

/** Jensen-Shannon distance (natural log; scipy.spatial.distance.jensenshannon) between two count vectors. Threshold 0.1. */
export function jensenShannonDistance(countsA: readonly number[], countsB: readonly number[]): number {
  const p = toProportions(countsA, 0);
  const q = toProportions(countsB, 0);
  const sp = p.reduce((s, x) => s + x, 0);
  const sq = q.reduce((s, x) => s + x, 0);
  if (sp === 0 || sq === 0) return 0;
  let js = 0;
  for (let k = 0; k < p.length; k++) {
    const pk = p[k]! / sp;
    const qk = q[k]! / sq;
    const mk = (pk + qk) / 2;
    if (pk > 0) js += 0.5 * pk * Math.log(pk / mk);
    if (qk > 0) js += 0.5 * qk * Math.log(qk / mk);
  }
  return Math.sqrt(Math.max(js, 0));
}

/** Population stability index between two count vectors over the same bins; empty bins count as 0.01%. */
export function populationStabilityIndex(baselineCounts: readonly number[], currentCounts: readonly number[]): number {
  const e = toProportions(baselineCounts, 1e-4);
  const c = toProportions(currentCounts, 1e-4);
  let psi = 0;
  for (let k = 0; k < e.length; k++) psi += (c[k]! - e[k]!) * Math.log(c[k]! / e[k]!);
  return psi;
}

/** Inner edges of `bins` equal-frequency bins from the (sorted) baseline, duplicates removed. */
export function quantileBinEdges(sortedBaseline: ArrayLike<number>, bins = 10): number[] {
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const q = quantileSorted(sortedBaseline, k / bins);
    if (edges.length === 0 || q > edges[edges.length - 1]!) edges.push(q);
  }
  return edges;
}

/** Counts per bin; bin k holds values in [edges[k-1], edges[k]) (numpy.histogram's rule with open outer bins). */
export function binCounts(values: ArrayLike<number>, innerEdges: readonly number[]): number[] {
  const counts = new Array<number>(innerEdges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let lo = 0;
    let hi = innerEdges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (innerEdges[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]!++;
  }
  return counts;
}

/** PSI of numeric samples over ten equal-frequency bins of the sorted baseline. */
export function numericPsi(sortedBaseline: ArrayLike<number>, current: ArrayLike<number>, bins = 10): number {
  const edges = quantileBinEdges(sortedBaseline, bins);
  return populationStabilityIndex(binCounts(sortedBaseline, edges), binCounts(current, edges));
}
