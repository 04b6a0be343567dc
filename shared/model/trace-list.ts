/** The whole-range trace list: a page in any column's order, the total, and the duration heatmap. */
import type { TraceSummary } from './telemetry.js';

export const TRACE_SORT_KEYS = ['start', 'duration', 'spans', 'errors', 'service', 'operation'] as const;
export type TraceSortKey = (typeof TRACE_SORT_KEYS)[number];

/** Where the next page starts: after the row with this sort value (as text) and sequence number. */
export interface TraceListCursor {
  key: string;
  seq: number;
}

export interface TraceListPage {
  traces: TraceSummary[];
  /** Traces matching the filters (all pages), counted up to a cap. */
  total: number;
  /** True when more than `total` match (the count stopped at its cap). */
  totalCapped: boolean;
  /** Pass as `after` for the next page; null on the last page. */
  next: TraceListCursor | null;
}

/**
 * Matching traces counted by start time (columns over [fromMs, toMs)) and duration (rows, log
 * scale from minDurationMs to maxDurationMs, row 0 shortest). Cell (x, y) is index y·columns + x.
 */
export interface TraceHeatmap {
  fromMs: number;
  toMs: number;
  minDurationMs: number;
  maxDurationMs: number;
  columns: number;
  rows: number;
  counts: number[];
  /** Of each cell's traces, those with an error span. */
  errors: number[];
  total: number;
}
