/**
 * Builds huge traces' outlines with reader threads (outline-worker.ts, each with its own read
 * connection). Reading a 200,000-span trace's outline is about 0.3 s of SQLite and 0.1 s of
 * parsing on one thread; the core starts it as soon as the trace's first page has been read, so
 * it runs while that page travels and is drawn; on a machine with cores to spare it is cut
 * into span-ID ranges that threads read side by side. The core's thread then joins the parts
 * and sorts them (store/trace-outline.ts), and stays free for the page's other requests (metric
 * lanes, span detail) meanwhile.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RpcEndpoint } from '../util/rpc/rpc-endpoint.js';
import { workerPort } from '../util/rpc/rpc-port.js';
import { spanIdSplits } from '../store/trace-outline-read.js';
import { buildOutline, type TraceOutline } from '../store/trace-outline.js';
import { BuildQueue, BuildSuperseded } from './build-queue.js';
import { concatRows, type OutlineRows } from '../store/outline-rows.js';
import { outlinesHere, type OutlineRequest, type OutlineSource } from '../store/outline-source.js';
import { keepEach, type HugeTrace, type KeepOutcome } from '../store/stored-outlines.js';
import type { Db } from '../store/db.js';

export type OutlineMethods = {
  /** The spans with IDs from `fromId` (inclusive) to `toId` (exclusive), either open when undefined. */
  rows: {
    request: { dbPath: string; nativeBinding: string | undefined; seq: number; baseUs: number; fromId: string | undefined; toId: string | undefined };
    response: OutlineRows;
  };
  /** Huge traces whose stored outline is missing or stale (stored-outlines.ts). */
  stale: { request: { dbPath: string; nativeBinding: string | undefined }; response: HugeTrace[] };
  /** Reads trace `seq`'s outline whole and stores it (stored-outlines.ts keepOutline). */
  keep: { request: { dbPath: string; nativeBinding: string | undefined; seq: number }; response: KeepOutcome };
};

/**
 * Reader threads: one core is left to the rest (the core's thread, and on one machine the UI
 * drawing the first page). On 2 cores, two readers started beside the first page's query made
 * first paint 415-558 ms against 316-345 ms before, and the full load no sooner; one, started
 * after it, 339-364 ms. At most 4, where more ranges gain little. SIGHTLINE_OUTLINE_THREADS sets
 * it (tests).
 */
function readerThreads(): number {
  const set = Number(process.env['SIGHTLINE_OUTLINE_THREADS']);
  return Number.isInteger(set) && set >= 1 ? set : Math.min(4, Math.max(1, os.availableParallelism() - 1));
}
/** Below this many spans a trace is read by one thread: a second would cost more than it saves. */
const SPLIT_MIN_SPANS = 50_000;

/**
 * Builds outlines with reader threads on the same file as `db`, when the worker is built beside
 * this bundle; on the calling thread otherwise (tests under tsx, whose loader a worker thread
 * does not get on Node 20) and for an in-memory store, keeping them there with `openWriter`.
 */
export function outlineThread(db: Db, nativeBinding: string | undefined, openWriter?: () => Db): OutlineSource {
  const url = builtWorker();
  if (url === null || db.memory) return outlinesHere(db, openWriter);
  const threads: (RpcEndpoint<OutlineMethods> | null)[] = new Array<null>(readerThreads()).fill(null);
  const workers = new Set<Worker>();
  let stopped = false;
  const thread = (k: number): RpcEndpoint<OutlineMethods> => {
    if (stopped) throw new Error('the store is closing: no trace outlines are read any more');
    const running = threads[k];
    if (running) return running;
    const w = new Worker(url);
    // An idle worker does not keep the process alive; one that stopped is started again next time.
    w.unref();
    workers.add(w);
    const endpoint = new RpcEndpoint<OutlineMethods>(workerPort(w));
    w.once('exit', () => {
      workers.delete(w);
      if (threads[k] === endpoint) threads[k] = null;
    });
    return (threads[k] = endpoint);
  };
  const queue = new BuildQueue();
  return {
    // A read asked for ahead of need gives way to the next one when nobody waits for it yet.
    build: (r) =>
      queue.run(
        () => {
          const stored = r.stored?.();
          return stored ? Promise.resolve(stored) : readWhole(r);
        },
        () => !r.awaited(),
      ),
    // One trace at a time through the queue, each giving way to a page's read that waits behind
    // it (the keeper then passes again). The store's write is in the job too, with a short busy
    // timeout (outline-worker.ts): a page waits for at most one read and that.
    keepStale: async (stopping) => {
      const where = { dbPath: db.name, nativeBinding };
      return keepEach(
        await thread(0).call('stale', where),
        (t) =>
          queue
            .run(
              () => thread(0).call('keep', { ...where, seq: t.seq }),
              () => true,
            )
            .catch((e: unknown) => {
              if (e instanceof BuildSuperseded) return 'gave way' as const;
              throw e;
            }),
        () => stopped || stopping(),
      );
    },
    stop: async () => {
      stopped = true;
      threads.fill(null);
      await Promise.all([...workers].map((w) => w.terminate()));
    },
  };

  async function readWhole(r: OutlineRequest): Promise<TraceOutline> {
    const parts = await readParts(r);
    // Parts read on different threads come from different snapshots: if the trace changed in
    // between, a child and its parent may be on either side of the change. Then once more, whole.
    const joined = concatRows(parts.length > 1 && parts.reduce((n, p) => n + p.count, 0) !== r.spanCount ? await readParts(r, false) : parts);
    return buildOutline(r.baseUs, joined, false);
  }

  async function readParts(r: OutlineRequest, split = true): Promise<OutlineRows[]> {
    const splits = split && r.spanCount >= SPLIT_MIN_SPANS && threads.length > 1 ? spanIdSplits(db, r.seq, r.spanCount, threads.length) : [];
    const bounds = [undefined, ...splits, undefined];
    return Promise.all(
      Array.from({ length: bounds.length - 1 }, (_, k) =>
        thread(k).call('rows', { dbPath: db.name, nativeBinding, seq: r.seq, baseUs: r.baseUs, fromId: bounds[k], toId: bounds[k + 1] }),
      ),
    );
  }
}

function builtWorker(): URL | null {
  const built = new URL('./outline-worker.js', import.meta.url);
  return fs.existsSync(fileURLToPath(built)) ? built : null;
}
