/**
 * Log record search for the logs view and the span detail: by trace (and span), service,
 * severity, free text and time, newest first. A trace's logs come through the trace-ID index;
 * everything else walks the time index from the newest record, so a page costs `limit` rows
 * plus what the filters skip.
 */
import type { Db } from './db.js';
import { joinSql, sql, type SqlText } from './sql-text.js';
import { foldedContains } from './sql-functions.js';
import { parseStoredJson, parseStoredObject } from './parse-stored.js';
import type { Attributes, LogRecordView } from '../../../shared/model/telemetry.js';

export interface LogSearch {
  dataset?: number | undefined;
  traceId?: string | undefined;
  spanId?: string | undefined;
  service?: string | undefined;
  /** At least this OTLP severity number (9 INFO, 13 WARN, 17 ERROR). */
  minSeverity?: number | undefined;
  /** Case-insensitive, in the body and attribute values. */
  text?: string | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
  limit: number;
}

const ns = (ms: number): bigint => BigInt(Math.round(ms * 1000)) * 1000n;

function bodyText(stored: string): string {
  const v = parseStoredJson(stored, 0);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function searchLogs(db: Db, q: LogSearch): LogRecordView[] {
  const where: SqlText[] = [];
  const params: (string | number | bigint | Buffer)[] = [];
  if (q.traceId) {
    where.push(sql`l.trace_id = ?`);
    params.push(Buffer.from(q.traceId, 'hex'));
  }
  if (q.spanId) {
    where.push(sql`l.span_id = ?`);
    params.push(Buffer.from(q.spanId, 'hex'));
  }
  if (q.dataset !== undefined) {
    where.push(sql`r.dataset_id = ?`);
    params.push(q.dataset);
  }
  if (q.service) {
    where.push(sql`r.service_name = ?`);
    params.push(q.service);
  }
  if (q.minSeverity !== undefined) {
    where.push(sql`l.severity_number >= ?`);
    params.push(q.minSeverity);
  }
  if (q.fromMs !== undefined) {
    where.push(sql`l.time_unix_nano >= ?`);
    params.push(ns(q.fromMs));
  }
  if (q.toMs !== undefined) {
    where.push(sql`l.time_unix_nano < ?`);
    params.push(ns(q.toMs));
  }
  if (q.text) {
    const m = foldedContains(q.text);
    where.push(sql`(${m.sql(sql`l.body`, 'json')} OR ${m.sql(sql`l.attributes`, 'json')})`);
    params.push(...m.params('json'), ...m.params('json'));
  }
  const rows = db
    .prepare(
      `SELECT l.time_unix_nano / 1000 AS time_us, l.severity_number, l.severity_text, l.body, l.attributes, r.service_name, r.dataset_id, l.trace_id, l.span_id
       FROM log_records l JOIN resources r ON r.id = l.resource_id
       ${where.length ? sql`WHERE ${joinSql(where, ' AND ')}` : sql``} ORDER BY l.time_unix_nano DESC LIMIT ?`,
    )
    .all(...params, q.limit) as {
    time_us: number;
    severity_number: number;
    severity_text: string;
    body: string;
    attributes: string;
    service_name: string;
    dataset_id: number;
    trace_id: Buffer | null;
    span_id: Buffer | null;
  }[];
  return rows.map((r) => ({
    timeMs: r.time_us / 1000,
    severityNumber: r.severity_number,
    severityText: r.severity_text,
    body: bodyText(r.body),
    attributes: parseStoredObject(r.attributes) as Attributes,
    serviceName: r.service_name,
    datasetId: r.dataset_id,
    traceId: r.trace_id && r.trace_id.length === 16 ? r.trace_id.toString('hex') : null,
    spanId: r.span_id && r.span_id.length === 8 ? r.span_id.toString('hex') : null,
  }));
}
