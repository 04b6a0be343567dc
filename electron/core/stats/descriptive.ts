/** Descriptive statistics on plain arrays for the analysis: mean, spread, robust centre and spread, correlation. */
import { quantileSorted } from '../../../shared/stats/descriptive.js';
import { sortFloat64 } from './radix-sort.js';

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return sortFloat64(Float64Array.from(values));
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length ? s / values.length : NaN;
}

/** Population standard deviation (ddof = 0, as numpy.std). */
export function standardDeviation(values: ArrayLike<number>): number {
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i]! - m) ** 2;
  return values.length ? Math.sqrt(s / values.length) : NaN;
}

/** Median and median absolute deviation, for robust anomaly scores. */
export function medianAndMad(values: ArrayLike<number>): { median: number; mad: number } {
  const sorted = sortedCopy(values);
  const median = quantileSorted(sorted, 0.5);
  const deviations = sortedCopy(Array.from(sorted, (v) => Math.abs(v - median)));
  return { median, mad: quantileSorted(deviations, 0.5) };
}

/** Pearson correlation; NaN when either side is constant. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}
