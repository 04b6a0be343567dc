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
  serve = await startServe(dbPath, ['--otlp-grpc-port', 'off']);
});

after(async () => {
  delete process.env['SIGHTLINE_OUTLINE_THREADS'];
  await serve?.stop();
});

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
