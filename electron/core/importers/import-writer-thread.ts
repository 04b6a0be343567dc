/**
 * An import's writer thread: its own store connection and IngestWriter, redacting and indexing
 * the groups the import thread hands over and committing them, one transaction each, in order,
 * answering each with its totals (or the error that rolled it back). See batch-sink.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openWriter, type Db } from '../store/open-store.js';
import { IngestWriter } from '../ingest/ingest-writer.js';
import { unpackBatches } from '../ingest/batch-transfer.js';
import { storeBatchRedaction } from '../redaction/redaction-settings.js';
import { indexRedacted } from '../store/attribute-bloom.js';
import type { BatchRedaction } from '../redaction/batch-redaction.js';
import type { FromImportWriter, ImportWriterInit, ToImportWriter } from './import-writer-messages.js';

const port = parentPort!;
const init = workerData as ImportWriterInit;
const send = (m: FromImportWriter): void => port.postMessage(m);

let db: Db;
let writer: IngestWriter;
let redaction: BatchRedaction;
try {
  // Appends need little page cache (import-worker.ts measured the same for the single-thread import).
  db = openWriter(init.dbPath, { nativeBinding: init.nativeBinding, cacheMb: 16 });
  writer = new IngestWriter(db);
  redaction = storeBatchRedaction(db);
} catch (e) {
  send({ type: 'fatal', message: `cannot open the store at ${init.dbPath}: ${(e as Error).message}` });
  process.exit(1);
}

/** After a failed group nothing more is committed: the import stops at the first failure. */
let failed: string | null = null;

port.on('message', (m: ToImportWriter) => {
  if (m.type === 'close') {
    db.close();
    port.close(); // the thread ends; the sink waits for its exit
    return;
  }
  if (failed !== null) {
    send({ type: 'failed', id: m.id, message: failed });
    return;
  }
  try {
    const batches = m.group.flatMap(unpackBatches);
    // Redaction and the attribute index run here, where the import's other thread (busy
    // parsing) is not, and before the transaction, so the store's write lock (which a running
    // serve shares) is not held for them.
    redaction.redactAll(batches);
    batches.forEach(indexRedacted);
    const totals = writer.write(batches, init.datasetId);
    send({ type: 'committed', id: m.id, totals });
  } catch (e) {
    failed = (e as Error).message;
    send({ type: 'failed', id: m.id, message: failed });
  }
});
