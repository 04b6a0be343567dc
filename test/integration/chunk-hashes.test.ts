/**
 * The chunk hashes the writer keeps for reports (issue #16): a stored hash must be the hash of
 * the rows as SQLite gives them back, for every kind of stored text; a report's store hash must
 * come out the same with and without the stored hashes, whatever its range or dataset; and a
 * change to a row, or rows written by another writer, must never leave a stale hash.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startServe, tempDir } from '../helpers/serve-process.js';
import { ChunkBackfill } from '../../electron/core/store/chunk-backfill.js';
import { openWriter } from '../../electron/core/store/open-store.js';
import type { Db } from '../../electron/core/store/db.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import { ensureDataset } from '../../electron/core/store/datasets.js';
import { CHUNK_IDS, CONTENT_SECTIONS, chunkFromRows } from '../../electron/core/store/content-chunks.js';
import { storeContentSha256 } from '../../electron/core/reports/store-hash.js';

const T0_NS = 1_790_000_000_000_000_000n;
const ALL: [bigint, bigint] = [-(2n ** 62n), 2n ** 62n];
let traces = 0;

type Batch = ReturnType<typeof decodeJson>;

/** A request: a trace of `spans` spans starting at T0 + startMs (its root a prediction), with text of every awkward kind, and a log record. */
function trace(spans: number, startMs: number): Batch[] {
  const id = (++traces).toString(16).padStart(32, '0');
  const start = T0_NS + BigInt(startMs) * 1_000_000n;
  const log = decodeJson(
    'logs',
    JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'ränker\u0000api' } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: String(start + 10n),
                  severityText: 'WARN',
                  body: { stringValue: `slow \ud800 read ${traces}` },
                  attributes: [{ key: 'ratio', value: { doubleValue: traces / 3 } }],
                  traceId: id,
                  spanId: '0000000000000001',
                },
              ],
            },
          ],
        },
      ],
    }),
  );
  const spanBatch = decodeJson(
    'traces',
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'ränker\u0000api' } }] },
          scopeSpans: [
            {
              scope: { name: 'tëst', version: '1' },
              spans: Array.from({ length: spans }, (_, i) => ({
                traceId: id,
                spanId: (i + 1).toString(16).padStart(16, '0'),
                ...(i > 0 ? { parentSpanId: '0000000000000001' } : {}),
                name: ['root', 'naïve "quoted" | piped', 'nul\u0000inside', 'lone \ud800 surrogate', '🚀 emoji', ''][i % 6],
                kind: i % 5,
                traceState: i % 2 ? 'vendor=a' : '',
                flags: i % 3 === 0 ? 257 : 0,
                startTimeUnixNano: String(start + BigInt(i) * 1000n),
                endTimeUnixNano: String(start + BigInt(i) * 1000n + 5_000_000n),
                status: i % 4 === 0 ? { code: 2, message: 'timeout\nafter 30 s' } : {},
                attributes: [
                  ...(i === 0
                    ? [
                        { key: 'ml.model.name', value: { stringValue: 'ranker' } },
                        { key: 'ml.model.version', value: { stringValue: traces % 2 ? 'v1' : 'v2 \ud800' } },
                        { key: 'ml.prediction.score', value: { doubleValue: traces / 3 } },
                        { key: 'ml.prediction.id', value: { stringValue: `p-${traces}` } },
                      ]
                    : []),
                  { key: 'n', value: { intValue: String(-i) } },
                  { key: 'big', value: { intValue: '9007199254740993' } },
                  { key: 'x', value: { doubleValue: i / 3 } },
                  { key: 'tab', value: { stringValue: `a\tb${i}` } },
                  // Values larger than the writer's hashing buffer, and ones that fill it part-way.
                  ...(i === 1 && traces % 7 === 0 ? [{ key: 'long', value: { stringValue: 'é✓ '.repeat(120_000) } }] : []),
                  ...(i === 2 && traces % 3 === 0 ? [{ key: 'medium', value: { stringValue: 'ü'.repeat(50_000 + traces) } }] : []),
                ],
                ...(i % 3 === 1 ? { events: [{ timeUnixNano: String(start), name: 'retry', attributes: [] }] } : {}),
                ...(i % 4 === 2 ? { links: [{ traceId: id, spanId: '0000000000000001' }] } : {}),
                // 1e20 is stored as a REAL even in an INTEGER column: SQLite prints it its own way.
                droppedAttributesCount: i === 5 ? 1e20 : i % 7 === 0 ? 2 : 0,
              })),
            },
          ],
        },
      ],
    }),
  );
  return [spanBatch, log];
}

const sectionOf = (n: number): (typeof CONTENT_SECTIONS)[number] => CONTENT_SECTIONS.find((s) => s.section === n)!;

interface StoredChunk {
  section: number;
  chunk: number;
  rows: number;
  dataset_id: number | null;
  sha256: string;
}

const stored = (db: Db): StoredChunk[] =>
  db.prepare('SELECT section, chunk, rows, dataset_id, sha256 FROM chunk_hashes ORDER BY section, chunk').all() as StoredChunk[];

/** Every stored hash is the hash of its chunk's rows as SQLite makes their lines. */
function assertStoredHashesTrue(db: Db): void {
  for (const r of stored(db)) assert.equal(r.sha256, chunkFromRows(db, sectionOf(r.section), r.chunk).sha256, `section ${r.section} chunk ${r.chunk}`);
}

/** Both ways of hashing a scope agree: with the stored chunk hashes, and from every row. */
function assertSameBothWays(db: Db, from: bigint, to: bigint, datasetId: number | undefined, what: string): string {
  const fast = storeContentSha256(db, from, to, datasetId, true);
  assert.equal(fast, storeContentSha256(db, from, to, datasetId, false), what);
  return fast;
}

/**
 * A store whose newest span, prediction and log record have row ID `2 × chunk − 40` (one of
 * each copied there behind the writer's back), so the next writer opened fills chunk 1 of each
 * within a few traces.
 */
function storeNearChunkEdge(name: string): { db: Db; writer: IngestWriter; dbPath: string } {
  const dbPath = path.join(tempDir('sightline-chunks-'), `${name}.db`);
  const db = openWriter(dbPath);
  new IngestWriter(db).write(trace(6, 0));
  const edge = 2 * CHUNK_IDS - 40;
  db.prepare(
    `INSERT INTO predictions(id, dataset_id, trace_seq, span_id, time_unix_nano, duration_ns, service_name, host, model_name, model_version, score, label, confidence, prediction_id, features)
     SELECT ?, dataset_id, trace_seq, span_id, time_unix_nano, duration_ns, service_name, host, model_name, model_version, score, label, confidence, 'copied', features
     FROM predictions ORDER BY id LIMIT 1`,
  ).run(edge);
  db.prepare(
    `INSERT INTO log_records(id, resource_id, scope_id, time_unix_nano, observed_time_unix_nano, severity_number, severity_text, body, attributes, dropped_attributes_count, flags, trace_id, span_id, event_name)
     SELECT ?, resource_id, scope_id, time_unix_nano, observed_time_unix_nano, severity_number, severity_text, body, attributes, dropped_attributes_count, flags, trace_id, span_id, event_name
     FROM log_records ORDER BY id LIMIT 1`,
  ).run(edge);
  db.prepare(
    `INSERT INTO spans(id, trace_seq, trace_id, span_id, parent_span_id, resource_id, scope_id, name, kind, start_time_unix_nano, end_time_unix_nano,
       status_code, status_message, trace_state, flags, attributes, dropped_attributes_count, events, dropped_events_count, links, dropped_links_count)
     SELECT ?, trace_seq, trace_id, x'ffffffffffffffff', parent_span_id, resource_id, scope_id, name, kind, start_time_unix_nano, end_time_unix_nano,
       status_code, status_message, trace_state, flags, attributes, dropped_attributes_count, events, dropped_events_count, links, dropped_links_count
     FROM spans ORDER BY id LIMIT 1`,
  ).run(edge);
  return { db, writer: new IngestWriter(db), dbPath };
}

test('the writer stores a full chunk’s hash, equal to the hash of its rows as SQLite reads them', () => {
  const { db, writer } = storeNearChunkEdge('edge');
  for (let i = 1; i <= 40; i++) writer.write(trace(6, i * 60_000));
  assert.deepEqual(
    stored(db).map((r) => [r.section, r.chunk, r.rows, r.dataset_id]),
    [
      [1, 1, 40, 1],
      [2, 1, 40, 1],
      [3, 1, 40, 1],
    ],
    'chunk 1 of spans, predictions and log records is full: the copied row and the 39 after it',
  );
  assertStoredHashesTrue(db); // for spans: the lines made at ingest are byte for byte the lines SQLite makes
  assertSameBothWays(db, ...ALL, undefined, 'the whole store');
  assertSameBothWays(db, ...ALL, 1, 'the live dataset');
  assertSameBothWays(db, T0_NS + 5n * 60_000_000_000n, ALL[1], undefined, 'a range that cuts chunk 1');
  assertSameBothWays(db, ALL[0], T0_NS, undefined, 'a range before every span but the first trace');
});

test('a report uses the stored hashes; verify --db does not trust them', () => {
  const { db, writer } = storeNearChunkEdge('trust');
  for (let i = 1; i <= 40; i++) writer.write(trace(6, i * 60_000));
  const honest = assertSameBothWays(db, ...ALL, undefined, 'before tampering');
  for (const section of [1, 2, 3]) {
    // A stored hash changed behind Sightline's back: the quick way shows it, the full way ignores it.
    db.prepare("UPDATE chunk_hashes SET sha256 = 'x' || substr(sha256, 2) WHERE section = ? AND chunk = 1").run(section);
    assert.notEqual(storeContentSha256(db, ...ALL, undefined, true), honest, `section ${section}`);
    assert.equal(storeContentSha256(db, ...ALL, undefined, false), honest);
    db.prepare("UPDATE chunk_hashes SET sha256 = '0' || substr(sha256, 2) WHERE section = ? AND chunk = 1 AND sha256 LIKE 'x%'").run(section);
  }
});

test('an edited or deleted row drops its chunk’s hash, and the writer re-reads the span chunk it was filling', () => {
  const { db, writer } = storeNearChunkEdge('edit');
  for (let i = 1; i <= 40; i++) writer.write(trace(6, i * 60_000));
  let before = assertSameBothWays(db, ...ALL, undefined, 'before');
  for (const [table, section] of [
    ['spans', 1],
    ['predictions', 2],
    ['log_records', 3],
  ] as const) {
    const column = table === 'predictions' ? 'model_version' : table === 'spans' ? 'name' : 'severity_text';
    db.prepare(`UPDATE ${table} SET ${column} = ${column} || '!' WHERE id = ?`).run(2 * CHUNK_IDS - 10);
    assert.ok(!stored(db).some((r) => r.section === section && r.chunk === 1), `the edited chunk of ${table} has no stored hash now`);
    const edited = assertSameBothWays(db, ...ALL, undefined, `after the edit of ${table}`);
    assert.notEqual(edited, before, `one changed ${table} row shows`);
    before = edited;
  }
  // A span deleted from the chunk the writer is filling (chunk 2): its running hash is rebuilt.
  db.prepare('DELETE FROM spans WHERE id = ?').run(2 * CHUNK_IDS + 3);
  for (let i = 41; i <= 50; i++) writer.write(trace(6, i * 60_000));
  assertSameBothWays(db, ...ALL, undefined, 'after a delete and more ingest');
  assertStoredHashesTrue(db);
});

test('two writers on one store leave no wrong hash, and datasets are told apart', () => {
  const { db, writer } = storeNearChunkEdge('two');
  const other = new IngestWriter(db);
  const imported = ensureDataset(db, 'imported', 'import', 'test').id;
  for (let i = 1; i <= 30; i++) {
    writer.write(trace(3, i * 60_000));
    other.write(trace(3, i * 60_000 + 1), i % 2 ? imported : 1);
  }
  assert.deepEqual(
    stored(db).map((r) => [r.section, r.chunk, r.dataset_id]),
    [
      [1, 1, null],
      [2, 1, null],
      [3, 1, null],
    ],
    'each writer hashed the rows the other appended: chunk 1 of every section has its hash, of both datasets',
  );
  assertStoredHashesTrue(db);
  for (const dataset of [undefined, 1, imported]) assertSameBothWays(db, ...ALL, dataset, `dataset ${dataset ?? 'all'}`);
  assert.notEqual(storeContentSha256(db, ...ALL, 1, true), storeContentSha256(db, ...ALL, imported, true));
});

test('chunks written before the hashes were kept get them, one at a time; a chunk whose last row is gone does not', async () => {
  const { db, writer, dbPath } = storeNearChunkEdge('old');
  for (let i = 1; i <= 40; i++) writer.write(trace(6, i * 60_000));
  const kept = stored(db);
  assert.deepEqual(
    kept.map((r) => [r.section, r.chunk]),
    [
      [1, 1],
      [2, 1],
      [3, 1],
    ],
  );
  db.exec('DELETE FROM chunk_hashes'); // as in a store from before schema 7
  const backfill = new ChunkBackfill(db);
  for (let n = 1; n <= kept.length; n++) {
    assert.equal(backfill.sealOne(), true);
    assert.equal(stored(db).length, n, 'one chunk per call');
  }
  assert.equal(backfill.sealOne(), false, 'chunk 0 lacks its last row, chunk 2 is still filling');
  assert.deepEqual(stored(db), kept, 'the same hashes the writers kept');
  assertStoredHashesTrue(db);

  db.prepare('DELETE FROM spans WHERE id = ?').run(2 * CHUNK_IDS - 1); // drops the chunk's hash (migration 7's trigger)
  backfill.restart();
  assert.equal(backfill.sealOne(), false, 'a chunk that lost its last row could take rows again: left to be hashed from rows');
  assert.deepEqual(
    stored(db).map((r) => [r.section, r.chunk]),
    [
      [2, 1],
      [3, 1],
    ],
  );
  assertSameBothWays(db, ...ALL, undefined, 'the whole store after the backfill');

  // The live writer does it by itself between batches: serve on a store without hashes.
  db.exec('DELETE FROM chunk_hashes');
  db.close();
  const serve = await startServe(dbPath);
  try {
    const reader = new Database(dbPath, { readonly: true });
    const deadline = Date.now() + 20_000;
    let rows: unknown[] = [];
    while (Date.now() < deadline && rows.length < 2) {
      await new Promise((r) => setTimeout(r, 100));
      rows = reader.prepare('SELECT section, chunk FROM chunk_hashes ORDER BY section').raw().all();
    }
    reader.close();
    assert.deepEqual(rows, [
      [2, 1],
      [3, 1],
    ]);
  } finally {
    await serve.stop();
  }
});
