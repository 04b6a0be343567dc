/**
 * Worker entry (dist/app/outline-worker.js): a range of a huge trace's outline rows on a read
 * connection of its own, kept open between requests, for outlineThread (outline-thread.ts).
 */
import { parentPort } from 'node:worker_threads';
import { openReader } from '../store/open-store.js';
import { RpcEndpoint } from '../util/rpc/rpc-endpoint.js';
import { messagePort } from '../util/rpc/rpc-port.js';
import { readOutlineRows } from '../store/trace-outline-read.js';
import type { Db } from '../store/db.js';
import type { OutlineMethods } from './outline-thread.js';

let open: { path: string; db: Db } | null = null;

new RpcEndpoint<Record<never, never>, OutlineMethods>(messagePort(parentPort!)).serve({
  rows: (r) => {
    if (open?.path !== r.dbPath) {
      open?.db.close();
      open = { path: r.dbPath, db: openReader(r.dbPath, { nativeBinding: r.nativeBinding }) };
    }
    return readOutlineRows(open.db, r.seq, r.baseUs, r.fromId, r.toId);
  },
});
