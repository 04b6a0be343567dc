/**
 * Worker entry (dist/app/quality-worker.js): a model's quality per window from ground truth,
 * on its own read connection, for qualityThread (quality-thread.ts).
 */
import { parentPort } from 'node:worker_threads';
import { withReader } from '../store/open-store.js';
import { RpcEndpoint } from '../util/rpc/rpc-endpoint.js';
import { messagePort } from '../util/rpc/rpc-port.js';
import { qualityByWindow } from './ground-truth.js';
import type { QualityMethods } from './quality-thread.js';

new RpcEndpoint<Record<never, never>, QualityMethods>(messagePort(parentPort!)).serve({
  quality: (r) => withReader(r.dbPath, r, (db) => qualityByWindow(db, r.key, r.scope, r.windows, r.excludeVersion)),
});
