/**
 * Quantiles (numpy's linear rule): the one statistic both sides compute, the core for its answers
 * and the renderer for the trace list's slow-vs-fast split. The rest of the statistics are the core's
 * (electron/core/stats/).
 */

/** The q-quantile of sorted values, interpolating linearly (numpy.quantile's default). NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
