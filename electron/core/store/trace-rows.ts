/** A trace's summary row as the list and the search read it, and its conversion for the UI. */
import type { TraceSummary } from '../../../shared/model/telemetry.js';

export interface TraceRow {
  trace_id: Buffer;
  dataset_id: number;
  start_us: number;
  duration_us: number;
  span_count: number;
  error_count: number;
  root_service_name: string | null;
  root_span_name: string | null;
  services: string | null;
}

/** The columns of a TraceRow, from `traces t`. */
export const TRACE_COLUMNS = `t.trace_id, t.dataset_id, t.start_time_unix_nano / 1000 AS start_us,
  (t.end_time_unix_nano - t.start_time_unix_nano) / 1000 AS duration_us, t.span_count, t.error_count,
  t.root_service_name, t.root_span_name,
  (SELECT group_concat(service_name, char(31)) FROM trace_services s WHERE s.trace_seq = t.trace_seq) AS services`;

export function toSummary(r: TraceRow): TraceSummary {
  return {
    traceId: r.trace_id.toString('hex'),
    datasetId: r.dataset_id,
    rootServiceName: r.root_service_name,
    rootSpanName: r.root_span_name,
    startTimeMs: r.start_us / 1000,
    durationMs: r.duration_us / 1000,
    spanCount: r.span_count,
    errorCount: r.error_count,
    serviceNames: r.services ? r.services.split('\u001f').sort() : [],
  };
}
