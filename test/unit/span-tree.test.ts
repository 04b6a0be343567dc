import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWaterfallRows } from '../../renderer/src/waterfall/span-tree.js';
import { spanView } from '../helpers/span-view.js';

const span = spanView;

test('rows come depth-first in start order, with depth and offsets', () => {
  const { rows, traceStartMs, traceDurationMs } = buildWaterfallRows([
    span('c2', 'root', 30, 5),
    span('root', null, 10, 100),
    span('c1', 'root', 20, 5),
    span('g1', 'c1', 21, 1),
  ]);
  assert.deepEqual(
    rows.map((r) => [r.span.spanId, r.depth, r.offsetMs, r.childCount]),
    [
      ['root', 0, 0, 2],
      ['c1', 1, 10, 1],
      ['g1', 2, 11, 0],
      ['c2', 1, 20, 0],
    ],
  );
  assert.equal(traceStartMs, 10);
  assert.equal(traceDurationMs, 100);
});

test('orphans (parent not received) and self-parented spans stay visible at the top level', () => {
  const { rows } = buildWaterfallRows([span('root', null, 0, 10), span('orphan', 'missing', 5, 1), span('loop', 'loop', 6, 1)]);
  assert.deepEqual(
    rows.map((r) => [r.span.spanId, r.depth]),
    [
      ['root', 0],
      ['orphan', 0],
      ['loop', 0],
    ],
  );
});

test('a very deep trace does not overflow the stack', () => {
  const spans = Array.from({ length: 50_000 }, (_, i) => span(`s${i}`, i === 0 ? null : `s${i - 1}`, i, 1));
  const { rows } = buildWaterfallRows(spans);
  assert.equal(rows.length, 50_000);
  assert.equal(rows[49_999]!.depth, 49_999);
});
