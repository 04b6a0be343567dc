/**
 * Worker entry (dist/app/report-side-worker.js): the store hash and latency SLOs of a report,
 * each on its own read connection, for reportSideThread (report-side-thread.ts).
 */
import { parentPort } from 'node:worker_threads';
import { ONE_PASS_CACHE_MB, withReader } from '../store/open-store.js';
import { RpcEndpoint } from '../util/rpc/rpc-endpoint.js';
import { messagePort } from '../util/rpc/rpc-port.js';
import { storeContentSha256 } from './store-hash.js';
import { latencySlos } from './latency-slos.js';
import type { ReportSideMethods } from './report-side-thread.js';

new RpcEndpoint<Record<never, never>, ReportSideMethods>(messagePort(parentPort!)).serve({
  hash: (job) =>
    withReader(job.dbPath, { nativeBinding: job.nativeBinding, cacheMb: ONE_PASS_CACHE_MB }, (db) =>
      storeContentSha256(db, job.fromNs, job.toNs, job.datasetId, job.storedChunkHashes),
    ),
  slos: (job) => withReader(job.dbPath, { nativeBinding: job.nativeBinding, cacheMb: ONE_PASS_CACHE_MB }, (db) => latencySlos(db, job.scope, job.datasetId)),
});
