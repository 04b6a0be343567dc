/**
 * Columns in shared memory: what the evidence thread reads (each prediction's trace, its score,
 * confidence and numeric features, every factor's values) crosses to it without a copy
 * (attribute-causes.ts, attributeCausesOnTwoThreads). A plain column would be copied, about
 * 8 MB per million predictions each time an attribution asks.
 */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

/** `values` taken in `order` (position k holds values[order[k]]), in shared memory. */
export function sharedPermuted(values: Float64Array, order: ArrayLike<number>): Float64Array {
  const out = sharedFloat64(order.length);
  for (let k = 0; k < order.length; k++) out[k] = values[order[k]!]!;
  return out;
}
