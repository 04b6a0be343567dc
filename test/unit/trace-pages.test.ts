/**
 * Huge traces in pages (trace-pages.ts) on a real SQLite file: pages in start order cover every
 * span exactly once, even where many spans share a start time; parents come before their
 * children; outlines leave attributes to getSpan; the core's in-trace search matches
 * "key=value" text as the waterfall does. Plus the waterfall's view-window arithmetic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openReader, openWriter } from '../../electron/core/store/open-store.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { TraceQueries } from '../../electron/core/store/trace-queries.js';
import { FULL_DETAIL_MAX_SPANS } from '../../electron/core/store/trace-pages.js';
import { readOutlineRows, readTraceOutline, spanIdSplits } from '../../electron/core/store/trace-outline-read.js';
import { concatRows } from '../../electron/core/store/outline-rows.js';
import { buildOutline, outlineColumns } from '../../electron/core/store/trace-outline.js';
import { outlineSpans } from '../../shared/model/outline-spans.js';
import type { SpanView } from '../../shared/model/telemetry.js';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import { tempDir } from '../helpers/serve-process.js';
import { barGeometry, readZoom, toViewPercent, windowFromBrush, zoomParam } from '../../renderer/src/waterfall/view-window.js';

const TRACE = '7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a';
const SPANS = FULL_DETAIL_MAX_SPANS + 2345;
const T0 = BigInt(Date.now()) * 1_000_000n;

function bigTrace(): string {
  const id = (n: number): string => n.toString(16).padStart(16, '0');
  // root, then children in groups of 50 that share one start time (ties the keyset must order).
  const spans = Array.from({ length: SPANS }, (_, i) => ({
    traceId: TRACE,
    spanId: id(i + 1),
    ...(i > 0 ? { parentSpanId: id(1) } : {}),
    name: i === 0 ? 'root' : `child-${i}`,
    startTimeUnixNano: String(T0 + BigInt(i === 0 ? 0 : 1 + Math.floor(i / 50)) * 1000n),
    endTimeUnixNano: String(T0 + 10_000_000n),
    attributes: [{ key: 'shard', value: { intValue: i % 7 } }],
    ...(i % 100 === 1 ? { events: [{ timeUnixNano: String(T0 + 5n), name: `retry-${i % 3}` }] } : {}),
    ...(i % 333 === 2 ? { status: { code: 2, message: `boom-${i % 2}` } } : {}),
  }));
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'loader' } }] }, scopeSpans: [{ spans }] }],
  });
}

test('pages of a huge trace cover every span once, parents first, as outlines', async () => {
  const dbPath = path.join(tempDir(), 'pages.db');
  const w = openWriter(dbPath);
  new IngestWriter(w).write([decodeJson('traces', bigTrace())]);
  w.close();
  const q = new TraceQueries(openReader(dbPath));
  const seen = new Set<string>();
  let after: { startTimeUnixNano: string; spanId: string } | undefined;
  let pages = 0;
  let lastStart = -Infinity;
  /** Span IDs in the order the pages brought them. */
  const order: string[] = [];
  for (;;) {
    const page = (await q.traceSpansPage(TRACE, undefined, after, 1000))!;
    assert.ok(page.outline, 'a huge trace comes as outlines');
    assert.deepEqual(page.spans, []);
    pages++;
    assert.equal(page.outline.offset, order.length, 'each page starts where the one before ended');
    for (const s of outlineSpans(page.outline)) {
      order.push(s.spanId);
      assert.equal(s.outline, true);
      assert.equal(s.serviceName, 'loader');
      assert.ok(!seen.has(s.spanId), `span ${s.spanId} came twice`);
      if (s.parentSpanId) assert.ok(seen.has(s.parentSpanId), 'the parent came before');
      assert.ok(s.startTimeMs >= lastStart, 'start order');
      assert.deepEqual(s.attributes, {}, 'outlines leave attributes out');
      lastStart = s.startTimeMs;
      seen.add(s.spanId);
    }
    // Parents come first: in this page or an earlier one.
    for (const [i, p] of page.outline.parentIndex.entries()) {
      const parent = page.outline.parentSpanIds.slice(i * 16, i * 16 + 16);
      if (p >= 0) assert.equal(order[p], parent, "the parent's position names the parent");
      else assert.equal(parent, '0000000000000000', 'only the root has no parent position');
    }
    if (!page.next) break;
    after = page.next;
  }
  assert.equal(seen.size, SPANS);
  assert.equal(pages, Math.ceil(SPANS / 1000));
  const full = q.getSpan(TRACE, (40).toString(16).padStart(16, '0'))!;
  assert.deepEqual(full.attributes, { shard: 39 % 7 });
  assert.equal(full.serviceName, 'loader');
  // The same text the waterfall searches: "key=value".
  assert.equal(q.findSpans(TRACE, undefined, 'shard=3', 100_000)!.length, Math.floor((SPANS - 4) / 7) + 1);
  assert.equal(q.findSpans(TRACE, undefined, 'child-123', 100)!.length, 11, 'child-123 and child-1230…1239');
  assert.equal(await q.traceSpansPage('0'.repeat(32), undefined, undefined, 1000), null);
});

test('an outline is in exact start order whatever the span IDs, keeps events and status, and picks up spans that arrive between pages', async () => {
  const dbPath = path.join(tempDir(), 'order.db');
  const w = openWriter(dbPath);
  const id = (n: number): string => n.toString(16).padStart(16, '0');
  const batch = (from: number, to: number): string =>
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: from === 0 ? 'first' : 'late' } }] },
          scopeSpans: [
            {
              spans: Array.from({ length: to - from }, (_, k) => {
                const i = from + k;
                // IDs fall as starts rise, and starts 7 ns apart: order by the exact nanosecond.
                const start = T0 + BigInt(i) * 7n;
                return {
                  traceId: TRACE,
                  spanId: id(1_000_000 - i),
                  ...(i > 0 ? { parentSpanId: id(1_000_000) } : {}),
                  name: `s${i}`,
                  startTimeUnixNano: String(start),
                  endTimeUnixNano: String(start + 2_500_000n),
                  ...(i % 1000 === 1
                    ? { events: [{ timeUnixNano: String(start + 1_000_000n), name: 'retry', attributes: [{ key: 'n', value: { intValue: 1 } }] }] }
                    : {}),
                  ...(i % 999 === 0 && i > 0 ? { status: { code: 2, message: 'boom' } } : {}),
                };
              }),
            },
          ],
        },
      ],
    });
  const first = SPANS;
  new IngestWriter(w).write([decodeJson('traces', batch(0, first))]);
  const q = new TraceQueries(openReader(dbPath));
  const seen: SpanView[] = [];
  let page = (await q.traceSpansPage(TRACE, undefined, undefined, 1000))!;
  seen.push(...outlineSpans(page.outline!));
  page = (await q.traceSpansPage(TRACE, undefined, page.next!, 1000))!;
  seen.push(...outlineSpans(page.outline!));
  // 500 more spans, all later than the ones already paged through.
  new IngestWriter(w).write([decodeJson('traces', batch(first, first + 500))]);
  w.close();
  while (page.next) {
    page = (await q.traceSpansPage(TRACE, undefined, page.next, 1000))!;
    seen.push(...outlineSpans(page.outline!));
  }
  assert.equal(seen.length, first + 500, 'every span once, the late ones too');
  assert.deepEqual(
    seen.map((s) => s.name),
    Array.from({ length: first + 500 }, (_, i) => `s${i}`),
    'in start order, 7 ns apart',
  );
  assert.equal(seen[first + 10]!.serviceName, 'late');
  assert.equal(seen[1]!.parentSpanId, id(1_000_000));
  assert.equal(seen[0]!.parentSpanId, null);
  const withEvent = seen[1001]!;
  assert.deepEqual(
    withEvent.events.map((e) => [e.name, Math.round((e.timeMs - withEvent.startTimeMs) * 1000)]),
    [['retry', 1000]],
    'event name and time (1 ms in), without its attributes',
  );
  assert.deepEqual([seen[999]!.statusCode, seen[999]!.statusMessage], [2, 'boom']);
  assert.equal(seen[2]!.durationMs, 2.5);
});

test('an outline read in span-ID ranges (as reader threads read it) and joined is the outline read whole', () => {
  const dbPath = path.join(tempDir(), 'parts.db');
  const w = openWriter(dbPath);
  new IngestWriter(w).write([decodeJson('traces', bigTrace())]);
  w.close();
  const db = openReader(dbPath);
  const { seq, startUs } = db.prepare('SELECT trace_seq AS seq, start_time_unix_nano / 1000 AS startUs FROM traces').get() as { seq: number; startUs: number };
  const whole = readTraceOutline(db, seq, startUs);
  for (const parts of [2, 3, 7]) {
    const splits = spanIdSplits(db, seq, SPANS, parts);
    assert.equal(splits.length, parts - 1);
    const bounds = [undefined, ...splits, undefined];
    const read = bounds.slice(1).map((to, k) => readOutlineRows(db, seq, startUs, bounds[k], to));
    assert.ok(
      read.every((r) => Math.abs(r.count - SPANS / parts) <= 1),
      `about equal parts: ${read.map((r) => r.count).join(', ')}`,
    );
    const joined = buildOutline(startUs, concatRows(read));
    // The string tables differ in order (each part interns its own first); what a page carries does not.
    assert.deepEqual(outlineColumns(joined, 0, SPANS), outlineColumns(whole, 0, SPANS), `${parts} parts`);
    assert.deepEqual(joined.parentIndex, whole.parentIndex);
  }
});

test('a small trace comes whole, with its attributes, in one page', async () => {
  const dbPath = path.join(tempDir(), 'small.db');
  const w = openWriter(dbPath);
  const small = JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 's' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: TRACE,
                spanId: '00000000000000aa',
                name: 'only',
                startTimeUnixNano: String(T0),
                endTimeUnixNano: String(T0 + 5n),
                attributes: [{ key: 'k', value: { stringValue: 'v' } }],
              },
            ],
          },
        ],
      },
    ],
  });
  new IngestWriter(w).write([decodeJson('traces', small)]);
  w.close();
  const page = (await new TraceQueries(openReader(dbPath)).traceSpansPage(TRACE, undefined, undefined, 100))!;
  assert.equal(page.outline, null);
  assert.equal(page.next, null);
  assert.deepEqual(page.spans[0]!.attributes, { k: 'v' });
});

test('the view window maps times, clips bars, and round-trips through the URL', () => {
  const view = { startMs: 100, endMs: 300 };
  assert.equal(toViewPercent(200, view), 50);
  assert.deepEqual(barGeometry(50, 100, view), { leftPct: 0, widthPct: 25 }, 'clipped at the left edge');
  assert.equal(barGeometry(0, 50, view), null, 'wholly before the window');
  assert.equal(barGeometry(400, 5, view), null, 'wholly after');
  assert.deepEqual(readZoom(zoomParam(view), 1000), view);
  assert.equal(readZoom('500-400', 1000), null, 'an empty window is no zoom');
  assert.deepEqual(readZoom('900-5000', 1000), { startMs: 900, endMs: 1000 }, 'kept inside the trace');
  assert.deepEqual(windowFromBrush(0.6, 0.2, 1000), { startMs: 200, endMs: 600 }, 'a brush drawn right to left');
  const tiny = windowFromBrush(0.5, 0.5, 1000);
  assert.ok(tiny.endMs - tiny.startMs >= 1 - 1e-9, 'at least 0.1% of the trace');
});
