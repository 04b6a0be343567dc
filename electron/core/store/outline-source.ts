/**
 * Where a huge trace's outline comes from (trace-pages.ts asks, TraceQueries holds one): read
 * on the calling thread here; the core's session gives reader threads instead
 * (readers/outline-thread.ts), so the store knows nothing of threads. A source also keeps the
 * outlines of huge traces in the store (stored-outlines.ts), when a keeper asks it to.
 */
import { readTraceOutline } from './trace-outline-read.js';
import { keepEach, keepOutline, staleHugeTraces, type KeepPass } from './stored-outlines.js';
import type { TraceOutline } from './trace-outline.js';
import type { Db } from './db.js';

export interface OutlineRequest {
  seq: number;
  /** µs since the epoch that the outline's starts count from (the trace's start). */
  baseUs: number;
  spanCount: number;
  /** Whether a page is waiting for this outline now (not only its first page, ahead of need). */
  awaited: () => boolean;
  /**
   * The trace's stored outline when it belongs to the trace as it is (stored-outlines.ts): asked
   * when the build's turn comes, since a keeper may have stored it while the build waited.
   */
  stored?: (() => TraceOutline | null) | undefined;
}

export interface OutlineSource {
  build(request: OutlineRequest): Promise<TraceOutline>;
  /**
   * Reads and stores the outline of every huge trace whose stored one is missing or stale, one
   * at a time, each giving way to a page's build, until `stopping()` says so.
   */
  keepStale(stopping: () => boolean): Promise<KeepPass>;
  /** Ends its threads (and their read connections); builds asked for afterwards fail. */
  stop(): Promise<void>;
}

/**
 * Builds outlines on the calling thread (an in-memory store, tests from source, the CLI); keeps
 * them with a short writer from `openWriter` (none: nothing is kept).
 */
export function outlinesHere(db: Db, openWriter?: () => Db): OutlineSource {
  return {
    build: (r) => Promise.resolve().then(() => r.stored?.() ?? readTraceOutline(db, r.seq, r.baseUs)),
    keepStale: (stopping) => {
      if (!openWriter || db.memory) return Promise.resolve({ kept: 0, again: false });
      return keepEach(
        staleHugeTraces(db),
        (t) => {
          const writer = openWriter();
          try {
            return keepOutline(db, writer, t.seq);
          } finally {
            writer.close();
          }
        },
        stopping,
      );
    },
    stop: () => Promise.resolve(),
  };
}
