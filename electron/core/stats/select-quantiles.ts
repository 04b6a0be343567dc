/**
 * Quantiles without sorting: the order statistics a quantile needs are found by selection
 * (Hoare's quickselect, median of three), in about 2–3 passes over the sample instead of a sort.
 * The analysis asks for two or three quantiles of 200k-value baselines many times (hit rules,
 * the timeline's score band); the values equal quantileSorted's on the sorted sample.
 */

/** The non-NaN values at `indices`, unsorted. */
export function presentValues(values: Float64Array, indices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indices.length);
  let k = 0;
  for (let i = 0; i < indices.length; i++) {
    const v = values[indices[i]!]!;
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return out.subarray(0, k);
}

/** Puts the k-th smallest of a[from … to-1] at a[k], smaller ones before it, larger after. */
function selectInPlace(a: Float64Array, k: number, from: number, to: number): void {
  let lo = from;
  let hi = to - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot, which also keeps sorted and reversed input linear.
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * The quantiles `qs` of `sample` (no NaN), interpolated as quantileSorted does. Reorders
 * `sample` in place. NaN for an empty sample.
 */
export function quantilesBySelection(sample: Float64Array, qs: readonly number[]): number[] {
  const n = sample.length;
  if (n === 0) return qs.map(() => NaN);
  const order = qs.map((q, i) => ({ q, i, pos: (n - 1) * q })).sort((a, b) => a.pos - b.pos);
  const out = new Array<number>(qs.length);
  let settled = 0; // every position before this one holds its order statistic's bound
  for (const { i, pos } of order) {
    const lo = Math.floor(pos);
    selectInPlace(sample, lo, settled, n);
    settled = lo;
    const low = sample[lo]!;
    let high = low;
    if (lo + 1 < n) {
      // The next order statistic is the smallest of what lies after it (also when pos is whole:
      // quantileSorted interpolates then too, so an infinite neighbour gives NaN there as well).
      high = Infinity;
      for (let j = lo + 1; j < n; j++) if (sample[j]! < high) high = sample[j]!;
    }
    out[i] = low + (high - low) * (pos - lo);
  }
  return out;
}
