import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openReader, openWriter } from '../../electron/core/store/open-store.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { TraceQueries } from '../../electron/core/store/trace-queries.js';
import { exportTraceAsOtlp } from '../../electron/core/store/otlp-trace-export.js';
import { applyRetention } from '../../electron/core/store/retention.js';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import { LATEST_SCHEMA_VERSION } from '../../electron/core/store/migrations.js';
import { tempDir } from '../helpers/serve-process.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const NOW_NS = BigInt(Date.now()) * 1_000_000n;

function spansRequest(service: string, spans: object[]): string {
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ scope: { name: 'test' }, spans }] }],
  });
}

function span(spanId: string, parent: string | null, name: string, startOffsetMs: number, durationMs: number, extra: object = {}): object {
  const start = NOW_NS + BigInt(startOffsetMs) * 1_000_000n;
  return {
    traceId: TRACE,
    spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + BigInt(durationMs) * 1_000_000n),
    ...extra,
  };
}

test('the trace summary is kept at ingest, even when the root span arrives last', () => {
  const dbPath = path.join(tempDir(), 's.db');
  const db = openWriter(dbPath);
  assert.equal(db.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  const writer = new IngestWriter(db);
  writer.write([
    decodeJson('traces', spansRequest('feature-store', [span('00000000000000b1', '00000000000000a1', 'GET features', 5, 40, { status: { code: 2 } })])),
  ]);
  const reader = openReader(dbPath);
  const q = new TraceQueries(reader);
  let [summary] = q.searchTraces({ limit: 10 });
  assert.equal(summary!.rootSpanName, null, 'no root yet');
  assert.equal(summary!.spanCount, 1);

  const totals = writer.write([decodeJson('traces', spansRequest('ranker', [span('00000000000000a1', null, 'predict', 0, 100)]))]);
  assert.equal(totals.spans, 1);
  assert.equal(totals.traces, 0, 'the trace already existed');
  [summary] = q.searchTraces({ limit: 10 });
  assert.equal(summary!.rootSpanName, 'predict');
  assert.equal(summary!.rootServiceName, 'ranker');
  assert.equal(summary!.spanCount, 2);
  assert.equal(summary!.errorCount, 1);
  assert.equal(summary!.durationMs, 100);
  assert.deepEqual(summary!.serviceNames, ['feature-store', 'ranker']);
  assert.equal(q.searchTraces({ service: 'feature-store', limit: 10 }).length, 1);
  assert.equal(q.searchTraces({ service: 'nobody', limit: 10 }).length, 0);

  // An exporter retry re-sends a span: it is not stored twice.
  const again = writer.write([decodeJson('traces', spansRequest('ranker', [span('00000000000000a1', null, 'predict', 0, 100)]))]);
  assert.equal(again.duplicateSpans, 1);
  assert.deepEqual(q.stats(), { traces: 1, spans: 2, metricPoints: 0, logRecords: 0, services: ['feature-store', 'ranker'] });

  const detail = q.getTrace(TRACE)!;
  assert.equal(detail.spans.length, 2);
  assert.equal(detail.spans[0]!.name, 'predict');
  reader.close();
  db.close();
});

test('export rebuilds OTLP JSON with exact types and nanoseconds', () => {
  const dbPath = path.join(tempDir(), 's.db');
  const db = openWriter(dbPath);
  const attrs = [
    { key: 'i', value: { intValue: '-9223372036854775808' } },
    { key: 'd', value: { doubleValue: 3 } },
    { key: 'nan', value: { doubleValue: 'NaN' } },
    { key: 'b', value: { bytesValue: 'AQID' } },
    { key: 'nested', value: { kvlistValue: { values: [{ key: 'x', value: { arrayValue: { values: [{ boolValue: false }] } } }] } } },
  ];
  const s = {
    ...span('00000000000000a1', null, 'root', 0, 1),
    startTimeUnixNano: '1700000000123456789',
    endTimeUnixNano: '1700000000999999999',
    attributes: attrs,
    events: [{ timeUnixNano: '1700000000500000001', name: 'e', attributes: [{ key: 'k', value: { stringValue: 'v' } }] }],
  };
  new IngestWriter(db).write([decodeJson('traces', spansRequest('svc', [s]))]);
  const out = exportTraceAsOtlp(db, TRACE)!;
  const exported = out.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
  assert.equal(exported.startTimeUnixNano, '1700000000123456789');
  assert.equal(exported.endTimeUnixNano, '1700000000999999999');
  assert.deepEqual(exported.attributes, [
    { key: 'i', value: { intValue: '-9223372036854775808' } },
    { key: 'd', value: { doubleValue: 3 } },
    { key: 'nan', value: { doubleValue: 'NaN' } },
    { key: 'b', value: { bytesValue: 'AQID' } },
    { key: 'nested', value: { kvlistValue: { values: [{ key: 'x', value: { arrayValue: { values: [{ boolValue: false }] } } }] } } },
  ]);
  assert.deepEqual(exported.events, [
    { timeUnixNano: '1700000000500000001', name: 'e', attributes: [{ key: 'k', value: { stringValue: 'v' } }], droppedAttributesCount: 0 },
  ]);
  db.close();
});

test('retention removes traces older than the age limit, and keeps the counters right', () => {
  const dbPath = path.join(tempDir(), 's.db');
  const db = openWriter(dbPath);
  const writer = new IngestWriter(db);
  const old = {
    ...span('00000000000000a1', null, 'old', 0, 1),
    traceId: '11111111111111111111111111111111',
    startTimeUnixNano: String(NOW_NS - 10n * 86_400_000_000_000n),
    endTimeUnixNano: String(NOW_NS - 10n * 86_400_000_000_000n + 1000n),
  };
  writer.write([decodeJson('traces', spansRequest('svc', [old, span('00000000000000a2', null, 'new', 0, 1)]))]);
  const result = applyRetention(db, { maxAgeDays: 7, maxBytes: 0 });
  assert.equal(result.tracesDeleted, 1);
  assert.equal(result.spansDeleted, 1);
  const q = new TraceQueries(db);
  assert.deepEqual(
    q.searchTraces({ limit: 10 }).map((t) => t.rootSpanName),
    ['new'],
  );
  assert.equal(q.stats().spans, 1);
  assert.equal(q.stats().traces, 1);
  db.close();
});

test('retention by size deletes the oldest traces until the store fits', () => {
  const dbPath = path.join(tempDir(), 's.db');
  const db = openWriter(dbPath);
  const writer = new IngestWriter(db);
  const big = 'x'.repeat(2000);
  for (let t = 0; t < 40; t++) {
    const traceId = (t + 1).toString(16).padStart(32, '0');
    const spans = Array.from({ length: 50 }, (_, i) => ({
      ...span((i + 1).toString(16).padStart(16, '0'), null, `s${i}`, t * 1000, 1),
      traceId,
      attributes: [{ key: 'blob', value: { stringValue: big } }],
    }));
    writer.write([decodeJson('traces', spansRequest('svc', spans))]);
  }
  const limit = 1024 * 1024;
  applyRetention(db, { maxAgeDays: 0, maxBytes: limit });
  const q = new TraceQueries(db);
  const remaining = q.searchTraces({ limit: 100 });
  assert.ok(remaining.length > 0 && remaining.length < 40, `kept ${remaining.length} of 40 traces`);
  // the newest survive
  assert.equal(remaining[0]!.traceId, (40).toString(16).padStart(32, '0'));
  db.close();
});
