/** The statements of the batch writer (batch-writer.ts), prepared once per connection. */
import type { Db } from './db.js';

export function prepareWriteStatements(db: Db) {
  return {
    findTrace: db.prepare('SELECT trace_seq FROM traces WHERE trace_id = ? AND dataset_id = ?').pluck(),
    insertTrace: db.prepare(
      `INSERT INTO traces(trace_seq, dataset_id, trace_id, start_time_unix_nano, end_time_unix_nano, span_count, error_count, root_service_name, root_span_name, root_span_id,
         attr_bloom_0, attr_bloom_1, attr_bloom_2, attr_bloom_3)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    maxTraceSeq: db.prepare('SELECT coalesce(max(trace_seq), 0) FROM traces').pluck(),
    insertSpan: db.prepare(
      `INSERT OR IGNORE INTO spans(trace_seq, trace_id, span_id, parent_span_id, resource_id, scope_id, name, kind,
         start_time_unix_nano, end_time_unix_nano, status_code, status_message, trace_state, flags,
         attributes, dropped_attributes_count, events, dropped_events_count, links, dropped_links_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    /** Returns the trace as it now stands (for its time bucket, trace-buckets.ts). */
    updateTrace: db
      .prepare(
        `UPDATE traces SET
         start_time_unix_nano = min(start_time_unix_nano, ?),
         end_time_unix_nano = max(end_time_unix_nano, ?),
         span_count = span_count + ?,
         error_count = error_count + ?,
         root_service_name = coalesce(?, root_service_name),
         root_span_name = coalesce(?, root_span_name),
         root_span_id = coalesce(?, root_span_id),
         attr_bloom_0 = attr_bloom_0 | ?, attr_bloom_1 = attr_bloom_1 | ?, attr_bloom_2 = attr_bloom_2 | ?, attr_bloom_3 = attr_bloom_3 | ?
       WHERE trace_seq = ?
       RETURNING start_time_unix_nano AS start, end_time_unix_nano AS end, error_count AS errors`,
      )
      .safeIntegers(true),
    insertTraceService: db.prepare('INSERT OR IGNORE INTO trace_services(service_name, trace_seq) VALUES (?, ?)'),
    insertPoint: db.prepare(
      `INSERT INTO metric_points(metric_id, resource_id, scope_id, start_time_unix_nano, time_unix_nano, attributes, flags,
         value_double, value_int, count, sum, min, max, buckets)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertExemplar: db.prepare(
      'INSERT INTO exemplars(point_id, time_unix_nano, value_double, value_int, trace_id, span_id, filtered_attributes) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    insertLog: db.prepare(
      `INSERT INTO log_records(resource_id, scope_id, time_unix_nano, observed_time_unix_nano, severity_number, severity_text,
         body, attributes, dropped_attributes_count, flags, trace_id, span_id, event_name)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    bumpCounters: db.prepare(
      'UPDATE datasets SET traces = traces + ?, spans = spans + ?, metric_points = metric_points + ?, log_records = log_records + ? WHERE id = ?',
    ),
    datasetExists: db.prepare('SELECT 1 FROM datasets WHERE id = ?').pluck(),
  };
}

export type WriteStatements = ReturnType<typeof prepareWriteStatements>;
