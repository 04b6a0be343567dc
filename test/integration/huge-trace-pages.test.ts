/**
 * A huge trace paged through `sightline serve` (the built app), its outline read by reader
 * threads (outline-thread.ts) in span-ID ranges side by side: every span comes once, in start
 * order, each parent position names the parent, and the spans are those of the outline read
 * whole on one connection.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { apiResult, ROOT, runCli, startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { openReader } from '../../electron/core/store/open-store.js';
import { readTraceOutline } from '../../electron/core/store/trace-outline-read.js';
import { outlineColumns } from '../../electron/core/store/trace-outline.js';
import { outlineSpans } from '../../shared/model/outline-spans.js';
import type { SpanView, TraceSpansPage } from '../../shared/model/telemetry.js';

const TRACE = '4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e';
const SPANS = 60_000;
let serve: ServeProcess;
let dbPath: string;

/** Random-looking span IDs (SQLite reads by ID, not by start); 3 services; events and errors here and there. */
function writeTrace(file: string): void {
  const t0 = BigInt(Date.now() - 3_600_000) * 1_000_000n;
  const id = (n: number): string => ((n * 2654435761) % 2 ** 32).toString(16).padStart(8, '0') + n.toString(16).padStart(8, '0');
  const lines: string[] = [];
  for (let from = 0; from < SPANS; from += 10_000) {
    const bySvc: object[][] = [[], [], []];
    for (let n = from; n < Math.min(SPANS, from + 10_000); n++) {
      // A tree 3 levels deep: n's parent is floor(n / 40), started earlier.
      const start = t0 + BigInt(n) * 997n;
      bySvc[n % 3]!.push({
        traceId: TRACE,
        spanId: id(n + 1),
        ...(n > 0 ? { parentSpanId: id(Math.floor(n / 40) + 1) } : {}),
        name: `op-${n % 17}`,
        startTimeUnixNano: String(start),
        endTimeUnixNano: String(start + 500_000n),
        ...(n % 250 === 3 ? { events: [{ timeUnixNano: String(start + 1000n), name: `ev-${n % 2}` }] } : {}),
        ...(n % 333 === 5 ? { status: { code: 2, message: 'timeout' } } : {}),
      });
    }
    lines.push(
      JSON.stringify({
        resourceSpans: bySvc.map((spans, k) => ({
          resource: { attributes: [{ key: 'service.name', value: { stringValue: `svc-${k}` } }] },
          scopeSpans: [{ spans }],
        })),
      }),
    );
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

const api = <T>(method: string, body: object): Promise<T> => apiResult<T>(serve, method, body);

const view = (s: SpanView): unknown[] => [
  s.spanId,
  s.parentSpanId,
  s.name,
  s.serviceName,
  s.startTimeMs,
  s.durationMs,
  s.statusCode,
  s.statusMessage,
  s.events,
];

before(async () => {
  const dir = tempDir();
  dbPath = path.join(dir, 'huge.db');
  const file = path.join(dir, 'huge.jsonl');
  writeTrace(file);
  const r = await runCli(['import', file, '--db', dbPath, '--dataset', 'huge']);
  assert.equal(r.code, 0, r.stderr);
  // Without the built worker the core would read on its own thread, and these tests would not see the threads.
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'app', 'outline-worker.js')), 'the outline worker is built');
  process.env['SIGHTLINE_OUTLINE_THREADS'] = '2';
  // Nothing kept in the store: this serve reads the trace with its threads.
  process.env['SIGHTLINE_OUTLINE_KEEP_MS'] = 'off';
  serve = await startServe(dbPath, ['--otlp-grpc-port', 'off']);
});

after(async () => {
  delete process.env['SIGHTLINE_OUTLINE_THREADS'];
  delete process.env['SIGHTLINE_OUTLINE_KEEP_MS'];
  await serve?.stop();
});

/** Every span of a trace, paged as the waterfall pages it. */
async function pageAll(traceId: string): Promise<SpanView[]> {
  const spans: SpanView[] = [];
  let page = (await api<TraceSpansPage | null>('getTraceSpans', { traceId, limit: 5000 }))!;
  for (;;) {
    assert.equal(page.outline!.offset, spans.length);
    spans.push(...outlineSpans(page.outline!));
    if (!page.next) return spans;
    page = (await api<TraceSpansPage | null>('getTraceSpans', { traceId, limit: 25_000, after: page.next }))!;
  }
}

/** Waits until the store holds an outline of `traceId` at `spanCount` spans. */
async function keptAt(traceId: string, spanCount: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const db = openReader(dbPath);
    const kept = db.prepare('SELECT span_count FROM trace_outlines WHERE trace_id = ?').pluck().get(Buffer.from(traceId, 'hex')) as number | undefined;
    db.close();
    if (kept === spanCount) return;
    assert.ok(Date.now() < deadline, `the outline of ${traceId} was kept at ${spanCount} spans (stored: ${kept})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a huge trace read by two reader threads pages out every span once, in order, with parent positions', async () => {
  const spans: SpanView[] = [];
  const parents: number[] = [];
  let page = (await api<TraceSpansPage | null>('getTraceSpans', { traceId: TRACE, limit: 5000 }))!;
  for (;;) {
    assert.ok(page.outline, 'a huge trace comes as outlines');
    assert.equal(page.outline.offset, spans.length);
    spans.push(...outlineSpans(page.outline));
    parents.push(...page.outline.parentIndex);
    if (!page.next) break;
    page = (await api<TraceSpansPage | null>('getTraceSpans', { traceId: TRACE, limit: 25_000, after: page.next }))!;
  }
  assert.equal(spans.length, SPANS);
  assert.equal(new Set(spans.map((s) => s.spanId)).size, SPANS, 'every span once');
  for (let i = 1; i < SPANS; i++) assert.ok(spans[i]!.startTimeMs >= spans[i - 1]!.startTimeMs, 'start order');
  for (const [i, p] of parents.entries()) {
    if (p >= 0) assert.equal(spans[p]!.spanId, spans[i]!.parentSpanId, 'the parent position names the parent');
    else assert.ok(p === -1 || i < 5000, 'unknown parents only in the first page');
  }
  assert.equal(parents.filter((p) => p === -1).length, 1, 'only the root has none');
  const db = openReader(dbPath);
  const { seq, startUs } = db.prepare('SELECT trace_seq AS seq, start_time_unix_nano / 1000 AS startUs FROM traces').get() as { seq: number; startUs: number };
  const whole = readTraceOutline(db, seq, startUs);
  db.close();
  assert.deepEqual(spans.map(view), outlineSpans(outlineColumns(whole, 0, whole.count)).map(view), 'the outline read whole, on one connection');
  assert.equal(spans.filter((s) => s.events.length > 0).length, SPANS / 250);
  assert.equal(new Set(spans.map((s) => s.serviceName)).size, 3);
});

test("a running core keeps huge traces' outlines in the store, at start and after spans arrive, and pages them", async () => {
  await serve.stop();
  process.env['SIGHTLINE_OUTLINE_KEEP_MS'] = '100';
  serve = await startServe(dbPath, ['--otlp-grpc-port', 'off']);
  // The imported trace, kept by the pass after the start.
  await keptAt(TRACE, SPANS);
  const db = openReader(dbPath);
  const { seq, startUs } = db.prepare('SELECT trace_seq AS seq, start_time_unix_nano / 1000 AS startUs FROM traces').get() as { seq: number; startUs: number };
  const whole = readTraceOutline(db, seq, startUs);
  db.close();
  assert.deepEqual((await pageAll(TRACE)).map(view), outlineSpans(outlineColumns(whole, 0, whole.count)).map(view));

  // A trace that grows huge over OTLP/HTTP is kept once its spans are in, and again when more come.
  const live = '6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f';
  const t0 = BigInt(Date.now() - 60_000) * 1_000_000n;
  const send = async (from: number, to: number): Promise<void> => {
    const spans = Array.from({ length: to - from }, (_, k) => {
      const n = from + k;
      return {
        traceId: live,
        spanId: (n + 1).toString(16).padStart(16, '0'),
        ...(n > 0 ? { parentSpanId: '0000000000000001' } : {}),
        name: `step-${n % 5}`,
        startTimeUnixNano: String(t0 + BigInt(n) * 1000n),
        endTimeUnixNano: String(t0 + BigInt(n) * 1000n + 500n),
      };
    });
    const body = { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'streamer' } }] }, scopeSpans: [{ spans }] }] };
    const res = await fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.text());
  };
  await send(0, 4000);
  await send(4000, 7000);
  await keptAt(live, 7000);
  await send(7000, 7010);
  await keptAt(live, 7010);
  const spans = await pageAll(live);
  assert.equal(spans.length, 7010);
  assert.equal(new Set(spans.map((s) => s.spanId)).size, 7010);
  assert.ok(spans.every((s, i) => i === 0 || s.parentSpanId === '0000000000000001'));
});
