/**
 * Read side of the store for the trace list, the waterfall and the CLI. Runs on its own
 * read-only connection: in WAL mode it sees the last committed state and never waits for
 * the writer. Times leave here as milliseconds (numbers); exact nanoseconds stay for exports.
 */
import { parseStoredArray, parseStoredObject } from './parse-stored.js';
import { IN_START_RANGE, bucketFilterOf, hasFilters, traceSearchWhere, type TraceSearch } from './trace-search.js';
import { candidateStartRanges, collectInRanges } from './trace-buckets.js';
import { sql } from './sql-text.js';
import type { Db } from './open-store.js';
import type {
  Attributes,
  MetricLane,
  SpanEventView,
  SpanLinkView,
  SpanView,
  StoreStats,
  TraceDetail,
  TraceSpansPage,
  TraceSummary,
} from '../../../shared/model/telemetry.js';
import { findSpans, traceSpansPage } from './trace-pages.js';
import { LIVE_DATASET_ID } from './batch-writer.js';
import { traceMetricLanes } from './trace-metrics.js';
import { TraceOutlineCache } from './trace-outline-cache.js';
import { outlinesHere, type OutlineSource } from './outline-source.js';
import { toSummary, TRACE_COLUMNS, type TraceRow } from './trace-rows.js';

interface SpanRow {
  span_id: Buffer;
  parent_span_id: Buffer | null;
  name: string;
  kind: number;
  start_us: number;
  duration_us: number;
  status_code: number;
  status_message: string;
  attributes: string;
  events: string | null;
  links: string | null;
  service_name: string;
  resource_attributes: string;
  scope_name: string;
  scope_version: string;
}

function parseAttributes(text: string | null): Attributes {
  return parseStoredObject(text) as Attributes;
}

const NANOS_PER_MS = 1e6;

/** Everything the detail panel shows of a span (SpanRow), with its resource and scope. */
const SPAN_SELECT = `SELECT s.span_id, s.parent_span_id, s.name, s.kind, s.start_time_unix_nano / 1000 AS start_us,
  (s.end_time_unix_nano - s.start_time_unix_nano) / 1000 AS duration_us, s.status_code, s.status_message,
  s.attributes, s.events, s.links, r.service_name, r.attributes AS resource_attributes,
  sc.name AS scope_name, sc.version AS scope_version
  FROM spans s JOIN resources r ON r.id = s.resource_id JOIN scopes sc ON sc.id = s.scope_id`;

function toSpanView(s: SpanRow): SpanView {
  return {
    spanId: s.span_id.toString('hex'),
    parentSpanId: s.parent_span_id ? s.parent_span_id.toString('hex') : null,
    name: s.name,
    serviceName: s.service_name,
    kind: s.kind,
    startTimeMs: s.start_us / 1000,
    durationMs: s.duration_us / 1000,
    statusCode: s.status_code,
    statusMessage: s.status_message,
    attributes: parseAttributes(s.attributes),
    resourceAttributes: parseAttributes(s.resource_attributes),
    scopeName: s.scope_name,
    scopeVersion: s.scope_version,
    events: (parseStoredArray(s.events, 3) as { timeUnixNano: number; name: string; attributes: Attributes }[]).map((e): SpanEventView => ({
      timeMs: e.timeUnixNano / NANOS_PER_MS,
      name: e.name,
      attributes: e.attributes ?? {},
    })),
    links: (parseStoredArray(s.links, 3) as unknown as SpanLinkView[]).map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: l.attributes ?? {} })),
  };
}

export class TraceQueries {
  private readonly stmt;
  /** Sorted outlines of the huge traces being paged through (trace-pages.ts). */
  private readonly outlines: { cache: TraceOutlineCache; source: OutlineSource };

  /** `outlineSource` builds huge traces' outlines: on this thread unless told otherwise (outline-thread.ts). */
  constructor(
    private readonly db: Db,
    outlineSource: OutlineSource = outlinesHere(db),
  ) {
    this.outlines = { cache: new TraceOutlineCache(), source: outlineSource };
    this.stmt = {
      totals: db.prepare(
        'SELECT sum(traces) AS traces, sum(spans) AS spans, sum(metric_points) AS metric_points, sum(log_records) AS log_records FROM datasets',
      ),
      datasetTotals: db.prepare('SELECT traces, spans, metric_points, log_records FROM datasets WHERE id = ?'),
      services: db.prepare('SELECT DISTINCT service_name FROM resources ORDER BY service_name').pluck(),
      datasetServices: db.prepare('SELECT DISTINCT service_name FROM resources WHERE dataset_id = ? ORDER BY service_name').pluck(),
      recent: db.prepare(`SELECT ${TRACE_COLUMNS} FROM traces t WHERE t.dataset_id = ? ORDER BY t.start_time_unix_nano DESC LIMIT ?`),
      recentForService: db.prepare(
        `SELECT ${TRACE_COLUMNS} FROM trace_services ts JOIN traces t ON t.trace_seq = ts.trace_seq
         WHERE ts.service_name = ? AND t.dataset_id = ? ORDER BY t.start_time_unix_nano DESC LIMIT ?`,
      ),
      // Without a dataset, the live copy of a trace wins, then the oldest import.
      trace: db.prepare(
        `SELECT ${TRACE_COLUMNS}, t.trace_seq FROM traces t WHERE t.trace_id = ? AND (? IS NULL OR t.dataset_id = ?) ORDER BY t.dataset_id LIMIT 1`,
      ),
      span: db.prepare(`${SPAN_SELECT} WHERE s.trace_seq = ? AND s.span_id = ?`),
      spans: db.prepare(`${SPAN_SELECT} WHERE s.trace_seq = ? ORDER BY s.start_time_unix_nano`),
    };
  }

  /** Counts for one dataset, or for the whole store. */
  stats(datasetId?: number): StoreStats {
    const t = (datasetId === undefined ? this.stmt.totals.get() : this.stmt.datasetTotals.get(datasetId)) as
      { traces: number | null; spans: number | null; metric_points: number | null; log_records: number | null } | undefined;
    return {
      traces: t?.traces ?? 0,
      spans: t?.spans ?? 0,
      metricPoints: t?.metric_points ?? 0,
      logRecords: t?.log_records ?? 0,
      services: this.listServices(datasetId),
    };
  }

  /** Services that sent anything (to one dataset, or anywhere). */
  listServices(datasetId?: number): string[] {
    return (datasetId === undefined ? this.stmt.services.all() : this.stmt.datasetServices.all(datasetId)) as string[];
  }

  searchTraces(query: Omit<TraceSearch, 'dataset'> & { dataset?: number | undefined }): TraceSummary[] {
    const dataset = query.dataset ?? LIVE_DATASET_ID;
    if (hasFilters({ ...query, dataset })) {
      const w = traceSearchWhere({ ...query, dataset });
      // Newest first through the stretches of time that may hold a match, until the page is full.
      const ranges = candidateStartRanges(this.db, bucketFilterOf({ ...query, dataset }));
      const stmt = this.db.prepare(
        `SELECT ${TRACE_COLUMNS} FROM traces t WHERE ${w.sql} AND ${ranges ? IN_START_RANGE : sql`1`} ORDER BY t.start_time_unix_nano DESC, t.trace_seq DESC LIMIT ?`,
      );
      return collectInRanges(ranges, query.limit, (range, n) => stmt.all(...w.params, ...range, n) as TraceRow[]).map(toSummary);
    }
    const rows = (
      query.service ? this.stmt.recentForService.all(query.service, dataset, query.limit) : this.stmt.recent.all(dataset, query.limit)
    ) as TraceRow[];
    return rows.map(toSummary);
  }

  /** The metric lanes of a trace (trace-metrics.ts), or null when the trace is not in the store. */
  traceMetrics(traceIdHex: string, datasetId?: number): MetricLane[] | null {
    const row = this.traceRow(traceIdHex, datasetId);
    if (!row) return null;
    return traceMetricLanes(this.db, row.trace_seq, row.dataset_id, row.start_us / 1000, (row.start_us + row.duration_us) / 1000);
  }

  /** The trace's row (live first without a dataset), or undefined. */
  private traceRow(traceIdHex: string, datasetId?: number): (TraceRow & { trace_seq: number }) | undefined {
    const ds = datasetId ?? null;
    return this.stmt.trace.get(Buffer.from(traceIdHex, 'hex'), ds, ds) as (TraceRow & { trace_seq: number }) | undefined;
  }

  /** Every span of a trace with everything stored about it, in start order. */
  private fullSpans(traceSeq: number): SpanView[] {
    return (this.stmt.spans.all(traceSeq) as SpanRow[]).map(toSpanView);
  }

  getTrace(traceIdHex: string, datasetId?: number): TraceDetail | null {
    const row = this.traceRow(traceIdHex, datasetId);
    return row ? { summary: toSummary(row), spans: this.fullSpans(row.trace_seq) } : null;
  }

  /** A page of a trace's spans (trace-pages.ts), or null when the trace is not in the store. */
  traceSpansPage(
    traceIdHex: string,
    datasetId: number | undefined,
    after: { startTimeUnixNano: string; spanId: string } | undefined,
    limit: number,
  ): Promise<TraceSpansPage | null> {
    const row = this.traceRow(traceIdHex, datasetId);
    if (!row) return Promise.resolve(null);
    return traceSpansPage(this.db, { seq: row.trace_seq, summary: toSummary(row), startUs: row.start_us }, after, limit, this.outlines, (seq) =>
      this.fullSpans(seq),
    );
  }

  /** One span with everything stored about it (the detail of an outline), or null. */
  getSpan(traceIdHex: string, spanIdHex: string, datasetId?: number): SpanView | null {
    const row = this.traceRow(traceIdHex, datasetId);
    const span = row ? (this.stmt.span.get(row.trace_seq, Buffer.from(spanIdHex, 'hex')) as SpanRow | undefined) : undefined;
    return span ? toSpanView(span) : null;
  }

  /** Span IDs of a trace matching a text in names, status messages or attributes. */
  findSpans(traceIdHex: string, datasetId: number | undefined, text: string, limit: number): string[] | null {
    const row = this.traceRow(traceIdHex, datasetId);
    return row ? findSpans(this.db, row.trace_seq, text, limit) : null;
  }
}
