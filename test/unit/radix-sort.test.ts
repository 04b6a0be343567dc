/**
 * The radix sort the analysis sorts its samples with gives exactly Float64Array#sort's order
 * (−0 before +0, every NaN last, infinities, subnormals, ties), on arrays below and above the
 * size where it takes over from the native sort and on views into a larger buffer; its order
 * form is stable, as the time order of a model's predictions needs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortFloat64, sortOrderFloat64 } from '../../electron/core/stats/radix-sort.js';
import { seededRandom } from '../../electron/core/stats/significance.js';
import { timeOrder } from '../../electron/core/analysis/model-data.js';

/** A NaN with another bit pattern than the canonical one (negative sign, a payload). */
function oddNaN(): number {
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  u[1] = 0xfff80000;
  u[0] = 1234;
  return f[0]!;
}

function values(random: () => number, n: number, shape: number): Float64Array {
  const special = [0, -0, Infinity, -Infinity, NaN, oddNaN(), Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 1e-310];
  return Float64Array.from({ length: n }, () => {
    const r = random();
    if (shape === 0) return (r - 0.5) * 1e6; // continuous, both signs
    if (shape === 1) return Math.floor(r * 5); // few distinct whole numbers: most digits the same
    if (shape === 2) return 1.7e12 + Math.floor(r * 8.64e7); // epoch milliseconds of one day
    return r < 0.2 ? special[Math.floor(random() * special.length)]! : (r - 0.5) * 10 ** Math.floor(random() * 40 - 20);
  });
}

const sameBits = (a: Float64Array, b: Float64Array): boolean =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]) || (Number.isNaN(v) && Number.isNaN(b[i]!)));

test('sortFloat64 orders as Float64Array#sort does, at every size and shape', () => {
  const random = seededRandom(7);
  for (const n of [0, 1, 2, 100, 2047, 2048, 2049, 5000, 40_000]) {
    for (let shape = 0; shape < 4; shape++) {
      const input = values(random, n, shape);
      const expected = input.slice().sort();
      const got = sortFloat64(input.slice());
      assert.ok(sameBits(got, expected), `n=${n} shape=${shape}`);
      if (shape === 3 && n > 2048) {
        assert.ok(Object.is(got[got.findIndex((v) => v === 0)], -0), 'negative zero comes before positive zero');
        assert.ok(Number.isNaN(got[n - 1]!), 'NaN last, whatever its sign bit');
      }
    }
  }
});

test('sortFloat64 returns values that are all the same as they are (every pass skipped)', () => {
  assert.ok(sameBits(sortFloat64(new Float64Array(5000).fill(42.5)), new Float64Array(5000).fill(42.5)));
  const zeros = Float64Array.from({ length: 5000 }, (_, i) => (i % 2 ? 0 : -0));
  assert.ok(sameBits(sortFloat64(zeros.slice()), zeros.slice().sort()));
});

test('sortFloat64 sorts a view into a larger buffer and leaves the rest of the buffer alone', () => {
  const random = seededRandom(11);
  const whole = values(random, 12_000, 0);
  const before = whole.slice();
  const view = whole.subarray(1000, 11_000);
  const got = sortFloat64(view);
  assert.ok(sameBits(got, before.subarray(1000, 11_000).slice().sort()));
  assert.ok(sameBits(whole.subarray(0, 1000), before.subarray(0, 1000)));
  assert.ok(sameBits(whole.subarray(11_000), before.subarray(11_000)));
});

test('sortOrderFloat64 is the stable order of the keys', () => {
  const random = seededRandom(3);
  for (const n of [10, 3000, 50_000]) {
    for (let shape = 0; shape < 3; shape++) {
      const keys = values(random, n, shape);
      const order = sortOrderFloat64(keys);
      const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
      assert.deepEqual(Array.from(order), expected, `n=${n} shape=${shape}`);
    }
  }
});

test("a model's merged rows are put in time order, ties by id, by the radix path when the input's ties are in id order", () => {
  const random = seededRandom(5);
  const n = 6000;
  const timeMs = new Float64Array(n);
  const remNs = new Int32Array(n);
  const ids = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Nearly in order, as blocks are, with exact ties (same ms and ns) every so often.
    timeMs[i] = 1.7e12 + Math.floor(i / 3) + Math.floor(random() * 50);
    remNs[i] = random() < 0.3 ? 0 : Math.floor(random() * 1e6);
    ids[i] = i + 1;
  }
  const expected = (): number[] => Array.from({ length: n }, (_, i) => i).sort((a, b) => timeMs[a]! - timeMs[b]! || remNs[a]! - remNs[b]! || ids[a]! - ids[b]!);
  const order = timeOrder(timeMs, remNs, ids, n);
  assert.ok(order instanceof Int32Array, 'the radix sort gave the order');
  assert.deepEqual(Array.from(order), expected());
  // Ties whose ids run backwards in the input: the radix order is caught by its check, and the comparison sort answers.
  ids.reverse();
  const fallback = timeOrder(timeMs, remNs, ids, n);
  assert.ok(fallback && !(fallback instanceof Int32Array), 'the comparison sort gave the order');
  assert.deepEqual(Array.from(fallback), expected());
});
