/**
 * Ten-minute summaries of the traces by start time, so a search can skip the stretches of time
 * where nothing can match. Per dataset and bucket (start time ÷ 10 min), `trace_buckets` holds
 * bounds of the traces' durations and error counts, and `trace_bucket_services` the services
 * of its traces. A search with a duration, error or service filter reads these few thousand
 * rows first and walks the traces index only over the buckets that may hold a match (a month
 * is 4,320 buckets), instead of walking millions of traces newest first to find that the rare
 * combination happened three weeks ago, or never.
 *
 * A summary may be looser than the traces, never narrower: the writer widens the row of a
 * trace's current bucket whenever it stores or extends the trace (a batch's traces cost one
 * upsert per bucket), and deleting traces leaves the rows as they were (a superset). A trace
 * whose start moved into another bucket (a span earlier than its root arrived) brings all its
 * services there.
 */
import type { Db } from './db.js';
import { joinSql, sql, type SqlText } from './sql-text.js';

export const TRACE_BUCKET_NS = 600_000_000_000n;

/** The bucket of a start time (floor division, also before 1970). */
export function bucketOf(startNs: bigint): number {
  const q = startNs / TRACE_BUCKET_NS;
  return Number(startNs < 0n && q * TRACE_BUCKET_NS !== startNs ? q - 1n : q);
}

/** The same in SQL, for the migration that fills the tables from the stored traces. */
export const BUCKET_OF_START_SQL = sql`((t.start_time_unix_nano - (((t.start_time_unix_nano % 600000000000) + 600000000000) % 600000000000)) / 600000000000)`;

interface BucketAgg {
  datasetId: number;
  bucket: number;
  minDurationNs: bigint;
  maxDurationNs: bigint;
  maxErrors: number;
  services: Set<string>;
  /** Traces whose every stored service goes into the bucket (their start may have moved here). */
  tracesToCopy: number[];
}

/** Collects a write batch's traces and widens their buckets' summaries (inside the writer's transaction). */
export class TraceBucketWriter {
  private readonly pending = new Map<string, BucketAgg>();
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      upsert: db.prepare(
        `INSERT INTO trace_buckets(dataset_id, bucket, min_duration_ns, max_duration_ns, max_errors) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(dataset_id, bucket) DO UPDATE SET
           min_duration_ns = min(min_duration_ns, excluded.min_duration_ns),
           max_duration_ns = max(max_duration_ns, excluded.max_duration_ns),
           max_errors = max(max_errors, excluded.max_errors)`,
      ),
      service: db.prepare('INSERT OR IGNORE INTO trace_bucket_services(dataset_id, service_name, bucket) VALUES (?, ?, ?)'),
      copyServices: db.prepare(
        'INSERT OR IGNORE INTO trace_bucket_services(dataset_id, service_name, bucket) SELECT ?, service_name, ? FROM trace_services WHERE trace_seq = ?',
      ),
    };
  }

  /**
   * A trace as it now stands in the store. `services` are the ones this batch added;
   * `startMayHaveMoved` (the batch brought its earliest span) copies all of its services.
   */
  note(datasetId: number, traceSeq: number, startNs: bigint, endNs: bigint, errors: number, services: Iterable<string>, startMayHaveMoved: boolean): void {
    const bucket = bucketOf(startNs);
    const key = `${datasetId}:${bucket}`;
    let agg = this.pending.get(key);
    const duration = endNs - startNs;
    if (!agg) {
      agg = { datasetId, bucket, minDurationNs: duration, maxDurationNs: duration, maxErrors: errors, services: new Set(), tracesToCopy: [] };
      this.pending.set(key, agg);
    }
    if (duration < agg.minDurationNs) agg.minDurationNs = duration;
    if (duration > agg.maxDurationNs) agg.maxDurationNs = duration;
    if (errors > agg.maxErrors) agg.maxErrors = errors;
    for (const s of services) agg.services.add(s);
    if (startMayHaveMoved) agg.tracesToCopy.push(traceSeq);
  }

  /** After the batch's trace rows and trace_services: write the summaries. */
  flush(): void {
    for (const a of this.pending.values()) {
      this.stmt.upsert.run(a.datasetId, a.bucket, a.minDurationNs, a.maxDurationNs, a.maxErrors);
      for (const s of a.services) this.stmt.service.run(a.datasetId, s, a.bucket);
      for (const seq of a.tracesToCopy) this.stmt.copyServices.run(a.datasetId, a.bucket, seq);
    }
    this.pending.clear();
  }

  /** The transaction rolled back. */
  clear(): void {
    this.pending.clear();
  }
}

/** The filters the buckets can rule out. */
export interface BucketFilter {
  dataset: number | undefined;
  service?: string | undefined;
  minDurationNs?: bigint | undefined;
  maxDurationNs?: bigint | undefined;
  errorsOnly?: boolean | undefined;
  fromNs?: bigint | undefined;
  toNs?: bigint | undefined;
}

/**
 * The start-time ranges [from, to) that may hold a trace matching the filter (in its dataset,
 * or in any), newest first, or null when the buckets cannot narrow it (no filter they summarise).
 */
export function candidateStartRanges(db: Db, f: BucketFilter): [bigint, bigint][] | null {
  if (f.minDurationNs === undefined && f.maxDurationNs === undefined && !f.errorsOnly && !f.service) return null;
  const where: SqlText[] = [sql`1`];
  const params: (number | bigint | string)[] = [];
  if (f.dataset !== undefined) {
    where.push(sql`b.dataset_id = ?`);
    params.push(f.dataset);
  }
  if (f.fromNs !== undefined) {
    where.push(sql`b.bucket >= ?`);
    params.push(bucketOf(f.fromNs));
  }
  if (f.toNs !== undefined) {
    where.push(sql`b.bucket <= ?`);
    params.push(bucketOf(f.toNs));
  }
  if (f.minDurationNs !== undefined) {
    where.push(sql`b.max_duration_ns >= ?`);
    params.push(f.minDurationNs);
  }
  if (f.maxDurationNs !== undefined) {
    where.push(sql`b.min_duration_ns <= ?`);
    params.push(f.maxDurationNs);
  }
  if (f.errorsOnly) where.push(sql`b.max_errors > 0`);
  if (f.service) {
    where.push(sql`EXISTS (SELECT 1 FROM trace_bucket_services s WHERE s.dataset_id = b.dataset_id AND s.service_name = ? AND s.bucket = b.bucket)`);
    params.push(f.service);
  }
  const buckets = db
    .prepare(`SELECT DISTINCT b.bucket FROM trace_buckets b WHERE ${joinSql(where, ' AND ')} ORDER BY b.bucket DESC`)
    .pluck()
    .all(...params) as number[];
  const ranges: [bigint, bigint][] = [];
  for (const b of buckets) {
    const from = BigInt(b) * TRACE_BUCKET_NS;
    const last = ranges[ranges.length - 1];
    if (last && last[0] === from + TRACE_BUCKET_NS) last[0] = from;
    else ranges.push([from, from + TRACE_BUCKET_NS]);
  }
  return ranges;
}

/**
 * Rows from `fetch` over each range in turn (no ranges: one walk over everything) until
 * `wanted` are collected; `fetch` is told how many are still wanted.
 */
export function collectInRanges<T>(ranges: readonly [bigint, bigint][] | null, wanted: number, fetch: (range: bigint[], stillWanted: number) => T[]): T[] {
  const rows: T[] = [];
  for (const range of ranges ?? [[]]) {
    rows.push(...fetch(range, wanted - rows.length));
    if (rows.length >= wanted) break;
  }
  return rows;
}
