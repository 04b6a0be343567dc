/**
 * Where a huge trace's outline comes from (trace-pages.ts asks, TraceQueries holds one): read
 * on the calling thread here; the core's session gives reader threads instead
 * (readers/outline-thread.ts), so the store knows nothing of threads.
 */
import { readTraceOutline } from './trace-outline-read.js';
import type { TraceOutline } from './trace-outline.js';
import type { Db } from './db.js';

export interface OutlineRequest {
  seq: number;
  /** µs since the epoch that the outline's starts count from (the trace's start). */
  baseUs: number;
  spanCount: number;
  /** Whether a page is waiting for this outline now (not only its first page, ahead of need). */
  awaited: () => boolean;
}

export interface OutlineSource {
  build(request: OutlineRequest): Promise<TraceOutline>;
  /** Ends its threads (and their read connections); builds asked for afterwards fail. */
  stop(): Promise<void>;
}

/** Builds outlines on the calling thread (an in-memory store, tests from source, the CLI). */
export function outlinesHere(db: Db): OutlineSource {
  return { build: (r) => Promise.resolve().then(() => readTraceOutline(db, r.seq, r.baseUs)), stop: () => Promise.resolve() };
}
