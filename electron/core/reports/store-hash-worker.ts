/**
 * Worker entry (dist/app/store-hash-worker.js): hashes the store's contents in a report's
 * scope on its own thread and read connection; started by hashStoreInWorker (store-hash.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openReader } from '../store/open-store.js';
import { storeContentSha256, type FromStoreHashWorker, type StoreHashJob } from './store-hash.js';

const job = workerData as StoreHashJob;
try {
  const db = openReader(job.dbPath, { nativeBinding: job.nativeBinding });
  try {
    parentPort!.postMessage({ ok: true, sha256: storeContentSha256(db, job.fromNs, job.toNs, job.datasetId) } satisfies FromStoreHashWorker);
  } finally {
    db.close();
  }
} catch (e) {
  parentPort!.postMessage({ ok: false, error: (e as Error).message } satisfies FromStoreHashWorker);
}
