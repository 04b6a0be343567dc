/** Traces, spans, logs and metrics of the store: search, read, compare, export. */
import { z } from 'zod';
import { ATTRIBUTE_OPS } from '../../model/trace-search.js';
import { TRACE_SORT_KEYS } from '../../model/trace-list.js';
import { datasetId, localPath, RANGE_MESSAGE, rangeInOrder, spanIdHex, timeRange, traceIdHex } from './common.js';

/** The filters of a trace search (the trace list, groups to compare). */
const traceFilterShape = {
  service: z.string().min(1).optional(),
  /** Traces with a span of this name. */
  operation: z.string().min(1).optional(),
  /** Each must hold for some span of the trace. */
  attributes: z
    .array(
      z
        .object({ key: z.string().min(1).max(200), op: z.enum(ATTRIBUTE_OPS), value: z.union([z.string().max(1000), z.number()]).optional() })
        .strict()
        .refine((f) => (f.op === 'exists') === (f.value === undefined), 'exists takes no value; the other operators need one'),
    )
    .max(10)
    .optional(),
  minDurationMs: z.number().min(0).optional(),
  maxDurationMs: z.number().min(0).optional(),
  errorsOnly: z.boolean().optional(),
  /** Traces starting in [fromMs, toMs). */
  ...timeRange,
  /** Case-insensitive, in span names and attribute values. */
  text: z.string().min(1).max(200).optional(),
  /** Traces where a span of service `parent` has a child span of service `child` (a service-graph edge). */
  call: z
    .object({ parent: z.string().min(1), child: z.string().min(1) })
    .strict()
    .optional(),
};

/** A group of traces to compare: those a search finds (newest first, up to `limit`), or these IDs. */
const traceGroupSchema = z
  .object({ ...traceFilterShape, traceIds: z.array(traceIdHex).min(1).max(100).optional(), limit: z.number().int().min(1).max(5000).default(1000) })
  .strict()
  .refine(rangeInOrder, RANGE_MESSAGE);

export const traceSchemas = {
  /** Counts for one dataset, or for the whole store. */
  getStats: z.object({ datasetId: datasetId.optional() }).strict(),
  /** Services that sent anything to a dataset (or anywhere), sorted. */
  listServices: z.object({ datasetId: datasetId.optional() }).strict(),
  /** Trace summaries of one dataset (default live), newest first. */
  searchTraces: z
    .object({ datasetId: datasetId.default(1), ...traceFilterShape, limit: z.number().int().min(1).max(10_000).default(200) })
    .strict()
    .refine(rangeInOrder, RANGE_MESSAGE),
  /**
   * One page of the trace list over the whole range, in any column's order (keyset paging:
   * pass the previous page's `next` as `after`), with the total that matches. Without a
   * dataset: every dataset.
   */
  listTraces: z
    .object({
      datasetId: datasetId.optional(),
      ...traceFilterShape,
      sort: z.enum(TRACE_SORT_KEYS).default('start'),
      desc: z.boolean().default(true),
      after: z
        .object({ key: z.string().max(10_000), seq: z.number().int() })
        .strict()
        .optional(),
      limit: z.number().int().min(1).max(1000).default(100),
    })
    .strict()
    .refine(rangeInOrder, RANGE_MESSAGE),
  /** Matching traces counted by start time and duration (log scale) over the range, or over their own extent. */
  traceHeatmap: z
    .object({
      datasetId: datasetId.optional(),
      ...traceFilterShape,
      columns: z.number().int().min(2).max(500).default(120),
      rows: z.number().int().min(2).max(100).default(24),
    })
    .strict()
    .refine(rangeInOrder, RANGE_MESSAGE),
  /**
   * Services and the calls between them (a child span in another service than its parent),
   * with call counts, error rates and p50/p95 of the callee's spans, over the newest traces
   * (of one dataset, or of all without one).
   */
  serviceGraph: z
    .object({ datasetId: datasetId.optional(), ...timeRange, limit: z.number().int().min(1).max(100_000).default(20_000) })
    .strict()
    .refine(rangeInOrder, RANGE_MESSAGE),
  /**
   * Compares group A (to explain: the slow ones, v2) with group B (the reference) operation by
   * operation; each group is a search or a list of trace IDs (one each: two traces side by side).
   */
  compareTraces: z.object({ datasetId: datasetId.default(1), a: traceGroupSchema, b: traceGroupSchema }).strict(),
  /** Log records, newest first: of a trace (and span), or by service, severity, text and time. */
  searchLogs: z
    .object({
      datasetId: datasetId.optional(),
      traceId: traceIdHex.optional(),
      spanId: spanIdHex.optional(),
      service: z.string().min(1).optional(),
      /** At least this OTLP severity number (9 INFO, 13 WARN, 17 ERROR). */
      minSeverity: z.number().int().min(0).max(24).optional(),
      text: z.string().min(1).max(200).optional(),
      ...timeRange,
      limit: z.number().int().min(1).max(5000).default(200),
    })
    .strict()
    .refine((r) => r.spanId === undefined || r.traceId !== undefined, 'a span ID goes with its trace ID')
    .refine(rangeInOrder, RANGE_MESSAGE),
  /**
   * A page of a trace's spans in start order: everything for traces up to 5,000 spans (one
   * page), outlines in pages for bigger ones; pass the previous page's `next` as `after`.
   */
  getTraceSpans: z
    .object({
      traceId: traceIdHex,
      datasetId: datasetId.optional(),
      after: z
        .object({ startTimeUnixNano: z.string().regex(/^-?\d+$/), spanId: z.string().regex(/^[0-9a-f]{16}$/) })
        .strict()
        .optional(),
      limit: z.number().int().min(100).max(100_000).default(20_000),
    })
    .strict(),
  /** One span with everything stored about it (an outline's detail), or null. */
  getSpan: z.object({ traceId: traceIdHex, spanId: spanIdHex, datasetId: datasetId.optional() }).strict(),
  /** IDs of a trace's spans whose name, status message or attributes contain `text` (in-trace search of outlines). */
  findSpans: z
    .object({
      traceId: traceIdHex,
      datasetId: datasetId.optional(),
      text: z.string().min(1).max(200),
      limit: z.number().int().min(1).max(200_000).default(50_000),
    })
    .strict(),
  /** The metric series of a trace's services and hosts around its time (lanes under the waterfall); null when the trace is not in the store. */
  getTraceMetrics: z.object({ traceId: traceIdHex, datasetId: datasetId.optional() }).strict(),
  /** One trace with all its spans, or null when it is not in the store. Without a dataset: live first. */
  getTrace: z.object({ traceId: traceIdHex, datasetId: datasetId.optional() }).strict(),
  /** One trace as OTLP JSON, exactly as stored (int64 and doubles kept), redacted again; null when not in the store. */
  exportTrace: z.object({ traceId: traceIdHex, datasetId: datasetId.optional() }).strict(),
  /**
   * Writes traces as OTLP JSON Lines (gzip when the path ends in .gz) to a file on this
   * machine, redacted again on the way out. Local transports only (CLI, desktop app).
   */
  exportTraces: z
    .object({
      outPath: localPath,
      datasetId: datasetId.default(1),
      service: z.string().min(1).optional(),
      ...timeRange,
      traceIds: z.array(traceIdHex).min(1).max(10_000).optional(),
    })
    .strict()
    .refine(rangeInOrder, RANGE_MESSAGE),
};
