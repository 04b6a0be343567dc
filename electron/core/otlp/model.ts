/**
 * Decoded OTLP, shaped as rows ready for the store. Both decoders (protobuf and JSON)
 * produce exactly this, so the writer has one path. Attribute maps, events, links and
 * bodies are already "stored JSON" text (see stored-json.ts); IDs are raw bytes.
 */

import type { BatchSpanFacts } from '../../../shared/model/span-facts.js';

export type { BatchSpanFacts, SpanFacts } from '../../../shared/model/span-facts.js';

export interface ResourceRecord {
  serviceName: string;
  attributesJson: string;
  droppedAttributesCount: number;
  schemaUrl: string;
}

export interface ScopeRecord {
  name: string;
  version: string;
  attributesJson: string;
  droppedAttributesCount: number;
  schemaUrl: string;
}

export interface SpanRecord {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId: Buffer | null;
  traceState: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributesJson: string;
  droppedAttributesCount: number;
  /** Stored JSON array of events, or null for none. */
  eventsJson: string | null;
  droppedEventsCount: number;
  /** Stored JSON array of links, or null for none. */
  linksJson: string | null;
  droppedLinksCount: number;
  statusCode: number;
  statusMessage: string;
}

export interface SpanGroup {
  resource: ResourceRecord;
  scope: ScopeRecord;
  spans: SpanRecord[];
}

export const METRIC_GAUGE = 1;
export const METRIC_SUM = 2;
export const METRIC_HISTOGRAM = 3;
export const METRIC_EXPONENTIAL_HISTOGRAM = 4;
export const METRIC_SUMMARY = 5;

export interface MetricRecord {
  name: string;
  description: string;
  unit: string;
  type: number;
  aggregationTemporality: number;
  isMonotonic: boolean;
  /** Stored JSON of Metric.metadata, or '{}'. */
  metadataJson: string;
}

export interface ExemplarRecord {
  timeUnixNano: bigint;
  valueDouble: number | null;
  valueInt: bigint | null;
  traceId: Buffer | null;
  spanId: Buffer | null;
  filteredAttributesJson: string;
}

export interface MetricPointRecord {
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  attributesJson: string;
  flags: number;
  /** Gauge and sum: exactly one of these is set. */
  valueDouble: number | null;
  valueInt: bigint | null;
  /** Histograms and summaries. */
  count: number | null;
  sum: number | null;
  min: number | null;
  max: number | null;
  /** Stored JSON with the buckets (explicit, exponential) or quantiles; null for gauge and sum. */
  bucketsJson: string | null;
  exemplars: ExemplarRecord[];
}

export interface MetricGroup {
  resource: ResourceRecord;
  scope: ScopeRecord;
  metric: MetricRecord;
  points: MetricPointRecord[];
}

export interface LogRecordRow {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  /** Stored JSON of the body AnyValue ('null' when absent). */
  bodyJson: string;
  attributesJson: string;
  droppedAttributesCount: number;
  flags: number;
  traceId: Buffer | null;
  spanId: Buffer | null;
  eventName: string;
}

export interface LogGroup {
  resource: ResourceRecord;
  scope: ScopeRecord;
  logs: LogRecordRow[];
}

export type Signal = 'traces' | 'metrics' | 'logs';

export interface DecodedBatch {
  signal: Signal;
  spans: SpanGroup[];
  metrics: MetricGroup[];
  logs: LogGroup[];
  /** Items (spans, data points or log records) refused for being invalid. */
  rejected: number;
  /** Why the first few were refused. */
  rejectReasons: string[];
  /**
   * Each trace's attribute Bloom filter over this batch's spans, by trace ID (latin1), when the
   * decoder made it (the decode worker does, off the writer's thread); otherwise the writer does.
   */
  traceBlooms?: Map<string, Uint32Array> | undefined;
  /**
   * Set once the redaction rules have run on this batch (the decode worker and the import
   * thread do it, off the writer); the writer redacts only batches without it.
   */
  redacted?: boolean | undefined;
  /** How often each redaction rule fired on this batch: the writer adds them to `redaction_counts` in the batch's transaction. */
  redactionCounts?: Record<string, number> | undefined;
  /** What the ML index takes from each span, when the decode worker worked it out (ml/span-facts.ts). */
  spanFacts?: BatchSpanFacts | undefined;
}

export function emptyBatch(signal: Signal): DecodedBatch {
  return { signal, spans: [], metrics: [], logs: [], rejected: 0, rejectReasons: [] };
}

export function rejectItem(batch: DecodedBatch, reason: string, count = 1): void {
  if (count <= 0) return;
  batch.rejected += count;
  if (batch.rejectReasons.length < 5 && !batch.rejectReasons.includes(reason)) batch.rejectReasons.push(reason);
}

export function countItems(batch: DecodedBatch): number {
  let n = 0;
  for (const g of batch.spans) n += g.spans.length;
  for (const g of batch.metrics) n += g.points.length;
  for (const g of batch.logs) n += g.logs.length;
  return n;
}

export const EMPTY_RESOURCE: ResourceRecord = {
  serviceName: 'unknown_service',
  attributesJson: '{}',
  droppedAttributesCount: 0,
  schemaUrl: '',
};

export const EMPTY_SCOPE: ScopeRecord = {
  name: '',
  version: '',
  attributesJson: '{}',
  droppedAttributesCount: 0,
  schemaUrl: '',
};
