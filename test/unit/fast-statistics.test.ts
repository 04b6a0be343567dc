/**
 * The analysis's shortcuts give the figures of the plain computations they stand in for:
 * Wasserstein by prefix sums (scipy's values, and the merge walk's on samples with ties and
 * disjoint ranges), quantiles by selection (quantileSorted's on the sorted sample), a sorted
 * sample less one of its windows (the sort of what is left), and a seasonal reference merged
 * from its windows' sorted samples (the sort of their union).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prefixSums, wasserstein1, wasserstein1Prefixed } from '../../electron/core/stats/distribution-tests.js';
import { presentValues, quantilesBySelection } from '../../electron/core/stats/select-quantiles.js';
import { mergeSorted, sortedWithout } from '../../electron/core/analysis/compare-samples.js';
import { seededRandom } from '../../electron/core/stats/significance.js';
import { quantileSorted } from '../../shared/stats/descriptive.js';
import { sortedCopy } from '../../electron/core/stats/descriptive.js';

const A = [0.61, 0.29, 0.06, 0.59, -1.86, -0.46, 0.33, 1.29, -0.51, 0.58, 0.22, 1.05, -0.13, 0.62, 0.95, -0.07, 1.67, 0.41, -1.19, 0.3];
const B = [1.28, 1.74, 0.47, 2.11, 0.95, 1.71, 1.02, 0.34, 1.66, 2.37, 0.88, 1.15, -0.2, 1.53, 1.9, 0.71, 1.43, 0.98, 2.62, 1.21, 0.15, 1.77];

/** Seeded samples of the shapes drift data has: continuous, few distinct values (ties), a pile at 0, shifted. */
function sample(random: () => number, n: number, shape: number, shift = 0): Float64Array {
  const one = (): number => (shape === 0 ? random() * 100 : shape === 1 ? Math.floor(random() * 4) : random() < 0.3 ? 0 : random() * random() * 1e4);
  return Float64Array.from({ length: n }, () => one() + shift).sort();
}

test('Wasserstein by prefix sums gives scipy values and the merge walk values', () => {
  const a = sortedCopy(A);
  const b = sortedCopy(B);
  // scipy.stats.wasserstein_distance(a, b) = 1.0252272727272724
  assert.ok(Math.abs(wasserstein1Prefixed(a, prefixSums(a), b) - 1.0252272727272724) < 1e-12);
  assert.ok(Math.abs(wasserstein1Prefixed(b, prefixSums(b), a) - 1.0252272727272724) < 1e-12);
  const random = seededRandom(7);
  for (let t = 0; t < 600; t++) {
    const shape = t % 3;
    // Some far from 0 with a small spread (epoch milliseconds): no cancellation may show.
    const offset = t % 7 === 3 ? 1.7e12 : 0;
    const big = sample(random, 1 + Math.floor(random() * (t % 5 === 0 ? 20_000 : 300)), shape, offset);
    const small = sample(random, 1 + Math.floor(random() * 60), shape, offset + (t % 4 === 0 ? 150 : t % 4 === 1 ? -150 : 0));
    const walk = wasserstein1(big, small);
    const fast = wasserstein1Prefixed(big, prefixSums(big), small);
    assert.ok(Math.abs(fast - walk) <= 1e-9 * Math.max(1, walk), `case ${t} (shape ${shape}): ${fast} against ${walk}`);
  }
});

test('quantiles by selection equal quantileSorted on the sorted sample', () => {
  const random = seededRandom(11);
  const qs = [0.99, 0.01, 0.5, 0.1, 0.9, 0.95, 0, 1];
  for (let t = 0; t < 800; t++) {
    const n = 1 + Math.floor(random() * (t % 10 === 0 ? 5000 : 80));
    const kind = t % 5;
    const values = Float64Array.from({ length: n }, (_, i) =>
      kind === 0 ? random() : kind === 1 ? Math.floor(random() * 3) : kind === 2 ? i : kind === 3 ? n - i : 7,
    );
    const asked = qs.slice(0, 1 + (t % qs.length));
    const sorted = values.slice().sort();
    const want = asked.map((q) => quantileSorted(sorted, q));
    assert.deepEqual(quantilesBySelection(values.slice(), asked), want, `case ${t}, kind ${kind}, n ${n}`);
  }
  assert.deepEqual(quantilesBySelection(new Float64Array(0), [0.5]), [NaN]);
  // An infinite neighbour interpolates to NaN as in quantileSorted, also at a whole position.
  assert.deepEqual(quantilesBySelection(Float64Array.from([1, Infinity]), [0, 0.5]), [quantileSorted([1, Infinity], 0), quantileSorted([1, Infinity], 0.5)]);
  // NaN (a prediction without the value) is left out first.
  const withGaps = Float64Array.from([3, NaN, 1, 2, NaN]);
  assert.deepEqual(quantilesBySelection(presentValues(withGaps, [0, 1, 2, 3, 4]), [0.5]), [2]);
});

test('a sorted sample less one of its windows is the sort of the rest', () => {
  const random = seededRandom(3);
  for (let t = 0; t < 200; t++) {
    const values = Float64Array.from({ length: 50 + Math.floor(random() * 400) }, () => (t % 2 ? Math.floor(random() * 5) : random()));
    const from = Math.floor(random() * values.length);
    const to = from + Math.floor(random() * (values.length - from));
    const window = values.slice(from, to).sort();
    const rest = Float64Array.from([...values.slice(0, from), ...values.slice(to)]).sort();
    assert.deepEqual(sortedWithout(values.slice().sort(), window), rest, `case ${t}`);
  }
});

test('sorted windows merged are the sort of their union', () => {
  const random = seededRandom(5);
  for (let t = 0; t < 200; t++) {
    const parts = Array.from({ length: t % 9 }, () =>
      Float64Array.from({ length: Math.floor(random() * 300) }, () => (t % 2 ? Math.floor(random() * 4) : random())).sort(),
    );
    const union = Float64Array.from(parts.flatMap((p) => [...p])).sort();
    assert.deepEqual(mergeSorted(parts), union, `case ${t}, ${parts.length} parts`);
  }
});
