/** Per-operation statistics of a trace: counts, total and self time (overlapping children merged), percentiles. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { operationStats, selfTimes } from '../../renderer/src/waterfall/trace-stats.js';
import type { SpanView } from '../../shared/model/telemetry.js';

const span = (id: string, parent: string | null, start: number, duration: number, name: string): SpanView =>
  ({
    spanId: id,
    parentSpanId: parent,
    name,
    serviceName: 'svc',
    startTimeMs: start,
    durationMs: duration,
    statusCode: 0,
    statusMessage: '',
    attributes: {},
    events: [],
  }) as unknown as SpanView;

test('self time subtracts the union of the children, clipped to the parent', () => {
  // root 0–100; a 10–40 and b 30–60 overlap (union 10–60 = 50); c 90–120 sticks out (10 inside).
  const spans = [span('r', null, 0, 100, 'root'), span('a', 'r', 10, 30, 'query'), span('b', 'r', 30, 30, 'query'), span('c', 'r', 90, 30, 'cache')];
  const self = selfTimes(spans);
  assert.equal(self.get('r'), 100 - 50 - 10);
  assert.equal(self.get('a'), 30);
  const stats = operationStats(spans);
  const query = stats.find((s) => s.name === 'query')!;
  assert.deepEqual([query.count, query.totalMs, query.selfMs, query.p50Ms], [2, 60, 60, 30]);
  assert.equal(stats[0]!.name, 'query', 'largest self time first');
  assert.equal(operationStats(Array.from({ length: 100 }, (_, i) => span(`s${i}`, null, 0, i + 1, 'op')))[0]!.p99Ms, 99.01);
});
