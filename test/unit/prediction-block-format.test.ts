/**
 * The packed prediction block reads back exactly what was packed: missing values stay
 * missing, a feature seen as both a number and text keeps both, and a damaged or foreign blob
 * is refused rather than misread.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeFactorBlock,
  decodePredictionBlock,
  encodeFactorBlock,
  encodePredictionBlock,
  type PackedPredictionRow,
} from '../../electron/core/ml/prediction-block-format.js';

const rows: PackedPredictionRow[] = [
  {
    id: 7,
    timeMs: 1_790_000_000_123,
    timeRemNs: 456_789,
    traceSeq: 3,
    version: 'v1',
    score: 0.25,
    label: 'click',
    confidence: 0.9,
    host: 'gpu-1',
    service: 'ranker',
    features: '{"user_ctr":0.08,"device":"ios","mixed":1}',
  },
  {
    id: 9,
    timeMs: 1_790_000_000_124,
    timeRemNs: 0,
    traceSeq: 4,
    version: 'v2',
    score: null,
    label: null,
    confidence: null,
    host: null,
    service: 'ranker',
    features: '{"device":"web","mixed":"high","nested":{"x":1}}',
  },
  {
    id: 12,
    timeMs: 1_790_000_000_125,
    timeRemNs: 999_999,
    traceSeq: 4,
    version: 'v1',
    score: 1,
    label: 'skip',
    confidence: 0,
    host: 'gpu-2',
    service: 'api',
    features: null,
  },
];

test('a block reads back every column, with missing values missing', () => {
  const b = decodePredictionBlock(encodePredictionBlock(rows));
  assert.equal(b.rows, 3);
  assert.deepEqual([...b.id], [7, 9, 12]);
  assert.deepEqual([...b.timeMs], [1_790_000_000_123, 1_790_000_000_124, 1_790_000_000_125]);
  assert.deepEqual([...b.timeRemNs], [456_789, 0, 999_999]);
  assert.deepEqual([...b.traceSeq], [3, 4, 4]);
  assert.deepEqual([...b.score], [0.25, NaN, 1]);
  assert.deepEqual([...b.confidence], [0.9, NaN, 0]);
  const names = (c: { values: Int32Array; categories: string[] }): (string | null)[] => [...c.values].map((v) => (v < 0 ? null : c.categories[v]!));
  assert.deepEqual(names(b.version), ['v1', 'v2', 'v1']);
  assert.deepEqual(names(b.label), ['click', null, 'skip']);
  assert.deepEqual(names(b.host), ['gpu-1', null, 'gpu-2']);
  assert.deepEqual(names(b.service), ['ranker', 'ranker', 'api']);
  assert.deepEqual([...b.numericFeatures.get('user_ctr')!], [0.08, NaN, NaN]);
  assert.deepEqual(names(b.categoricalFeatures.get('device')!), ['ios', 'web', null]);
  // A feature that is a number in one row and text in another keeps both, as the row reader does.
  assert.deepEqual([...b.numericFeatures.get('mixed')!], [1, NaN, NaN]);
  assert.deepEqual(names(b.categoricalFeatures.get('mixed')!), [null, 'high', null]);
  assert.equal(b.numericFeatures.has('nested') || b.categoricalFeatures.has('nested'), false, 'objects are not features');
});

test('a block read from any byte offset decodes the same, read in place when its arrays are aligned', () => {
  const bytes = encodePredictionBlock(rows);
  for (const shift of [3, 8, 16]) {
    const shifted = Buffer.alloc(bytes.length + shift);
    bytes.copy(shifted, shift);
    const b = decodePredictionBlock(shifted.subarray(shift));
    assert.deepEqual([...b.score], [0.25, NaN, 1]);
    assert.deepEqual([...b.timeMs], [1_790_000_000_123, 1_790_000_000_124, 1_790_000_000_125]);
    assert.deepEqual([...b.numericFeatures.get('user_ctr')!], [0.08, NaN, NaN]);
    assert.deepEqual([...b.version.values], [0, 1, 0]);
    // Aligned: views into the blob's memory; else a copy.
    assert.equal(b.score.buffer === shifted.buffer, shift % 8 === 0, `shift ${shift}`);
  }
});

test('a damaged or foreign blob is refused', () => {
  const bytes = encodePredictionBlock(rows);
  assert.throws(() => decodePredictionBlock(bytes.subarray(0, bytes.length - 4)), /wrong length/);
  assert.throws(() => decodePredictionBlock(Buffer.from('{"not":"a block"}')), /not a prediction block/);
  const later = Buffer.from(bytes);
  later.writeUInt32LE(99, 4);
  assert.throws(() => decodePredictionBlock(later), /format 99/);
});

test('a factor block keeps the worst observation of each factor per trace, for every prediction of the trace', () => {
  const pairs = (...xs: number[]): Buffer => Buffer.from(Float64Array.from(xs).buffer);
  // Trace 4 has two predictions and two rows of observations (spans that came in two batches); trace 9 is not in the block.
  const blob = encodeFactorBlock(
    [3, 4, 4, 5],
    [
      [3, pairs(7, 120, 2, 1)],
      [4, pairs(7, 80)],
      [4, pairs(7, 300, 7, 90)],
      [9, pairs(7, 5000)],
    ],
  );
  const b = decodeFactorBlock(blob);
  assert.deepEqual([...b.traceSeq], [3, 4, 4, 5]);
  assert.deepEqual([...b.byFactor.keys()], [2, 7]);
  assert.deepEqual([...b.byFactor.get(7)!], [120, 300, 300, NaN]);
  assert.deepEqual([...b.byFactor.get(2)!], [1, NaN, NaN, NaN]);
  assert.throws(() => decodeFactorBlock(blob.subarray(0, blob.length - 8)), /wrong length/);
  assert.throws(() => decodeFactorBlock(encodePredictionBlock(rows)), /not a factor block/);
});

test('a block whose traces name hundreds of distinct factors packs none (they are read as rows)', () => {
  const n = 16_384;
  const seqs = Array.from({ length: n }, (_, i) => i);
  const observed = (distinct: number): [number, Buffer][] => seqs.map((s) => [s, Buffer.from(Float64Array.from([s % distinct, 1]).buffer)]);
  assert.equal(decodeFactorBlock(encodeFactorBlock(seqs, observed(200))).byFactor.size, 200);
  const over = decodeFactorBlock(encodeFactorBlock(seqs, observed(300)));
  assert.equal(over.rows, 0);
  assert.equal(over.byFactor.size, 0);
});
