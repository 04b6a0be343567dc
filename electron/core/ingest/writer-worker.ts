/**
 * The writer thread: the one SQLite writer. Decoded batches arrive from the decode worker;
 * those that arrive while a transaction runs are committed together in the next one (group
 * commit). A request is answered (to the main thread) only after its transaction commits, so
 * a 2xx means the data is on disk. UI queries read through their own WAL connection on the
 * main thread and never wait for this one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openWriter } from '../store/open-store.js';
import { BatchWriter, type WriteTotals } from '../store/batch-writer.js';
import { applyRetention } from '../store/retention.js';
import { backfillAttributeBlooms } from '../store/attribute-bloom-backfill.js';
import type { FromWriter, ToWriter, WriterInit } from './messages.js';
import type { DecodedBatch } from '../otlp/model.js';
import { reviveBuffers } from './revive-buffers.js';

const MAX_REQUESTS_PER_COMMIT = 256;
const RETENTION_INTERVAL_MS = 60_000;

const port = parentPort!;
const init = workerData as WriterInit;
const send = (m: FromWriter): void => port.postMessage(m);

let db: ReturnType<typeof openWriter>;
let writer: BatchWriter;
try {
  db = openWriter(init.dbPath, { nativeBinding: init.nativeBinding });
  writer = new BatchWriter(db);
} catch (e) {
  send({ type: 'fatal', message: `cannot open the store at ${init.dbPath}: ${(e as Error).message}` });
  process.exit(1);
}

const pending: { id: number; batch: DecodedBatch }[] = [];
let scheduled = false;

init.batchPort!.on('message', (m: ToWriter) => {
  if (m.type === 'close') {
    flushAll();
    db.close();
    send({ type: 'closed' });
    init.batchPort!.close();
    port.close();
    return;
  }
  pending.push({ id: m.id, batch: reviveBuffers(m.batch) });
  if (!scheduled) {
    scheduled = true;
    setImmediate(flushAll);
  }
});

function flushAll(): void {
  scheduled = false;
  while (pending.length > 0) flush();
}

function flush(): void {
  const decoded = pending.splice(0, MAX_REQUESTS_PER_COMMIT);
  if (decoded.length === 0) return;
  let totals: WriteTotals;
  try {
    totals = writer.write(decoded.map((d) => d.batch));
  } catch (e) {
    const err = e as Error & { code?: string };
    const message = err.code === 'SQLITE_FULL' ? 'the disk holding the store is full; nothing from this request was stored' : `the store could not commit this request: ${err.message}`;
    for (const d of decoded) send({ type: 'result', id: d.id, outcome: { status: 'unavailable', message } });
    return;
  }
  for (const d of decoded) {
    const accepted = d.batch.spans.reduce((n, g) => n + g.spans.length, 0) + d.batch.metrics.reduce((n, g) => n + g.points.length, 0) + d.batch.logs.reduce((n, g) => n + g.logs.length, 0);
    send({ type: 'result', id: d.id, outcome: { status: 'ok', accepted, rejected: d.batch.rejected, rejectReasons: d.batch.rejectReasons } });
  }
  if (totals.spans || totals.metricPoints || totals.logRecords) send({ type: 'committed', totals });
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

send({ type: 'ready' });
