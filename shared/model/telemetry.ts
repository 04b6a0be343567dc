/**
 * Telemetry shapes the UI and the CLI read. Times are in milliseconds since the Unix epoch
 * (as numbers: precise to well under a microsecond for today's dates), durations in ms.
 * Exact nanosecond values stay in the store and in OTLP exports.
 */
import type { SpanOutlineColumns } from './span-outline.js';

/** OTLP span kinds, numbered as in the OTLP protobuf. */
export const SPAN_KIND_NAMES = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;

/** OTLP status codes, numbered as in the OTLP protobuf. */
export const STATUS_CODE_NAMES = ['UNSET', 'OK', 'ERROR'] as const;
export const STATUS_CODE_ERROR = 2;

/** One row of the trace list: a summary kept up to date at ingest. */
export interface TraceSummary {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** The dataset the trace belongs to. */
  datasetId: number;
  /** Service of the root span, or null while the root span has not arrived. */
  rootServiceName: string | null;
  /** Name of the root span, or null while the root span has not arrived. */
  rootSpanName: string | null;
  startTimeMs: number;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  /** Every service that contributed a span, sorted. */
  serviceNames: string[];
}

/** Attribute values as stored: JSON scalars, arrays and nested maps. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface SpanEventView {
  timeMs: number;
  name: string;
  attributes: Attributes;
}

export interface SpanLinkView {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

/** A span as the waterfall and the detail panel show it. */
export interface SpanView {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  serviceName: string;
  kind: number;
  startTimeMs: number;
  durationMs: number;
  statusCode: number;
  statusMessage: string;
  attributes: Attributes;
  resourceAttributes: Attributes;
  scopeName: string;
  scopeVersion: string;
  events: SpanEventView[];
  links: SpanLinkView[];
  /** Only what the waterfall draws (a page of a huge trace): attributes, resource, scope, links and event attributes are left out; getSpan has them. */
  outline?: boolean;
}

/** A page of a trace's spans, in start order (getTraceSpans). */
export interface TraceSpansPage {
  summary: TraceSummary;
  /** Every span with everything stored about it (traces small enough to come whole); empty when `outline` is set. */
  spans: SpanView[];
  /** Pass as `after` for the next page; null on the last. */
  next: { startTimeUnixNano: string; spanId: string } | null;
  /** A huge trace's page of outline spans, in the compact column form (`outlineSpans` makes SpanViews); null for a whole trace. */
  outline: SpanOutlineColumns | null;
}

export interface TraceDetail {
  summary: TraceSummary;
  spans: SpanView[];
}

/** Store-wide counts, as `sightline stats --json` prints them. */
export interface StoreStats {
  traces: number;
  spans: number;
  metricPoints: number;
  logRecords: number;
  services: string[];
}

/** A dataset: `live` is what the receivers write; each import has its own. */
export interface DatasetInfo {
  id: number;
  name: string;
  kind: 'live' | 'import' | 'remote';
  /** Where it came from: "OTLP receivers", a file path, a remote server. */
  source: string;
  createdAtMs: number;
  traces: number;
  spans: number;
  metricPoints: number;
  logRecords: number;
}

/** Kinds of remote tracing server: Jaeger api/v3 (OTLP), Jaeger api/traces, Tempo, Zipkin v2. */
export const REMOTE_KINDS = ['jaeger-v3', 'jaeger', 'tempo', 'zipkin'] as const;
export type RemoteKind = (typeof REMOTE_KINDS)[number];

/** A tracing server Sightline can search and pull traces from (configured in Settings). */
export interface RemoteSourceInfo {
  id: number;
  name: string;
  kind: RemoteKind;
  url: string;
  /** Whether credentials are stored (they are never sent to the UI). */
  hasCredentials: boolean;
}

export interface RemoteTraceInfo {
  traceId: string;
  rootServiceName?: string | undefined;
  rootSpanName?: string | undefined;
  startTimeMs?: number | undefined;
  durationMs?: number | undefined;
  spanCount?: number | undefined;
}

/** A log record as the logs view and the span detail show it. */
export interface LogRecordView {
  timeMs: number;
  severityNumber: number;
  severityText: string;
  /** The body: a string as it is, anything else as JSON. */
  body: string;
  attributes: Attributes;
  serviceName: string;
  datasetId: number;
  traceId: string | null;
  spanId: string | null;
}

/** What a metric series measures, as far as its name and attributes tell (GPU, storage, …). */
export type MetricLaneKind = 'gpu' | 'storage' | 'network' | 'queue' | 'compute' | 'other';

/**
 * Where a series comes from, seen from the trace: a resource that sent spans of it, another
 * service on a host it touched, its service without a host, or its service on a host it did
 * not touch (context only, never shown by default).
 */
export type MetricLaneScope = 'resource' | 'host' | 'service' | 'other-host';

/** Lanes with at least this relevance may be shown by default (the best few of them). */
export const LANE_DEFAULT_MIN_RELEVANCE = 0.2;
/** How many lanes are shown by default, at most. */
export const LANE_DEFAULT_COUNT = 4;

/** One metric series drawn under a trace's waterfall. */
export interface MetricLane {
  /** Stable across loads: metric, resource and point attributes. */
  key: string;
  name: string;
  /** The unit of `value` as the metric declares it (UCUM: ms, s, %, Cel, By, 1…); a counter's rate is per second. */
  unit: string;
  /** What `value` is: the gauge or sum itself, a monotonic counter's rate, a histogram's mean over each interval. */
  measure: 'value' | 'rate' | 'interval mean';
  service: string;
  host: string | null;
  attributes: Attributes;
  kind: MetricLaneKind;
  scope: MetricLaneScope;
  /**
   * How much the series matters to this trace, 0–1: its place (the host of the span that took
   * the time first, other hosts of the service last), whether it measures what the trace's slow
   * spans waited on (storage, GPU, network, queue), and how much it moved around the trace
   * against its lookback. Lanes come sorted by it.
   */
  relevance: number;
  /** Why it is relevant, short: "host gpu-node-3 of the slow span model.infer". */
  why: string;
  /**
   * Time order, around the trace (up to ten minutes either side). A gauge's value holds until
   * the next point; a rate's or interval mean's covers `startMs`–`timeMs` (the interval it
   * sums up, when known).
   */
  points: { timeMs: number; value: number; startMs?: number }[];
  exemplars: { timeMs: number; value: number; traceId: string; spanId: string | null }[];
}
