/**
 * An import running off the core's main thread: this thread reads, parses, decodes and
 * redacts; a writer thread of its own commits (IMMEDIATE transactions make it safe beside the
 * receivers' writer); progress posted back as it goes, cancel on request.
 */
import fs from 'node:fs';
import path from 'node:path';
import { recordDatasetFile, sha256OfFile } from '../store/dataset-files.js';
import { parentPort, workerData } from 'node:worker_threads';
import { openWriter } from '../store/open-store.js';
import { WriterThreadSink } from './writer-thread-sink.js';
import { dropDatasetIfEmpty, ensureDataset, findDataset } from '../store/datasets.js';
import { ImportAbortedError, importFile, type ImportProgress, type ImportSummary } from './import-file.js';

export interface ImportWorkerInit {
  dbPath: string;
  file: string;
  /** Shown to the user (an upload's original name rather than its temp path). */
  displayName: string;
  dataset: string;
  nativeBinding?: string | undefined;
}

export type FromImportWorker =
  | { type: 'started'; datasetId: number; dataset: string }
  | { type: 'progress'; progress: ImportProgress }
  /** The last message, sent once an empty dataset this import made is gone (so whoever waits sees the store as it stays). */
  | { type: 'done'; summary: ImportSummary }
  | { type: 'failed'; message: string }
  | { type: 'cancelled'; message: string };

const init = workerData as ImportWorkerInit;
const port = parentPort!;
const send = (m: FromImportWorker): void => port.postMessage(m);
const controller = new AbortController();
port.on('message', (m: { type: 'cancel' }) => {
  if (m.type === 'cancel') controller.abort();
});

const db = openWriter(init.dbPath, { nativeBinding: init.nativeBinding, cacheMb: 16 });
let createdDataset: string | null = null;
let outcome: FromImportWorker;
try {
  const existed = findDataset(db, init.dataset) !== null;
  const dataset = ensureDataset(db, init.dataset, 'import', init.displayName);
  if (!existed) createdDataset = dataset.name;
  send({ type: 'started', datasetId: dataset.id, dataset: dataset.name });
  // Commits run on a thread of their own while this one reads, parses and redacts (batch-sink.ts).
  const sink = new WriterThreadSink({ dbPath: init.dbPath, datasetId: dataset.id, nativeBinding: init.nativeBinding });
  let summary: ImportSummary;
  try {
    summary = await importFile(init.file, sink, {
      dataset,
      signal: controller.signal,
      onProgress: (progress) => send({ type: 'progress', progress }),
      // No redaction here: the writer thread redacts each group before its transaction.
    });
  } finally {
    await sink.close();
  }
  // The file's hash now: an uploaded archive is deleted after the import.
  recordDatasetFile(db, dataset.id, {
    path: init.file,
    name: path.basename(init.displayName),
    bytes: fs.statSync(init.file).size,
    sha256: summary.sha256 ?? sha256OfFile(init.file),
  });
  outcome = { type: 'done', summary };
} catch (e) {
  outcome = { type: e instanceof ImportAbortedError ? 'cancelled' : 'failed', message: (e as Error).message };
}
// A file with nothing readable, or an import that failed before storing anything, leaves no empty dataset behind.
try {
  if (createdDataset !== null) dropDatasetIfEmpty(db, createdDataset);
} catch (e) {
  process.stderr.write(`sightline: could not remove the empty dataset "${createdDataset}": ${(e as Error).message}\n`);
}
db.close();
send(outcome);
port.close();
