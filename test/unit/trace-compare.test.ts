/**
 * Trace and group comparison (core/compare) and the service graph's column layout: the
 * operation that really spends the extra time ranks first (self time, not a waiting root),
 * presence and structure differences show, and layouts keep callers left of callees even
 * with diamonds and cycles.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareGroups } from '../../electron/core/compare/compare-groups.js';
import type { CompareSpan, CompareTrace } from '../../shared/model/trace-compare.js';
import { layoutServiceGraph, serviceColumns } from '../../renderer/src/services/graph-layout.js';

/** root(api) → db.query (db) [→ cache.get (cache) when withCache]. */
function request(id: number, dbMs: number, withCache: boolean, dbError = false): CompareTrace {
  const spans: CompareSpan[] = [
    { spanId: 'r', parentSpanId: null, service: 'api', name: 'GET /', startTimeMs: 0, durationMs: dbMs + 12, error: false },
    { spanId: 'd', parentSpanId: 'r', service: 'db', name: 'db.query', startTimeMs: 1, durationMs: dbMs, error: dbError },
  ];
  if (withCache) spans.push({ spanId: 'c', parentSpanId: 'r', service: 'cache', name: 'cache.get', startTimeMs: dbMs + 2, durationMs: 2, error: false });
  return { traceId: id.toString(16).padStart(32, '0'), durationMs: dbMs + 12, spans };
}

test('the operation whose own time grew ranks first, not the root that waits for it', () => {
  const slow = [1, 2, 3, 4].map((i) => request(i, 200 + i, false, i === 1));
  const fast = [5, 6, 7, 8, 9, 10].map((i) => request(i, 5 + (i % 3), true));
  const c = compareGroups(slow, fast);
  assert.equal(c.a.traces, 4);
  assert.equal(c.b.traces, 6);
  assert.equal(c.a.errorTraces, 1);
  const [first] = c.operations;
  assert.equal(`${first!.service}: ${first!.name}`, 'db: db.query');
  assert.ok(first!.deltaSelfMsPerTrace > 190 && first!.deltaSelfMsPerTrace < 200, String(first!.deltaSelfMsPerTrace));
  const root = c.operations.find((o) => o.name === 'GET /')!;
  assert.ok(root.deltaMsPerTrace > 190, 'the root took longer in total…');
  assert.ok(Math.abs(root.deltaSelfMsPerTrace) < 3, '…but not of its own time');
  assert.ok(first!.ksPValue! < 0.05, 'the durations differ significantly');
  const cache = c.operations.find((o) => o.name === 'cache.get')!;
  assert.equal(cache.a.count, 0);
  assert.equal(cache.deltaPresence, -1, 'every fast trace reads the cache, no slow one does');
  assert.equal(cache.ksPValue, null);
  assert.deepEqual(c.paths, [{ path: 'api: GET / › cache: cache.get', aPerTrace: 0, bPerTrace: 1 }]);
  assert.deepEqual(
    c.aTraceIds,
    slow.map((t) => t.traceId),
  );
});

test('two identical groups show no difference', () => {
  const g = [1, 2, 3].map((i) => request(i, 10, true));
  const c = compareGroups(g, g);
  assert.ok(c.operations.every((o) => o.deltaSelfMsPerTrace === 0 && o.deltaMsPerTrace === 0 && o.deltaPresence === 0));
  assert.deepEqual(c.paths, []);
});

test('self time merges overlapping children and clips them to the parent', () => {
  const t: CompareTrace = {
    traceId: 'a'.repeat(32),
    durationMs: 100,
    spans: [
      { spanId: 'p', parentSpanId: null, service: 's', name: 'parent', startTimeMs: 0, durationMs: 100, error: false },
      { spanId: 'x', parentSpanId: 'p', service: 's', name: 'child', startTimeMs: 10, durationMs: 40, error: false },
      { spanId: 'y', parentSpanId: 'p', service: 's', name: 'child', startTimeMs: 30, durationMs: 40, error: false },
      { spanId: 'z', parentSpanId: 'p', service: 's', name: 'late', startTimeMs: 90, durationMs: 50, error: false },
    ],
  };
  const empty: CompareTrace = { traceId: 'b'.repeat(32), durationMs: 0, spans: [] };
  const parent = compareGroups([t], [empty]).operations.find((o) => o.name === 'parent')!;
  assert.equal(parent.a.selfMsPerTrace, 100 - 60 - 10, 'children cover 10–70 and 90–100');
});

test('service columns follow calls; diamonds and cycles keep a finite, left-to-right layout', () => {
  const chain = serviceColumns(
    ['a', 'b', 'c'],
    [
      { parent: 'a', child: 'b' },
      { parent: 'b', child: 'c' },
    ],
  );
  assert.deepEqual(
    [...chain],
    [
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ],
  );
  const diamond = serviceColumns(
    ['web', 'auth', 'db', 'api'],
    [
      { parent: 'web', child: 'auth' },
      { parent: 'web', child: 'api' },
      { parent: 'auth', child: 'api' },
      { parent: 'api', child: 'db' },
    ],
  );
  assert.equal(diamond.get('api'), 2, 'the longest chain decides: web → auth → api');
  assert.equal(diamond.get('db'), 3);
  const cycle = serviceColumns(
    ['a', 'b'],
    [
      { parent: 'a', child: 'b' },
      { parent: 'b', child: 'a' },
    ],
  );
  assert.deepEqual([...cycle].sort(), [
    ['a', 0],
    ['b', 1],
  ]);
  const layout = layoutServiceGraph({
    nodes: ['a', 'b', 'c'].map((service) => ({ service, spans: 1, errors: 0 })),
    edges: [{ parent: 'a', child: 'b', calls: 1, errors: 0, p50Ms: 1, p95Ms: 1 }],
    traces: 1,
    truncated: false,
  });
  const x = new Map(layout.nodes.map((n) => [n.service, n.xPx]));
  assert.ok(x.get('a')! < x.get('b')!, 'caller left of callee');
  assert.equal(x.get('c'), x.get('a'), 'an unconnected service stands in the first column');
  assert.ok(layout.widthPx > x.get('b')!);
});
