/**
 * The writer thread: the one SQLite writer. Decoded batches arrive from the decode worker;
 * those that arrive while a transaction runs are committed together in the next one (group
 * commit). A request is answered (to the main thread) only after its transaction commits, so
 * a 2xx means the data is on disk. UI queries read through their own WAL connection on the
 * main thread and never wait for this one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openWriter } from '../store/open-store.js';
import type { WriteTotals } from '../store/batch-writer.js';
import { IngestWriter } from './ingest-writer.js';
import { applyRetention } from '../store/retention.js';
import { backfillAttributeBlooms } from '../store/attribute-bloom-backfill.js';
import { ChunkBackfill } from '../store/chunk-backfill.js';
import type { FromWriter, IngestOutcome, ToWriter, ToWriterControl, WriterInit } from './messages.js';
import type { MessagePort } from 'node:worker_threads';
import type { DecodedBatch } from '../otlp/model.js';
import { unpackBatches } from './batch-transfer.js';

const MAX_REQUESTS_PER_COMMIT = 256;
const RETENTION_INTERVAL_MS = 60_000;
/** The writer's page cache: appends need little, and it is most of the serve process's memory under load. */
const WRITER_CACHE_MB = 32;

const port = parentPort!;
const init = workerData as WriterInit;
const send = (m: FromWriter): void => port.postMessage(m);

let db: ReturnType<typeof openWriter>;
let writer: IngestWriter;
try {
  db = openWriter(init.dbPath, { nativeBinding: init.nativeBinding, cacheMb: WRITER_CACHE_MB });
  writer = new IngestWriter(db);
} catch (e) {
  send({ type: 'fatal', message: `cannot open the store at ${init.dbPath}: ${(e as Error).message}` });
  process.exit(1);
}

const pending: { id: number; batch: DecodedBatch }[] = [];
let scheduled = false;

// One port per decode worker, handed over by the main thread (again when a decoder is
// replaced). The store closes once every decoder still running has said it is done; a port
// whose decoder died just goes away.
const active = new Set<MessagePort>();
const done = new Set<MessagePort>();
let shuttingDown = false;

function closeStoreWhenDone(): void {
  if (!shuttingDown || [...active].some((p) => !done.has(p))) return;
  flushAll();
  db.close();
  send({ type: 'closed' });
  port.close();
}

function attach(batchPort: MessagePort): void {
  active.add(batchPort);
  batchPort.on('message', (m: ToWriter) => {
    if (m.type === 'close') {
      shuttingDown = true;
      done.add(batchPort);
      batchPort.close();
      closeStoreWhenDone();
      return;
    }
    pending.push({ id: m.id, batch: unpackBatches(m.packed)[0]! });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flushAll);
    }
  });
  batchPort.on('close', () => {
    if (done.has(batchPort)) return;
    active.delete(batchPort);
    closeStoreWhenDone();
  });
}

port.on('message', (m: ToWriterControl) => {
  if (m.type === 'port') attach(m.port);
});

function flushAll(): void {
  scheduled = false;
  while (pending.length > 0) flush();
}

function flush(): void {
  const decoded = pending.splice(0, MAX_REQUESTS_PER_COMMIT);
  if (decoded.length === 0) return;
  try {
    commit(decoded);
  } catch (e) {
    if (decoded.length === 1 || isStoreFault(e)) {
      for (const d of decoded) send({ type: 'result', id: d.id, outcome: failureOutcome(e) });
      return;
    }
    // One request's data broke the shared transaction: commit each on its own, so only the
    // request that carries the problem is refused and every other one is stored.
    for (const d of decoded) {
      try {
        commit([d]);
      } catch (e2) {
        send({ type: 'result', id: d.id, outcome: failureOutcome(e2) });
      }
    }
  }
}

/** Writes the requests in one transaction and answers each (after COMMIT). Throws if it rolled back. */
function commit(decoded: { id: number; batch: DecodedBatch }[]): void {
  const totals: WriteTotals = writer.write(decoded.map((d) => d.batch));
  for (const d of decoded) {
    const accepted =
      d.batch.spans.reduce((n, g) => n + g.spans.length, 0) +
      d.batch.metrics.reduce((n, g) => n + g.points.length, 0) +
      d.batch.logs.reduce((n, g) => n + g.logs.length, 0);
    send({ type: 'result', id: d.id, outcome: { status: 'ok', accepted, rejected: d.batch.rejected, rejectReasons: d.batch.rejectReasons } });
  }
  if (totals.spans || totals.metricPoints || totals.logRecords) send({ type: 'committed', totals });
}

/** Faults of the store itself (disk full, I/O, locked), as opposed to a request's data. */
function isStoreFault(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(FULL|IOERR|BUSY|LOCKED|NOMEM|CANTOPEN|READONLY|CORRUPT|NOTADB|PROTOCOL)/.test(code);
}

/**
 * A store fault is worth retrying (503 + Retry-After); a request whose own data cannot be
 * stored is not (400), or SDKs would retry it forever.
 */
function failureOutcome(e: unknown): IngestOutcome {
  const err = e as Error & { code?: string };
  if (err.code === 'SQLITE_FULL') return { status: 'unavailable', message: 'the disk holding the store is full; nothing from this request was stored' };
  if (isStoreFault(e)) return { status: 'unavailable', message: `the store could not commit this request: ${err.message}` };
  return { status: 'invalid', message: `this request could not be stored: ${err.message}` };
}

if (init.retention.maxAgeDays > 0 || init.retention.maxBytes > 0) {
  const runRetention = (): void => {
    try {
      const r = applyRetention(db, init.retention);
      if (r.tracesDeleted || r.metricPointsDeleted || r.logRecordsDeleted) writer.clearCaches();
    } catch (e) {
      process.stderr.write(`sightline: retention failed: ${(e as Error).message}\n`);
    }
  };
  runRetention();
  setInterval(runRetention, RETENTION_INTERVAL_MS).unref();
}

// Traces stored before the attribute Bloom filter existed are indexed between batches.
// Slices of 2,000 traces take tens of milliseconds; batches are written in the pauses.
const BACKFILL_PAUSE_MS = 10;
const BACKFILL_SLICE_TRACES = 2000;
const backfill = (): void => {
  try {
    if (backfillAttributeBlooms(db, BACKFILL_SLICE_TRACES) > 0) setTimeout(backfill, BACKFILL_PAUSE_MS).unref();
  } catch (e) {
    process.stderr.write(`sightline: indexing older traces failed (searches still test them exactly): ${(e as Error).message}\n`);
  }
};
setTimeout(backfill, BACKFILL_PAUSE_MS).unref();

// Chunks of rows with no stored hash (a store from before the hashes, or hashes an edit dropped)
// are hashed a chunk at a time between batches, so a report combines stored hashes
// (store/chunk-backfill.ts). A pass that finds nothing left looks again ten minutes later.
const CHUNK_PASS_INTERVAL_MS = 600_000;
const chunks = new ChunkBackfill(db);
const sealChunks = (): void => {
  if (!db.open) return; // the store closed (shutdown)
  try {
    if (chunks.sealOne()) {
      setTimeout(sealChunks, BACKFILL_PAUSE_MS).unref();
      return;
    }
  } catch (e) {
    process.stderr.write(`sightline: hashing older rows for reports failed (reports hash them from rows): ${(e as Error).message}\n`);
  }
  chunks.restart();
  setTimeout(sealChunks, CHUNK_PASS_INTERVAL_MS).unref();
};
setTimeout(sealChunks, BACKFILL_PAUSE_MS).unref();

send({ type: 'ready' });
