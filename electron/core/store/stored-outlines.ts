/**
 * Huge traces' sorted outlines kept in the store (table trace_outlines, migration 9), so opening
 * one pages through a stored copy instead of reading and sorting every span first: for the
 * 200,000-span trace of bench:ui the read was most of the full load's critical path (0.7-1.1 s
 * of 1.5-2 s in the app). A running core keeps them in the background (readers/outline-keeper.ts)
 * after spans arrive. A row belongs to one state of its trace, its span count when it was read
 * (a trace that gains spans has another count; rewriting or deleting a span of it deletes the
 * row: migration 9's triggers), so a stale row is never used: the trace is read from its spans
 * as before, and kept again on the next pass. A row is stored only if no span anywhere was
 * deleted or rewritten between its read and its write (the store's count of those, read in the
 * same snapshot as the spans), since a trigger cannot delete a row not yet written.
 */
import { sql } from './sql-text.js';
import { FULL_DETAIL_MAX_SPANS } from './huge-trace.js';
import { decodeOutline, encodeOutline } from './outline-codec.js';
import { readTraceOutline } from './trace-outline-read.js';
import type { TraceOutline } from './trace-outline.js';
import type { Db } from './db.js';

/**
 * Traces above this many spans are paged as outlines, and kept. Migration 9's partial index
 * traces_huge holds the traces above 5,000 spans (a test checks the query below uses it).
 */
export const KEEP_MIN_SPANS = FULL_DETAIL_MAX_SPANS;
/** Above this a trace is not kept: its outline would be bigger than the outline cache's bound. */
export const KEEP_MAX_SPANS = 1_000_000;

const CHANGES = sql`SELECT deletes + rewrites FROM span_changes WHERE id = 1`;

export interface HugeTrace {
  seq: number;
  /** The trace's start in µs since the epoch: what its outline's times count from. */
  baseUs: number;
  spanCount: number;
}

/** Whether the store has the table (a store of an older schema, left as it is, has not). */
function hasTable(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'trace_outlines'").get() !== undefined;
}

/**
 * The stored outline of trace `seq` when it belongs to the trace as it is now (`spanCount`
 * spans, times from `baseUs`); null otherwise.
 */
export function loadStoredOutline(db: Db, seq: number, spanCount: number, baseUs: number): TraceOutline | null {
  if (!hasTable(db)) return null;
  const row = db
    .prepare(
      sql`SELECT o.outline FROM trace_outlines o JOIN traces t ON t.trace_seq = o.trace_seq AND t.trace_id = o.trace_id AND t.span_count = o.span_count
       WHERE o.trace_seq = ? AND o.span_count = ?`,
    )
    .pluck()
    .get(seq, spanCount) as Buffer | undefined;
  if (!row) return null;
  const outline = decodeOutline(row);
  return outline && outline.count === spanCount && outline.baseUs === baseUs ? outline : null;
}

/**
 * Huge traces whose stored outline is missing or stale, biggest first. The bound is written into
 * the text, so SQLite can tell the partial index traces_huge (migration 9) holds every match.
 */
export const STALE_HUGE_TRACES = sql`SELECT t.trace_seq AS seq, t.start_time_unix_nano / 1000 AS baseUs, t.span_count AS spanCount
  FROM traces t LEFT JOIN trace_outlines o ON o.trace_seq = t.trace_seq
  WHERE t.span_count > ${KEEP_MIN_SPANS} AND t.span_count <= ${KEEP_MAX_SPANS}
    AND (o.trace_seq IS NULL OR o.span_count != t.span_count OR o.trace_id != t.trace_id)
  ORDER BY t.span_count DESC`;

export function staleHugeTraces(db: Db): HugeTrace[] {
  return hasTable(db) ? (db.prepare(STALE_HUGE_TRACES).all() as HugeTrace[]) : [];
}

/** A trace's outline read with what says which state of the trace it belongs to. */
export interface ReadOutline {
  seq: number;
  traceId: Buffer;
  spanCount: number;
  spanChanges: number;
  outline: TraceOutline;
}

/** Reads trace `seq`'s outline and its state in one snapshot (null when the trace is gone). */
export function readOutlineSnapshot(reader: Db, seq: number): ReadOutline | null {
  return reader.transaction((): ReadOutline | null => {
    const t = reader
      .prepare('SELECT trace_id AS traceId, span_count AS spanCount, start_time_unix_nano / 1000 AS baseUs FROM traces WHERE trace_seq = ?')
      .get(seq) as { traceId: Buffer; spanCount: number; baseUs: number } | undefined;
    if (!t) return null;
    const spanChanges = reader.prepare(CHANGES).pluck().get() as number;
    const outline = readTraceOutline(reader, seq, t.baseUs);
    return { seq, traceId: t.traceId, spanCount: t.spanCount, spanChanges, outline };
  })();
}

/**
 * Stores `read` when it still belongs to its trace: the trace is there with the same ID and
 * span count, and no span was deleted or rewritten since the read (see the top). False when it
 * was not stored (the keeper's next pass reads the trace again).
 */
export function storeOutline(writer: Db, read: ReadOutline): boolean {
  const bytes = encodeOutline(read.outline);
  return writer.transaction(() => {
    dropOutgrownOutlines(writer);
    return (
      writer
        .prepare(
          sql`INSERT OR REPLACE INTO trace_outlines(trace_seq, trace_id, span_count, outline)
         SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM traces WHERE trace_seq = ? AND trace_id = ? AND span_count = ?) AND (${CHANGES}) = ?`,
        )
        .run(read.seq, read.traceId, read.spanCount, bytes, read.seq, read.traceId, read.spanCount, read.spanChanges).changes > 0
    );
  })();
}

/** Drops the stored outlines of traces that have grown past KEEP_MAX_SPANS (never used again). */
function dropOutgrownOutlines(writer: Db): void {
  writer.prepare(sql`DELETE FROM trace_outlines WHERE trace_seq IN (SELECT trace_seq FROM traces WHERE span_count > ${KEEP_MAX_SPANS})`).run();
}

/** What keeping one trace came to: stored; the trace gone; changed since its read or the store busy (read again later). */
export type KeepOutcome = 'stored' | 'gone' | 'again';

/** Reads trace `seq` on `reader` and stores its outline with `writer` (see storeOutline). */
export function keepOutline(reader: Db, writer: Db, seq: number): KeepOutcome {
  const read = readOutlineSnapshot(reader, seq);
  if (!read) return 'gone';
  try {
    return storeOutline(writer, read) ? 'stored' : 'again';
  } catch (e) {
    // Another writer held the store past the writer's busy timeout: the next pass tries again.
    if ((e as { code?: string }).code === 'SQLITE_BUSY') return 'again';
    throw e;
  }
}

/** How a pass of keeping went: outlines stored, and whether some must be read again later. */
export interface KeepPass {
  kept: number;
  again: boolean;
}

/**
 * A keeper's pass over `traces`, one at a time with `keepOne`, until `stopping()` says so or a
 * trace's keeping 'gave way' (to a page's read): both end the pass with traces left for the next.
 */
export async function keepEach(
  traces: HugeTrace[],
  keepOne: (t: HugeTrace) => KeepOutcome | 'gave way' | Promise<KeepOutcome | 'gave way'>,
  stopping: () => boolean,
): Promise<KeepPass> {
  const pass: KeepPass = { kept: 0, again: false };
  for (const t of traces) {
    if (stopping()) return { ...pass, again: true };
    const outcome = await keepOne(t);
    if (outcome === 'gave way') return { ...pass, again: true };
    if (outcome === 'stored') pass.kept++;
    else if (outcome === 'again') pass.again = true;
  }
  return pass;
}
