/** Waterfall row states (collapse, search, filter) and the critical path, on small hand-made traces. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWaterfallRows } from '../../renderer/src/waterfall/span-tree.js';
import { visibleRows } from '../../renderer/src/waterfall/row-states.js';
import { criticalPath } from '../../renderer/src/waterfall/critical-path.js';
import type { SpanView } from '../../shared/model/telemetry.js';

function span(id: string, parent: string | null, start: number, duration: number, name = id, attrs: Record<string, unknown> = {}): SpanView {
  return {
    spanId: id,
    parentSpanId: parent,
    name,
    serviceName: 'svc',
    kind: 1,
    startTimeMs: start,
    durationMs: duration,
    statusCode: 0,
    statusMessage: '',
    attributes: attrs,
    resourceAttributes: {},
    scopeName: '',
    scopeVersion: '',
    events: [],
    links: [],
    traceState: '',
  } as unknown as SpanView;
}

// root(0–100) ├ a(0–30) │ └ a1(5–25) ├ b(10–60) ├ c(40–95) └ d(50–70)
const SPANS = [
  span('root', null, 0, 100),
  span('a', 'root', 0, 30),
  span('a1', 'a', 5, 20, 'db query', { 'db.system': 'postgresql' }),
  span('b', 'root', 10, 50),
  span('c', 'root', 40, 55, 's3 read'),
  span('d', 'root', 50, 20),
];

test('collapsing a span hides its subtree, and only it', () => {
  const { rows } = buildWaterfallRows(SPANS);
  assert.deepEqual(
    rows.map((r) => r.span.spanId),
    ['root', 'a', 'a1', 'b', 'c', 'd'],
  );
  assert.deepEqual(
    visibleRows(rows, new Set(['a']), '', false).map((v) => `${v.row.span.spanId}${v.collapsed ? '+' : ''}`),
    ['root', 'a+', 'b', 'c', 'd'],
  );
  assert.deepEqual(
    visibleRows(rows, new Set(['root']), '', false).map((v) => v.row.span.spanId),
    ['root'],
  );
  assert.deepEqual(visibleRows(rows, new Set(['a1']), '', false).length, 6, 'a leaf cannot collapse');
});

test('search highlights matches; the filter keeps matches and their ancestors', () => {
  const { rows } = buildWaterfallRows(SPANS);
  const highlighted = visibleRows(rows, new Set(), 'postgres', false);
  assert.equal(highlighted.length, 6);
  assert.deepEqual(
    highlighted.filter((v) => v.match).map((v) => v.row.span.spanId),
    ['a1'],
    'attribute values are searched',
  );
  assert.deepEqual(
    visibleRows(rows, new Set(), 'postgres', true).map((v) => v.row.span.spanId),
    ['root', 'a', 'a1'],
  );
  assert.deepEqual(
    visibleRows(rows, new Set(), 'S3 READ', true).map((v) => v.row.span.spanId),
    ['root', 'c'],
  );
});

test('the critical path follows the children the parent waited for', () => {
  // root ends at 100; c ends last (95) → on path; before c started (40): a ended at 30 → on path (b ends at 60 > 40: parallel to c);
  // inside a: a1. d runs inside c's time: not on the path.
  assert.deepEqual([...criticalPath(SPANS)].sort(), ['a', 'a1', 'c', 'root']);
  assert.deepEqual([...criticalPath([span('x', null, 0, 10)])], ['x']);
});
