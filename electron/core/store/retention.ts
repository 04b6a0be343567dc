/**
 * Retention, for the live dataset only (imported archives hold old data by nature and stay
 * until deleted): whole traces older than the age limit go, and when the store holds more than
 * the size limit, the oldest traces (with metric points and log records up to the same time)
 * go in slices until it fits. Runs on the writer, between batches, in small transactions so
 * ingest is never held up for long. Freed pages are reused by SQLite; the file does not
 * shrink until `VACUUM`.
 */
import type { Db } from './open-store.js';
import { LIVE_DATASET_ID } from './batch-writer.js';

export interface RetentionOptions {
  /** Keep data this many days (0: forever). */
  maxAgeDays: number;
  /** Keep the store under this many bytes of live pages (0: no limit). */
  maxBytes: number;
}

export interface RetentionResult {
  tracesDeleted: number;
  spansDeleted: number;
  metricPointsDeleted: number;
  logRecordsDeleted: number;
}

const NS_PER_DAY = 86_400n * 1_000_000_000n;
const SLICE_TRACES = 2000;

export function usedBytes(db: Db): number {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  return (pages - free) * pageSize;
}

/** Deletes the oldest traces (up to `limit`) starting before `cutoffNs`, and older points and logs. */
function deleteSlice(db: Db, cutoffNs: bigint, limit: number, result: RetentionResult): boolean {
  return db.transaction(() => {
    const ids = db
      .prepare(`SELECT trace_seq FROM traces WHERE dataset_id = ${LIVE_DATASET_ID} AND start_time_unix_nano < ? ORDER BY start_time_unix_nano LIMIT ?`)
      .pluck()
      .all(cutoffNs, limit) as number[];
    let spans = 0;
    const delSpans = db.prepare('DELETE FROM spans WHERE trace_seq = ?');
    const delServices = db.prepare('DELETE FROM trace_services WHERE trace_seq = ?');
    const delTrace = db.prepare('DELETE FROM traces WHERE trace_seq = ?');
    const delPredictions = db.prepare('DELETE FROM predictions WHERE trace_seq = ?');
    const delFactors = db.prepare('DELETE FROM trace_factors WHERE trace_seq = ?');
    const delRetrievals = db.prepare('DELETE FROM retrievals WHERE trace_seq = ?');
    for (const id of ids) {
      spans += delSpans.run(id).changes;
      delServices.run(id);
      delPredictions.run(id);
      delFactors.run(id);
      delRetrievals.run(id);
      delTrace.run(id);
    }
    const live = `resource_id IN (SELECT id FROM resources WHERE dataset_id = ${LIVE_DATASET_ID})`;
    db.prepare(`DELETE FROM exemplars WHERE point_id IN (SELECT id FROM metric_points WHERE time_unix_nano < ? AND ${live})`).run(cutoffNs);
    const points = db.prepare(`DELETE FROM metric_points WHERE time_unix_nano < ? AND ${live}`).run(cutoffNs).changes;
    const logs = db.prepare(`DELETE FROM log_records WHERE time_unix_nano < ? AND ${live}`).run(cutoffNs).changes;
    db.prepare(`DELETE FROM actuals WHERE time_unix_nano < ? AND dataset_id = ${LIVE_DATASET_ID}`).run(cutoffNs);
    db.prepare(`DELETE FROM evaluations WHERE time_unix_nano < ? AND dataset_id = ${LIVE_DATASET_ID}`).run(cutoffNs);
    db.prepare(
      'UPDATE datasets SET traces = max(0, traces - ?), spans = max(0, spans - ?), metric_points = max(0, metric_points - ?), log_records = max(0, log_records - ?) WHERE id = ?',
    ).run(ids.length, spans, points, logs, LIVE_DATASET_ID);
    result.tracesDeleted += ids.length;
    result.spansDeleted += spans;
    result.metricPointsDeleted += points;
    result.logRecordsDeleted += logs;
    return ids.length === limit || points > 0 || logs > 0;
  })();
}

export function applyRetention(db: Db, options: RetentionOptions, nowMs = Date.now()): RetentionResult {
  const result: RetentionResult = { tracesDeleted: 0, spansDeleted: 0, metricPointsDeleted: 0, logRecordsDeleted: 0 };
  if (options.maxAgeDays > 0) {
    const cutoff = BigInt(Math.floor(nowMs)) * 1_000_000n - (BigInt(Math.round(options.maxAgeDays * 1000)) * NS_PER_DAY) / 1000n;
    while (deleteSlice(db, cutoff, SLICE_TRACES, result)) {
      /* next slice */
    }
  }
  if (options.maxBytes > 0) {
    for (let guard = 0; guard < 10_000 && usedBytes(db) > options.maxBytes; guard++) {
      const oldest = db
        .prepare(`SELECT start_time_unix_nano FROM traces WHERE dataset_id = ${LIVE_DATASET_ID} ORDER BY start_time_unix_nano LIMIT 1 OFFSET ?`)
        .safeIntegers(true)
        .pluck()
        .get(SLICE_TRACES) as bigint | undefined;
      const cutoff = oldest ?? BigInt(Math.floor(nowMs) + 1) * 1_000_000n;
      if (!deleteSlice(db, cutoff, SLICE_TRACES, result) && oldest === undefined) break;
    }
  }
  return result;
}
