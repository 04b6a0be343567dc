/**
 * The value of an alert rule at the newest data time: latency percentiles and error rate of
 * matching spans in the trailing window, and a robust anomaly score of the window's median
 * latency against the preceding hour (median and MAD of per-window medians, as in
 * Iglewicz-Hoaglin's modified z-score: 0.6745 · (x − median) / MAD, with the MAD floored
 * at 5% of the median).
 */
import { joinSql, sql, type SqlText } from '../store/sql-text.js';
import type { AlertRule } from '../../../shared/model/alerts.js';
import { quantileSorted } from '../../../shared/stats/descriptive.js';
import { medianAndMad } from '../stats/descriptive.js';
import type { Db } from '../store/db.js';
import { LIVE_DATASET_ID } from '../store/batch-writer.js';

const NS_PER_MS = 1_000_000n;
const ANOMALY_HISTORY_MS = 3600_000;
/** At most this many of the newest matching spans per evaluation: a bounded cost on the core's main thread at any ingest rate. */
const MAX_SPANS = 200_000;

interface SpanSample {
  durationMs: number;
  error: boolean;
  startMs: number;
}

/** The newest span end in the live dataset (ms), or null without data. */
export function latestDataTimeMs(db: Db): number | null {
  const v = db.prepare(`SELECT max(end_time_unix_nano) / 1000000 FROM traces WHERE dataset_id = ${LIVE_DATASET_ID}`).pluck().get() as number | null;
  return v ?? null;
}

function spansBetween(db: Db, rule: AlertRule, fromMs: number, toMs: number, datasetId: number): SpanSample[] {
  const where: SqlText[] = [sql`t.dataset_id = ?`, sql`t.start_time_unix_nano >= ?`, sql`t.start_time_unix_nano < ?`];
  const params: (string | number | bigint)[] = [datasetId, BigInt(Math.floor(fromMs)) * NS_PER_MS, BigInt(Math.ceil(toMs)) * NS_PER_MS];
  if (rule.span) {
    where.push(sql`s.name = ?`);
    params.push(rule.span);
  }
  if (rule.service) {
    where.push(sql`r.service_name = ?`);
    params.push(rule.service);
  }
  const rows = db
    .prepare(
      `SELECT (s.end_time_unix_nano - s.start_time_unix_nano) / 1e6, s.status_code, s.start_time_unix_nano / 1000000
       FROM traces t JOIN spans s ON s.trace_seq = t.trace_seq JOIN resources r ON r.id = s.resource_id
       WHERE ${joinSql(where, ' AND ')}
       ORDER BY t.start_time_unix_nano DESC LIMIT ${MAX_SPANS}`,
    )
    .raw(true)
    .all(...params) as [number, number, number][];
  return rows.map(([durationMs, status, startMs]) => ({ durationMs, error: status === 2, startMs }));
}

/** The rule's value over [nowMs − window, nowMs] in a dataset (live by default), or null when no span matched. */
export function spanRuleValue(db: Db, rule: AlertRule, nowMs: number, datasetId = LIVE_DATASET_ID): number | null {
  const windowMs = rule.windowSeconds * 1000;
  const spans = spansBetween(db, rule, nowMs - windowMs, nowMs + 1, datasetId);
  if (spans.length === 0) return null;
  if (rule.kind === 'error_rate') return spans.filter((s) => s.error).length / spans.length;
  const sorted = Float64Array.from(spans, (s) => s.durationMs).sort();
  if (rule.kind === 'latency_p95') return quantileSorted(sorted, 0.95);
  if (rule.kind === 'latency_p99') return quantileSorted(sorted, 0.99);
  // latency_anomaly
  const history = spansBetween(db, rule, nowMs - windowMs - ANOMALY_HISTORY_MS, nowMs - windowMs, datasetId);
  const medians: number[] = [];
  for (let end = nowMs - windowMs; end > nowMs - windowMs - ANOMALY_HISTORY_MS; end -= windowMs) {
    const inWindow = history.filter((s) => s.startMs >= end - windowMs && s.startMs < end).map((s) => s.durationMs);
    if (inWindow.length >= 5) medians.push(quantileSorted(Float64Array.from(inWindow).sort(), 0.5));
  }
  if (medians.length < 3) return null; // not enough history to call anything unusual
  const { median, mad } = medianAndMad(medians);
  // A floor of 5% of the median: medians of busy windows barely move, so their MAD can be tiny
  // and a 2 ms wobble would look like an anomaly; under 5% a latency change is not one.
  const scale = Math.max(mad, Math.abs(median) * 0.05, 1e-9);
  return (0.6745 * (quantileSorted(sorted, 0.5) - median)) / scale;
}
