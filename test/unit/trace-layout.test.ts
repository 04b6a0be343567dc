/**
 * The waterfall's layout made as sliced work, page by page, as the UI makes it for a huge trace
 * (page-spans.ts, trace-layout.ts, sliced.ts) on pages from a real SQLite store: the rows,
 * critical path, parents and events are those of laying out all the spans at once.
 */
import { spanView } from '../helpers/span-view.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openReader, openWriter } from '../../electron/core/store/open-store.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { TraceQueries } from '../../electron/core/store/trace-queries.js';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import type { SpanView } from '../../shared/model/telemetry.js';
import { tempDir } from '../helpers/serve-process.js';
import { SpanIndex } from '../../renderer/src/waterfall/span-index.js';
import { addPage } from '../../renderer/src/waterfall/page-spans.js';
import { traceLayout } from '../../renderer/src/waterfall/trace-layout.js';
import { buildWaterfallRows } from '../../renderer/src/waterfall/span-tree.js';
import { criticalPath } from '../../renderer/src/waterfall/critical-path.js';
import { runSliced } from '../../renderer/src/waterfall/sliced.js';

const TRACE = '5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e';
/** What trace() sent: spans with an event, spans with an error. */
const sent = { events: 0, errors: 0 };

/** root → 90 sequential batches → 100 items each; an event on every 40th item, an error on every 333rd. */
function trace(): string {
  const t0 = BigInt(Date.now()) * 1_000_000n;
  const ms = 1_000_000n;
  const id = (n: number): string => n.toString(16).padStart(16, '0');
  const spans: object[] = [{ traceId: TRACE, spanId: id(1), name: 'run', startTimeUnixNano: String(t0), endTimeUnixNano: String(t0 + 901n * ms) }];
  let next = 2;
  for (let b = 0; b < 90; b++) {
    const bid = next++;
    const bs = t0 + BigInt(b) * 10n * ms;
    spans.push({
      traceId: TRACE,
      spanId: id(bid),
      parentSpanId: id(1),
      name: `batch-${b}`,
      startTimeUnixNano: String(bs),
      endTimeUnixNano: String(bs + 10n * ms),
    });
    for (let i = 0; i < 100; i++) {
      const sid = next++;
      const s = bs + BigInt(i) * 90_000n;
      if (sid % 40 === 0) sent.events++;
      if (sid % 333 === 0) sent.errors++;
      spans.push({
        traceId: TRACE,
        spanId: id(sid),
        parentSpanId: id(bid),
        name: `item-${i}`,
        startTimeUnixNano: String(s),
        endTimeUnixNano: String(s + 80_000n),
        ...(sid % 40 === 0 ? { events: [{ timeUnixNano: String(s + 1000n), name: 'cache.miss' }] } : {}),
        ...(sid % 333 === 0 ? { status: { code: 2, message: 'timeout' } } : {}),
      });
    }
  }
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'loader' } }] }, scopeSpans: [{ spans }] }],
  });
}

test('a huge trace laid out in slices as its pages arrive has the rows, critical path and events of laying it out at once', async () => {
  const dbPath = path.join(tempDir(), 'layout.db');
  const w = openWriter(dbPath);
  new IngestWriter(w).write([decodeJson('traces', trace())]);
  w.close();
  const q = new TraceQueries(openReader(dbPath));
  const spans: SpanView[] = [];
  const index = new SpanIndex(spans);
  let page = q.traceSpansPage(TRACE, undefined, undefined, 5000)!;
  assert.ok(page.outline, 'a trace this big comes as outlines');
  for (;;) {
    await runSliced(addPage(page, spans, index), () => true);
    if (!page.next) break;
    page = q.traceSpansPage(TRACE, undefined, page.next, 2500)!;
  }
  const layout = (await runSliced(traceLayout(spans.slice(), index), () => true))!;
  const atOnce = buildWaterfallRows(spans);
  assert.equal(layout.rows.length, 1 + 90 * 101);
  assert.deepEqual(
    layout.rows.map((r) => [r.span.spanId, r.depth, r.childCount, r.offsetMs]),
    atOnce.rows.map((r) => [r.span.spanId, r.depth, r.childCount, r.offsetMs]),
  );
  assert.equal(layout.traceDurationMs, atOnce.traceDurationMs);
  const critical = new Set(layout.rows.filter((_, r) => layout.critical[r]).map((r) => r.span.spanId));
  assert.deepEqual([...critical].sort(), [...criticalPath(spans)].sort());
  assert.ok(critical.has('0000000000000001') && critical.has((2 + 89 * 101).toString(16).padStart(16, '0')), 'the root and the last batch');
  assert.equal(layout.parentIds.length, 91, 'the root and the batches have children');
  assert.deepEqual(layout.services, ['loader']);
  assert.equal(spans.filter((s) => s.events.length === 1 && s.events[0]!.name === 'cache.miss').length, sent.events);
  assert.equal(spans.filter((s) => s.statusMessage === 'timeout').length, sent.errors);
});

test('a span ID that repeats names its last span; work for a trace left behind is dropped', async () => {
  const span = (spanId: string, parentSpanId: string | null): SpanView => spanView(spanId, parentSpanId);
  const spans = [span('a', null), span('b', 'a'), span('a', null)];
  const index = new SpanIndex(spans);
  spans.forEach((_, i) => index.add(i));
  assert.equal(index.get('a'), 2);
  assert.equal(index.get('b'), 1);
  assert.equal(index.get('c'), -1);
  assert.equal(index.repeats, 1);
  assert.equal(await runSliced(traceLayout(spans, index), () => false), undefined);
});
