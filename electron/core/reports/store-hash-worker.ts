/**
 * Worker entry (dist/app/store-hash-worker.js): hashes the store's contents in a report's
 * scope on its own thread and read connection; started by hashStoreInWorker (store-hash.ts),
 * which stops the thread once it has the answer.
 */
import { parentPort } from 'node:worker_threads';
import { openReader } from '../store/open-store.js';
import { RpcEndpoint } from '../util/rpc/rpc-endpoint.js';
import { messagePort } from '../util/rpc/rpc-port.js';
import { storeContentSha256, type StoreHashMethods } from './store-hash.js';

new RpcEndpoint<Record<never, never>, StoreHashMethods>(messagePort(parentPort!)).serve({
  hash: (job) => {
    const db = openReader(job.dbPath, { nativeBinding: job.nativeBinding });
    try {
      return storeContentSha256(db, job.fromNs, job.toNs, job.datasetId);
    } finally {
      db.close();
    }
  },
});
