/**
 * Rebuilds the ML lens's derived tables from the stored spans and logs: after the attribute
 * mapping changed, and once for stores written before the tables existed (schema 1). Runs
 * in slices of traces, each its own IMMEDIATE transaction, so a running ingest writer is
 * never blocked for long.
 */
import { sql, type SqlText } from '../store/sql-text.js';
import type { Db } from '../store/db.js';
import type { LogRecordRow, ResourceRecord, SpanRecord } from '../otlp/model.js';
import { MlIndexWriter } from './ml-index-writer.js';

const SLICE_TRACES = 2000;

interface SpanRow {
  trace_seq: number;
  dataset_id: number;
  span_id: Buffer;
  name: string;
  kind: number;
  start: bigint;
  end: bigint;
  status_code: number;
  status_message: string;
  attributes: string;
  events: string | null;
  service_name: string;
  resource_attributes: string;
}

export function reextractMlIndex(db: Db, onProgress?: (done: number, total: number) => void): { predictions: number; factors: number; actuals: number } {
  const ml = new MlIndexWriter(db);
  const total = db.prepare('SELECT count(*) FROM traces').pluck().get() as number;
  db.transaction(() => {
    db.exec('DELETE FROM predictions; DELETE FROM trace_factors; DELETE FROM actuals; DELETE FROM evaluations; DELETE FROM retrievals;');
  }).immediate();
  const spansOf = db
    .prepare(
      `SELECT s.trace_seq, t.dataset_id, s.span_id, s.name, s.kind, s.start_time_unix_nano AS start, s.end_time_unix_nano AS "end", s.status_code, s.status_message,
              s.attributes, s.events, r.service_name, r.attributes AS resource_attributes
       FROM traces t JOIN spans s ON s.trace_seq = t.trace_seq JOIN resources r ON r.id = s.resource_id
       WHERE t.trace_seq > ? AND t.trace_seq <= ? ORDER BY s.trace_seq`,
    )
    .safeIntegers(true);
  const seqs = db.prepare('SELECT trace_seq FROM traces WHERE trace_seq > ? ORDER BY trace_seq LIMIT 1 OFFSET ?').pluck();
  let from = 0;
  let done = 0;
  for (;;) {
    const last =
      (seqs.get(from, SLICE_TRACES - 1) as number | undefined) ??
      (db.prepare('SELECT max(trace_seq) FROM traces WHERE trace_seq > ?').pluck().get(from) as number | null);
    if (last === null || last === undefined) break;
    db.transaction(() => {
      // all(), not iterate(): the connection cannot write while a statement is still reading.
      for (const raw of spansOf.all(from, last)) {
        const row = raw as Record<keyof SpanRow, unknown>;
        const span = {
          spanId: row.span_id as Buffer,
          name: row.name as string,
          kind: Number(row.kind),
          startTimeUnixNano: row.start as bigint,
          endTimeUnixNano: row.end as bigint,
          statusCode: Number(row.status_code),
          statusMessage: row.status_message as string,
          attributesJson: row.attributes as string,
          eventsJson: row.events as string | null,
        } as SpanRecord;
        const resource = { serviceName: row.service_name as string, attributesJson: row.resource_attributes as string } as ResourceRecord;
        ml.onSpan(Number(row.dataset_id), Number(row.trace_seq), span, resource);
      }
      ml.flush();
    }).immediate();
    done += db.prepare('SELECT count(*) FROM traces WHERE trace_seq > ? AND trace_seq <= ?').pluck().get(from, last) as number;
    onProgress?.(done, total);
    from = last;
  }
  const logs = db
    .prepare(
      `SELECT l.id, r.dataset_id, l.time_unix_nano, l.observed_time_unix_nano, l.attributes, l.span_id, l.event_name FROM log_records l JOIN resources r ON r.id = l.resource_id
       WHERE l.id > ? ORDER BY l.id LIMIT 10000`,
    )
    .raw(true)
    .safeIntegers(true);
  for (let after = 0n; ;) {
    const page = logs.all(after) as [bigint, bigint, bigint, bigint, string, Buffer | null, string][];
    if (page.length === 0) break;
    db.transaction(() => {
      for (const [, datasetId, time, observed, attributes, spanId, eventName] of page) {
        ml.onLog(Number(datasetId), { timeUnixNano: time, observedTimeUnixNano: observed, attributesJson: attributes, spanId, eventName } as LogRecordRow);
      }
    }).immediate();
    after = page[page.length - 1]![0];
  }
  const count = (text: SqlText): number => db.prepare(text).pluck().get() as number;
  const observations = db.prepare('SELECT coalesce(sum(length(observations)), 0) / 16 FROM trace_factors').pluck().get() as number;
  return { predictions: count(sql`SELECT count(*) FROM predictions`), factors: observations, actuals: count(sql`SELECT count(*) FROM actuals`) };
}
