/**
 * The order of a huge trace's outline (outline-order.ts): keyset order (start, then span ID)
 * by packed numeric keys equals a plain sort of the exact starts and ID text, with ties in the
 * µs and in the ns, in SQLite's ID order or any other, and for traces too long for the packed
 * keys; parents are found by ID in either order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findRow, idWords, keysetRows, rowsById, wordsOf } from '../../electron/core/store/outline-order.js';

/** A small deterministic generator (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex8 = (x: number): string => Math.floor(x).toString(16).padStart(8, '0');

function spans(n: number, seed: number, farUs: number): { ids: string[]; us: Float64Array; rem: Int16Array } {
  const next = random(seed);
  const ids = Array.from({ length: n }, () => hex8(next() * 2 ** 32) + hex8(next() * 2 ** 32));
  // Starts on a coarse grid (many spans share a µs, some also the ns), one far away when asked.
  const us = Float64Array.from({ length: n }, () => Math.floor(next() * 200) * 7);
  const rem = Int16Array.from({ length: n }, () => (next() < 0.5 ? 0 : Math.floor(next() * 3) * 300));
  if (farUs) us[n - 1] = farUs;
  return { ids, us, rem };
}

function expectedOrder(s: { ids: string[]; us: Float64Array; rem: Int16Array }): number[] {
  return [...s.ids.keys()].sort((a, b) => s.us[a]! - s.us[b]! || s.rem[a]! - s.rem[b]! || (s.ids[a]! < s.ids[b]! ? -1 : s.ids[a]! > s.ids[b]! ? 1 : 0));
}

for (const [name, farUs] of [
  ['packed keys', 0],
  ['a trace too long for packed keys (a span 30 days out)', 30 * 86_400e6],
] as const) {
  test(`keyset order with ties in the µs and the ns, rows in any order: ${name}`, () => {
    for (const seed of [1, 2, 3]) {
      const s = spans(3000, seed, farUs);
      const words = idWords(s.ids.join(''), s.ids.length);
      const byId = rowsById(words);
      assert.deepEqual(
        Array.from(byId),
        [...s.ids.keys()].sort((a, b) => (s.ids[a]! < s.ids[b]! ? -1 : 1)),
        'rows by ID text',
      );
      assert.deepEqual(Array.from(keysetRows(s.us, s.rem, byId)), expectedOrder(s));
      // In SQLite's order (by span ID) the IDs arrive sorted: the same order results.
      const sorted = [...byId];
      const inIdOrder = { ids: sorted.map((i) => s.ids[i]!), us: Float64Array.from(sorted, (i) => s.us[i]!), rem: Int16Array.from(sorted, (i) => s.rem[i]!) };
      const w2 = idWords(inIdOrder.ids.join(''), sorted.length);
      assert.deepEqual(Array.from(keysetRows(inIdOrder.us, inIdOrder.rem, rowsById(w2))), expectedOrder(inIdOrder));
    }
  });
}

test('a parent is found by its ID, in upper or lower case; a missing one is not; bad IDs are an error', () => {
  const ids = ['00000000000000ff', 'ffffffffffffffff', '0000000100000000', '8000000000000000'];
  const words = idWords(ids.join(''), ids.length);
  const byId = rowsById(words);
  for (const [i, id] of ids.entries()) {
    const w = wordsOf(id.toUpperCase());
    assert.equal(findRow(words, byId, w.hi, w.lo), i);
  }
  const missing = wordsOf('0000000100000001');
  assert.equal(findRow(words, byId, missing.hi, missing.lo), -1);
  assert.throws(() => idWords('00000000000000zz', 1), /not hexadecimal/);
  assert.throws(() => idWords('00ff', 1), /unexpected length/);
});

test('no spans, one span, and starts before the trace start (negative offsets) order as a plain sort does', () => {
  assert.deepEqual(Array.from(keysetRows(new Float64Array(0), new Int16Array(0), rowsById(idWords('', 0)))), []);
  const one = idWords('00000000000000aa', 1);
  assert.deepEqual(Array.from(keysetRows(Float64Array.of(-5), Int16Array.of(-300), rowsById(one))), [0]);
  const s = spans(500, 9, 0);
  for (let i = 0; i < s.us.length; i += 3) {
    s.us[i] = -s.us[i]! - 1;
    // SQLite's integer division truncates: a negative start keeps a negative remainder.
    if (s.rem[i]) s.rem[i] = -s.rem[i]!;
  }
  const words = idWords(s.ids.join(''), s.ids.length);
  assert.deepEqual(Array.from(keysetRows(s.us, s.rem, rowsById(words))), expectedOrder(s));
});
