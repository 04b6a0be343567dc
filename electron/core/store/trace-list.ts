/**
 * The trace list over a whole range, however many traces it holds: one page at a time in any
 * column's order (keyset paging: the next page starts after the last row's sort value and
 * trace_seq, so page 500 costs what page 1 does), the total that matches (counted up to a
 * cap, so a filter over millions of traces still answers), and a duration-over-time heatmap
 * aggregated in SQL (a few thousand cells, whatever the count).
 *
 * Ordering by start time walks the (dataset, start) index; other columns are a top-N sort of
 * the matching rows. No further index: each costs every write (issue #15), and a top-N sort
 * of a million rows takes well under a second.
 */
import type { Db } from './open-store.js';
import { IN_START_RANGE, bucketFilterOf, traceSearchWhere, type TraceSearch } from './trace-search.js';
import { candidateStartRanges, collectInRanges } from './trace-buckets.js';
import { sql, type SqlText } from './sql-text.js';
import type { TraceHeatmap, TraceListCursor, TraceListPage, TraceSortKey } from '../../../shared/model/trace-list.js';
import { toSummary, TRACE_COLUMNS, type TraceRow } from './trace-rows.js';

/** Counting stops here: "1,000,000+ traces" is as useful as the exact figure, and bounded. */
export const TRACE_COUNT_CAP = 1_000_000;

const SORT_EXPR: Record<TraceSortKey, SqlText> = {
  start: sql`t.start_time_unix_nano`,
  duration: sql`(t.end_time_unix_nano - t.start_time_unix_nano)`,
  spans: sql`t.span_count`,
  errors: sql`t.error_count`,
  service: sql`COALESCE(t.root_service_name, '')`,
  operation: sql`COALESCE(t.root_span_name, '')`,
};
const NUMERIC_SORT: Record<TraceSortKey, boolean> = { start: true, duration: true, spans: true, errors: true, service: false, operation: false };

export interface TraceListQuery extends Omit<TraceSearch, 'limit'> {
  sort: TraceSortKey;
  desc: boolean;
  after?: TraceListCursor | undefined;
  limit: number;
}

/** `timeBuckets: false` walks every trace (tests compare the two). */
export function traceListPage(db: Db, q: TraceListQuery, options: { timeBuckets?: boolean } = {}): TraceListPage {
  const where = traceSearchWhere({ ...q, limit: q.limit });
  const key = SORT_EXPR[q.sort];
  const params: (string | number | bigint)[] = [...where.params];
  let keyset = sql`1`;
  if (q.after) {
    const value = NUMERIC_SORT[q.sort] ? cursorInteger(q.after.key) : q.after.key;
    keyset = q.desc ? sql`(${key} < ? OR (${key} = ? AND t.trace_seq < ?))` : sql`(${key} > ? OR (${key} = ? AND t.trace_seq > ?))`;
    params.push(value, value, q.after.seq);
  }
  const order = q.desc ? sql`${key} DESC, t.trace_seq DESC` : sql`${key} ASC, t.trace_seq ASC`;
  // In start order, only the stretches of time that may hold a match are walked (trace-buckets.ts).
  const ranges = q.sort === 'start' && options.timeBuckets !== false ? candidateStartRanges(db, bucketFilterOf(q)) : null;
  const walk = ranges === null || q.desc ? ranges : [...ranges].reverse();
  const inRange = ranges === null ? sql`1` : IN_START_RANGE;
  const pageStmt = db.prepare(
    `SELECT ${TRACE_COLUMNS}, t.trace_seq AS seq, CAST(${key} AS TEXT) AS sort_key FROM traces t WHERE ${where.sql} AND ${keyset} AND ${inRange} ORDER BY ${order} LIMIT ?`,
  );
  const rows = collectInRanges(walk, q.limit + 1, (range, n) => pageStmt.all(...params, ...range, n) as (TraceRow & { seq: number; sort_key: string })[]);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  const countStmt = db.prepare(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM traces t WHERE ${where.sql} AND ${inRange} LIMIT ?)`);
  let counted = 0;
  for (const range of walk ?? [[]]) {
    counted += (countStmt.get(...where.params, ...range, TRACE_COUNT_CAP + 1 - counted) as { n: number }).n;
    if (counted > TRACE_COUNT_CAP) break;
  }
  return {
    traces: page.map(toSummary),
    total: Math.min(counted, TRACE_COUNT_CAP),
    totalCapped: counted > TRACE_COUNT_CAP,
    next: more && last ? { key: last.sort_key, seq: last.seq } : null,
  };
}

function cursorInteger(text: string): bigint {
  if (!/^-?\d{1,20}$/.test(text)) throw new RangeError(`not a cursor of this sort: ${text.slice(0, 40)}`);
  return BigInt(text);
}

const NANOS_PER_MS = 1e6;
const MIN_SPAN_MS = 1000;

/**
 * Counts of matching traces by start time (columns, equal widths over the range) and duration
 * (rows, equal widths on a log scale between the shortest and the longest), row 0 shortest.
 * Without fromMs/toMs the range is that of the matching traces.
 */
export function traceHeatmap(db: Db, q: Omit<TraceSearch, 'limit'> & { columns: number; rows: number }): TraceHeatmap {
  const where = traceSearchWhere({ ...q, limit: 0 });
  const extent = db
    .prepare(
      `SELECT COUNT(*) AS n, MIN(t.start_time_unix_nano) AS t0, MAX(t.start_time_unix_nano) AS t1,
        MIN(t.end_time_unix_nano - t.start_time_unix_nano) AS d0, MAX(t.end_time_unix_nano - t.start_time_unix_nano) AS d1
       FROM traces t WHERE ${where.sql}`,
    )
    .get(...where.params) as { n: number; t0: number | null; t1: number | null; d0: number | null; d1: number | null };
  let fromMs = q.fromMs ?? (extent.t0 ?? 0) / NANOS_PER_MS;
  // The last trace must fall inside the last column: the end is just past it.
  let toMs = q.toMs ?? Math.max((extent.t1 ?? 0) / NANOS_PER_MS + 1, fromMs + 1);
  // A few traces in one instant: a second around them, so the axis reads as time.
  if (toMs - fromMs < MIN_SPAN_MS) {
    const mid = (fromMs + toMs) / 2;
    if (q.fromMs === undefined) fromMs = Math.min(mid - MIN_SPAN_MS / 2, q.toMs ?? Infinity);
    if (q.toMs === undefined) toMs = Math.max(mid + MIN_SPAN_MS / 2, fromMs + 1);
  }
  // Durations under a microsecond share the bottom row; alike durations get a factor 4 of room.
  let minDurationMs = Math.max((extent.d0 ?? 0) / NANOS_PER_MS, 0.001);
  let maxDurationMs = Math.max((extent.d1 ?? 0) / NANOS_PER_MS, minDurationMs);
  if (maxDurationMs / minDurationMs < 4) {
    const mid = Math.sqrt(minDurationMs * maxDurationMs);
    minDurationMs = Math.max(mid / 2, 0.0005);
    maxDurationMs = mid * 2;
  }
  const counts = new Array<number>(q.columns * q.rows).fill(0);
  const errors = new Array<number>(q.columns * q.rows).fill(0);
  if (extent.n > 0) {
    const logMin = Math.log(minDurationMs * NANOS_PER_MS);
    const logSpan = Math.log(maxDurationMs * NANOS_PER_MS) - logMin;
    const cells = db
      .prepare(
        `SELECT MIN(?, MAX(0, CAST((t.start_time_unix_nano - ?) * ? AS INTEGER))) AS x,
           MIN(?, MAX(0, CAST((ln(MAX(t.end_time_unix_nano - t.start_time_unix_nano, 1)) - ?) * ? AS INTEGER))) AS y,
           COUNT(*) AS n, SUM(t.error_count > 0) AS errors
         FROM traces t WHERE ${where.sql} GROUP BY x, y`,
      )
      .all(q.columns - 1, fromMs * NANOS_PER_MS, q.columns / ((toMs - fromMs) * NANOS_PER_MS), q.rows - 1, logMin, q.rows / logSpan, ...where.params) as {
      x: number;
      y: number;
      n: number;
      errors: number;
    }[];
    for (const c of cells) {
      counts[c.y * q.columns + c.x]! += c.n;
      errors[c.y * q.columns + c.x]! += c.errors;
    }
  }
  return { fromMs, toMs, minDurationMs, maxDurationMs, columns: q.columns, rows: q.rows, counts, errors, total: extent.n };
}
