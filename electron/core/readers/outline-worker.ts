/**
 * Worker entry (dist/app/outline-worker.js): a range of a huge trace's outline rows on a read
 * connection of its own, kept open between requests, for outlineThread (outline-thread.ts); and
 * the keeping of huge traces' outlines in the store, with a writer connection opened for it.
 */
import { parentPort } from 'node:worker_threads';
import { openReader, openWriter } from '../store/open-store.js';
import { keepOutline, staleHugeTraces } from '../store/stored-outlines.js';
import { RpcEndpoint } from '../util/rpc/rpc-endpoint.js';
import { messagePort } from '../util/rpc/rpc-port.js';
import { readOutlineRows } from '../store/trace-outline-read.js';
import type { Db } from '../store/db.js';
import type { OutlineMethods } from './outline-thread.js';

let open: { path: string; db: Db } | null = null;
let writer: { path: string; db: Db } | null = null;
const KEEP_BUSY_TIMEOUT_MS = 300;

function reader(r: { dbPath: string; nativeBinding: string | undefined }): Db {
  if (open?.path !== r.dbPath) {
    open?.db.close();
    open = { path: r.dbPath, db: openReader(r.dbPath, { nativeBinding: r.nativeBinding }) };
  }
  return open.db;
}

new RpcEndpoint<Record<never, never>, OutlineMethods>(messagePort(parentPort!)).serve({
  rows: (r) => readOutlineRows(reader(r), r.seq, r.baseUs, r.fromId, r.toId),
  stale: (r) => staleHugeTraces(reader(r)),
  keep: (r) => {
    if (writer?.path !== r.dbPath) {
      writer?.db.close();
      writer = { path: r.dbPath, db: openWriter(r.dbPath, { nativeBinding: r.nativeBinding }) };
      // Kept outlines can wait: the ingest writer is not kept waiting for long, nor is a page
      // queued behind this job (the next pass tries again).
      writer.db.pragma(`busy_timeout = ${KEEP_BUSY_TIMEOUT_MS}`);
    }
    return keepOutline(reader(r), writer.db, r.seq);
  },
});
