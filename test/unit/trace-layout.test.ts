/**
 * The waterfall's layout made as sliced work, page by page, as the UI makes it for a huge trace
 * (span-list.ts, trace-layout.ts, sliced.ts) on pages from a real SQLite store: the rows,
 * critical path, parents and events are those of laying out all the spans at once, whether the
 * parents come as the core's positions or are found by ID.
 */
import { spanView } from '../helpers/span-view.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openReader, openWriter } from '../../electron/core/store/open-store.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { TraceQueries } from '../../electron/core/store/trace-queries.js';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import type { SpanView, TraceSpansPage } from '../../shared/model/telemetry.js';
import { tempDir } from '../helpers/serve-process.js';
import { SpanIndex } from '../../renderer/src/waterfall/span-index.js';
import { SpanList } from '../../renderer/src/waterfall/span-list.js';
import { PARENT_NOT_IN_PAGE } from '../../shared/model/span-outline.js';
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
  const list = new SpanList();
  const spans = list.spans;
  let page = (await q.traceSpansPage(TRACE, undefined, undefined, 5000))!;
  assert.ok(page.outline, 'a trace this big comes as outlines');
  for (;;) {
    await runSliced(list.add(page), () => true);
    if (!page.next) break;
    page = (await q.traceSpansPage(TRACE, undefined, page.next, 2500))!;
  }
  const layout = (await runSliced(traceLayout(list), () => true))!;
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
  const list = new SpanList();
  await runSliced(list.add({ summary: { spanCount: spans.length } as TraceSpansPage['summary'], spans, next: null, outline: null }), () => true);
  assert.equal(await runSliced(traceLayout(list), () => false), undefined);
});

/** A store for a trace written in steps: random-looking span IDs (SQLite reads by ID, not by start), times in µs from t0. */
function skewStore(name: string): {
  w: ReturnType<typeof openWriter>;
  dbPath: string;
  trace: string;
  id: (n: number) => string;
  span: (n: number, parent: number | string | null, startUs: bigint, durUs: bigint) => object;
  send: (spans: object[]) => void;
} {
  const dbPath = path.join(tempDir(), name);
  const w = openWriter(dbPath);
  const trace = '6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a';
  const t0 = BigInt(Date.now()) * 1_000_000n;
  const us = 1000n;
  const id = (n: number): string => ((n * 2654435761) % 2 ** 32).toString(16).padStart(8, '0') + n.toString(16).padStart(8, '0');
  const span = (n: number, parent: number | string | null, startUs: bigint, durUs: bigint): object => ({
    traceId: trace,
    spanId: id(n),
    ...(parent === null ? {} : { parentSpanId: typeof parent === 'string' ? parent : id(parent) }),
    name: `s${n}`,
    startTimeUnixNano: String(t0 + startUs * us),
    endTimeUnixNano: String(t0 + (startUs + durUs) * us),
  });
  const send = (spans: object[]): void => {
    new IngestWriter(w).write([
      decodeJson(
        'traces',
        JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'skew' } }] }, scopeSpans: [{ spans }] }] }),
      ),
    ]);
  };
  return { w, dbPath, trace, id, span, send };
}

test('parents by position: a first-page span whose parent starts later, a parent not in the trace, and spans that arrive between pages', async () => {
  const { w, id, span, send, trace } = skewStore('positions.db');
  const first: object[] = [span(1, null, 0n, 10_000_000n), span(2, 3, 1n, 5n), span(3, 1, 550_010n, 10_000n), span(4, 'deadbeefdeadbeef', 2n, 5n)];
  for (let n = 5; n < 7000; n++) first.push(span(n, n >= 6500 ? n - 500 : 1, 10n + BigInt(n) * 100n, 50n));
  send(first);
  const q = new TraceQueries(openReader(w.name));
  const list = new SpanList();
  let page = (await q.traceSpansPage(trace, undefined, undefined, 5000))!;
  const c = page.outline!;
  const at = (n: number): number => {
    const i = c.spanIds.indexOf(id(n));
    assert.ok(i >= 0 && i % 16 === 0, `span ${n} in the page, on an ID's boundary`);
    return i / 16;
  };
  assert.equal(c.offset, 0);
  assert.equal(c.parentIndex[at(2)], PARENT_NOT_IN_PAGE, "the child whose parent starts after the first page's spans");
  assert.equal(c.parentIndex[at(4)], PARENT_NOT_IN_PAGE, 'a parent that is not in the trace (nor in the page)');
  assert.equal(c.parentIndex[at(5)], at(1), 'a parent in the page, by position');
  await runSliced(list.add(page), () => true);
  page = (await q.traceSpansPage(trace, undefined, page.next!, 1000))!;
  assert.equal(page.outline!.offset, 5000, 'the next page starts where the first ended');
  await runSliced(list.add(page), () => true);
  const laidOut = (await runSliced(traceLayout(list), () => true))!;
  const byId = new Map(laidOut.rows.map((r) => [r.span.spanId, r]));
  assert.equal(byId.get(id(2))!.depth, 2, 'found under its parent, which came in a later page');
  assert.equal(byId.get(id(4))!.depth, 0, 'an orphan stays at the top level');
  // Spans that start early arrive now: the core's positions of later pages shift against the list.
  send(Array.from({ length: 50 }, (_, k) => span(20_000 + k, 3, 550_011n + BigInt(k), 1n)).concat([span(30_000, 1, 3n, 1n)]));
  w.close();
  const shifted: number[] = [];
  while (page.next) {
    page = (await q.traceSpansPage(trace, undefined, page.next, 1000))!;
    shifted.push(page.outline!.offset - list.spans.length);
    await runSliced(list.add(page), () => true);
  }
  assert.equal(shifted[0], 51, "the core's positions count the 51 spans the list never got (they start before its cursor)");
  const layout = (await runSliced(traceLayout(list), () => true))!;
  const atOnce = buildWaterfallRows(list.spans.slice());
  assert.equal(layout.rows.length, list.spans.length);
  assert.deepEqual(
    layout.rows.map((r) => [r.span.spanId, r.depth, r.childCount]),
    atOnce.rows.map((r) => [r.span.spanId, r.depth, r.childCount]),
    'the same tree as finding every parent by ID',
  );
  assert.equal(layout.rows.find((r) => r.span.spanId === id(6900))!.depth, 2, 'a span of the last page under its parent, a span of an earlier one');
});

test('a parent further on in the trace stays found when spans arrive between the cursor and it', async () => {
  const { w, id, span, send, trace } = skewStore('forward.db');
  // Span 2 (in the second page) names span 3 as its parent, which starts much later (a skewed
  // clock): a position ahead of the pages read so far.
  const spans: object[] = [span(1, null, 0n, 10_000_000n), span(2, 3, 550_011n, 5n), span(3, 1, 690_000n, 10n)];
  for (let n = 5; n < 7000; n++) spans.push(span(n, 1, 10n + BigInt(n) * 100n, 50n));
  send(spans);
  const q = new TraceQueries(openReader(w.name));
  const list = new SpanList();
  let page = (await q.traceSpansPage(trace, undefined, undefined, 5000))!;
  await runSliced(list.add(page), () => true);
  page = (await q.traceSpansPage(trace, undefined, page.next!, 1000))!;
  const second = page.outline!;
  const child = second.spanIds.indexOf(id(2)) / 16;
  assert.ok(Number.isInteger(child) && child >= 0, 'span 2 comes in the second page');
  assert.ok(second.parentIndex[child]! > second.offset + 1000, 'with its parent as a position beyond that page');
  await runSliced(list.add(page), () => true);
  // 20 spans that start after the cursor (~600,000 µs) and before span 3: its position moves by 20.
  send(Array.from({ length: 20 }, (_, k) => span(50_000 + k, 1, 650_000n + BigInt(k), 1n)));
  w.close();
  while (page.next) {
    page = (await q.traceSpansPage(trace, undefined, page.next, 1000))!;
    assert.equal(page.outline!.offset, list.spans.length, 'the offsets still line up: only the versions say the trace changed');
    await runSliced(list.add(page), () => true);
  }
  const layout = (await runSliced(traceLayout(list), () => true))!;
  const row = layout.rows.find((r) => r.span.spanId === id(2))!;
  assert.equal(row.depth, 2, 'under span 3, found by ID');
  const parentRow = layout.rows[layout.rows.indexOf(row) - 1]!;
  assert.equal(parentRow.span.spanId, id(3));
});
