/**
 * The one contract between the UI and the core. Every method the UI may call is declared
 * here with its request and response schema. The core implements it once
 * (electron/core/api/service.ts); two transports carry it: Electron IPC through the preload
 * (one exposed function per method) and HTTP `POST /api/<method>` in browser mode.
 * Requests are validated with these schemas where they enter the core.
 */
import { z } from 'zod';
import { REMOTE_KINDS, type DatasetInfo, type LogRecordView, type MetricLane, type SpanView, type TraceSpansPage, type RemoteSourceInfo, type RemoteTraceInfo, type StoreStats, type TraceDetail, type TraceSummary } from '../model/telemetry.js';
import type { LiveEvent } from './events.js';
import type { AnalysisResult, SelectionComparison } from '../model/analysis.js';
import { ALERT_KINDS, type AlertEvent, type AlertStatus } from '../model/alerts.js';
import type { ReportHistoryEntry } from '../model/report.js';
import { ATTRIBUTE_OPS } from '../model/trace-search.js';
import type { RedactionRule } from '../model/redaction.js';
import { ML_MAPPING_FIELDS, type MlAttributeMapping } from '../model/ml-mapping.js';
import { API_METHODS, type ApiMethod } from './methods.js';
import type { GroupComparison, ServiceGraph } from '../model/trace-compare.js';

export { API_METHODS, type ApiMethod, ipcChannel, IPC_EVENT_CHANNEL } from './methods.js';

const traceIdHex = z.string().regex(/^[0-9a-fA-F]{32}$/, 'a trace ID is 32 hex characters');
/** A dataset ID (1 is `live`). */
const datasetId = z.number().int().positive();

const attributeNames = z.array(z.string().min(1).max(200)).max(50);
/** A user attribute mapping: for each field, attribute names tried before the defaults. */
export const mlMappingSchema = z.object(Object.fromEntries(ML_MAPPING_FIELDS.map((f) => [f, attributeNames.optional()])) as Record<(typeof ML_MAPPING_FIELDS)[number], z.ZodOptional<typeof attributeNames>>).strict();

/** One alert rule (see shared/model/alerts.ts). */
export const alertRuleSchema = z
  .object({
    name: z.string().min(1).max(100),
    kind: z.enum(ALERT_KINDS),
    service: z.string().min(1).optional(),
    span: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    threshold: z.number().finite(),
    forSeconds: z.number().min(0).max(86_400).default(0),
    windowSeconds: z.number().min(1).max(86_400).default(300),
  })
  .strict()
  .refine((r) => r.kind !== 'drift' || r.model !== undefined, 'a drift rule names its model')
  .refine((r) => r.kind !== 'error_rate' || (r.threshold >= 0 && r.threshold <= 1), 'an error_rate threshold is a fraction between 0 and 1');

/**
 * Redaction rules (see shared/model/redaction.ts). A value pattern must compile here; the core
 * also refuses, when rules are saved, a pattern its linear-time engine (RE2) cannot run
 * (backreferences, lookaround), naming the rule.
 */
export const redactionRulesSchema = z
  .array(
    z
      .object({
        name: z.string().min(1).max(100),
        kind: z.enum(['key', 'value']),
        pattern: z.string().min(1).max(500),
        check: z.enum(['luhn']).optional(),
        action: z.enum(['replace', 'pseudonymise']).optional(),
        label: z.string().regex(/^[a-z][a-z0-9_-]{0,15}$/, 'a pseudonym label is 1-16 lower-case letters, digits, _ or -, starting with a letter').optional(),
      })
      .strict()
      .superRefine((r, ctx) => {
        if (r.kind === 'key') return;
        try {
          new RegExp(r.pattern, 'g');
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: `rule "${r.name}": the value pattern must be a valid regular expression (${(e as Error).message})` });
        }
      }),
  )
  .max(100);

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
  fromMs: z.number().optional(),
  toMs: z.number().optional(),
  /** Case-insensitive, in span names and attribute values. */
  text: z.string().min(1).max(200).optional(),
  /** Traces where a span of service `parent` has a child span of service `child` (a service-graph edge). */
  call: z.object({ parent: z.string().min(1), child: z.string().min(1) }).strict().optional(),
};

/** A group of traces to compare: those a search finds (newest first, up to `limit`), or these IDs. */
const traceGroupSchema = z
  .object({ ...traceFilterShape, traceIds: z.array(traceIdHex).min(1).max(100).optional(), limit: z.number().int().min(1).max(5000).default(1000) })
  .strict();

export const requestSchemas = {
  /** Where and how this core runs. */
  getServerInfo: z.object({}).strict(),
  /** Counts for one dataset, or for the whole store. */
  getStats: z.object({ dataset: datasetId.optional() }).strict(),
  /** Every dataset: live and each import, with counts. */
  listDatasets: z.object({}).strict(),
  /** Services that sent anything to a dataset (or anywhere), sorted. */
  listServices: z.object({ dataset: datasetId.optional() }).strict(),
  /** Trace summaries of one dataset (default live), newest first. */
  searchTraces: z.object({ dataset: datasetId.default(1), ...traceFilterShape, limit: z.number().int().min(1).max(10_000).default(200) }).strict(),
  /**
   * Services and the calls between them (a child span in another service than its parent),
   * with call counts, error rates and p50/p95 of the callee's spans, over the newest traces.
   */
  serviceGraph: z
    .object({ dataset: datasetId.default(1), fromMs: z.number().optional(), toMs: z.number().optional(), limit: z.number().int().min(1).max(100_000).default(20_000) })
    .strict(),
  /**
   * Compares group A (to explain: the slow ones, v2) with group B (the reference) operation by
   * operation; each group is a search or a list of trace IDs (one each: two traces side by side).
   */
  compareTraces: z.object({ dataset: datasetId.default(1), a: traceGroupSchema, b: traceGroupSchema }).strict(),
  /** Log records, newest first: of a trace (and span), or by service, severity, text and time. */
  searchLogs: z
    .object({
      dataset: datasetId.optional(),
      traceId: traceIdHex.optional(),
      spanId: z.string().regex(/^[0-9a-fA-F]{16}$/, 'a span ID is 16 hex characters').optional(),
      service: z.string().min(1).optional(),
      /** At least this OTLP severity number (9 INFO, 13 WARN, 17 ERROR). */
      minSeverity: z.number().int().min(0).max(24).optional(),
      text: z.string().min(1).max(200).optional(),
      fromMs: z.number().optional(),
      toMs: z.number().optional(),
      limit: z.number().int().min(1).max(5000).default(200),
    })
    .strict()
    .refine((r) => r.spanId === undefined || r.traceId !== undefined, 'a span ID goes with its trace ID'),
  /**
   * A page of a trace's spans in start order: everything for traces up to 5,000 spans (one
   * page), outlines in pages for bigger ones; pass the previous page's `next` as `after`.
   */
  getTraceSpans: z
    .object({
      traceId: traceIdHex,
      dataset: datasetId.optional(),
      after: z.object({ startTimeUnixNano: z.string().regex(/^-?\d+$/), spanId: z.string().regex(/^[0-9a-f]{16}$/) }).strict().optional(),
      limit: z.number().int().min(100).max(100_000).default(20_000),
    })
    .strict(),
  /** One span with everything stored about it (an outline's detail), or null. */
  getSpan: z.object({ traceId: traceIdHex, spanId: z.string().regex(/^[0-9a-fA-F]{16}$/), dataset: datasetId.optional() }).strict(),
  /** IDs of a trace's spans whose name, status message or attributes contain `text` (in-trace search of outlines). */
  findSpans: z.object({ traceId: traceIdHex, dataset: datasetId.optional(), text: z.string().min(1).max(200), limit: z.number().int().min(1).max(200_000).default(50_000) }).strict(),
  /** The metric series of a trace's services and hosts around its time (lanes under the waterfall); null when the trace is not in the store. */
  getTraceMetrics: z.object({ traceId: traceIdHex, dataset: datasetId.optional() }).strict(),
  /** One trace with all its spans, or null when it is not in the store. Without a dataset: live first. */
  getTrace: z.object({ traceId: traceIdHex, dataset: datasetId.optional() }).strict(),
  /**
   * Imports an archive file already on this machine (Electron: from File > Open or a drop) into
   * a new dataset; progress arrives as 'import' live events. Browser mode uploads the file to
   * POST /api/upload instead, which starts the same import.
   */
  startImport: z.object({ path: z.string().min(1), dataset: z.string().min(1).max(200).optional() }).strict(),
  /** Stops a running import; what was committed before stays. */
  cancelImport: z.object({ importId: z.string().min(1) }).strict(),
  /** Deletes an imported or pulled dataset and everything in it (not live). */
  deleteDataset: z.object({ dataset: datasetId }).strict(),
  /** The configured remote sources (credentials are never returned). */
  listRemoteSources: z.object({}).strict(),
  /** Adds or replaces (by name) a remote source. */
  saveRemoteSource: z
    .object({
      name: z.string().min(1).max(100),
      kind: z.enum(REMOTE_KINDS),
      url: z.string().regex(/^https?:\/\/.+/, 'an http(s) address'),
      token: z.string().min(1).optional(),
      username: z.string().min(1).optional(),
      password: z.string().optional(),
    })
    .strict(),
  deleteRemoteSource: z.object({ source: z.number().int().positive() }).strict(),
  /** Searches a remote source. */
  searchRemote: z
    .object({ source: z.number().int().positive(), service: z.string().min(1).optional(), limit: z.number().int().min(1).max(1000).default(20), lookbackMinutes: z.number().int().min(1).max(525_600).default(60) })
    .strict(),
  /** Pulls traces from a remote source into a local dataset (new unless named). */
  pullRemote: z.object({ source: z.number().int().positive(), traceIds: z.array(z.string().regex(/^[0-9a-fA-F]{16,32}$/)).min(1).max(500), dataset: z.string().min(1).max(200).optional() }).strict(),
  /**
   * Drift per model and version in scope, with ranked infrastructure causes, and the
   * per-model timelines the Models page draws. Runs in a worker thread.
   */
  analyze: z
    .object({
      dataset: datasetId.optional(),
      service: z.string().min(1).optional(),
      model: z.string().min(1).optional(),
      fromMs: z.number().optional(),
      toMs: z.number().optional(),
      baselineFromMs: z.number().optional(),
      baselineToMs: z.number().optional(),
      /** Compare the other versions with this one instead of with an earlier period. */
      baselineVersion: z.string().min(1).optional(),
      /** Significance for KS and chi-square (default 0.05). */
      alpha: z.number().gt(0).lt(1).optional(),
      /** Threshold for normalised Wasserstein and Jensen-Shannon distance (default 0.1). */
      distanceThreshold: z.number().gt(0).max(10).optional(),
    })
    .strict()
    .refine((r) => (r.baselineFromMs === undefined) === (r.baselineToMs === undefined), 'baselineFromMs and baselineToMs go together')
    .refine((r) => r.baselineVersion === undefined || r.baselineFromMs === undefined, 'choose one baseline: a period or a version'),
  /** Compares a brushed time range of one model with its baseline on every signal and factor. */
  explainSelection: z
    .object({
      dataset: datasetId,
      model: z.string().min(1),
      fromMs: z.number(),
      toMs: z.number(),
      baselineFromMs: z.number().optional(),
      baselineToMs: z.number().optional(),
    })
    .strict()
    .refine((r) => r.toMs > r.fromMs, 'toMs must be after fromMs'),
  /** The user's attribute mapping and the effective one (user names first, then the defaults). */
  getMlMapping: z.object({}).strict(),
  /** Saves the user's attribute mapping and re-extracts predictions from the stored spans. */
  saveMlMapping: z.object({ mapping: mlMappingSchema }).strict(),
  /** Imports the generated incident demo (a dataset named "demo: ranker incident"). */
  loadDemo: z.object({}).strict(),
  /** Alert rules with their current state, and the history of changes (newest first). */
  listAlerts: z.object({}).strict(),
  /** Replaces all alert rules (the rules file); unchanged rules keep their state. */
  saveAlertRules: z.object({ rules: z.array(alertRuleSchema).max(200) }).strict().refine((r) => new Set(r.rules.map((x) => x.name)).size === r.rules.length, 'rule names must be unique'),
  /** Makes a sealed audit report (HTML or PDF) beside the store; runs in a worker thread. */
  createReport: z
    .object({
      format: z.enum(['html', 'pdf']).default('html'),
      dataset: datasetId.optional(),
      service: z.string().min(1).optional(),
      model: z.string().min(1).optional(),
      fromMs: z.number().optional(),
      toMs: z.number().optional(),
    })
    .strict(),
  /** The redaction rules in force and how often each fired. */
  getRedaction: z.object({}).strict(),
  /** Replaces the redaction rules (applied to everything stored from then on, and at export). */
  saveRedaction: z.object({ rules: redactionRulesSchema }).strict(),
  /** The reports made from this store, newest first, with their hashes. */
  listReports: z.object({}).strict(),
  /** One report's bytes (base64), to preview or save. */
  getReportFile: z.object({ id: z.number().int().positive() }).strict(),
} as const satisfies Record<ApiMethod, z.ZodType>;

export interface ServerInfo {
  appVersion: string;
  /** 'electron' inside the desktop window, 'browser' when served by `sightline serve`. */
  mode: 'electron' | 'browser';
  otlpHttpPort: number | null;
  otlpGrpcPort: number | null;
  /** The address the receivers listen on (127.0.0.1 unless told otherwise). */
  listenHost: string;
  /** Senders must send "Authorization: Bearer <token>" when set (always set beyond loopback). */
  receiverToken: string | null;
  /** Receivers use TLS. */
  tls: boolean;
  /** Path of the SQLite file. */
  dbPath: string;
}

export interface ApiResponses {
  getServerInfo: ServerInfo;
  getStats: StoreStats;
  listDatasets: DatasetInfo[];
  listServices: string[];
  searchTraces: TraceSummary[];
  serviceGraph: ServiceGraph;
  searchLogs: LogRecordView[];
  getTraceMetrics: MetricLane[] | null;
  getTraceSpans: TraceSpansPage | null;
  getSpan: SpanView | null;
  findSpans: string[] | null;
  compareTraces: GroupComparison;
  getTrace: TraceDetail | null;
  startImport: { importId: string; dataset: string };
  cancelImport: { cancelled: boolean };
  deleteDataset: { traces: number; spans: number };
  listRemoteSources: RemoteSourceInfo[];
  saveRemoteSource: RemoteSourceInfo;
  deleteRemoteSource: { deleted: boolean };
  searchRemote: RemoteTraceInfo[];
  pullRemote: { dataset: string; datasetId: number; pulled: { traceId: string; spans: number }[]; failed: { traceId: string; error: string }[] };
  analyze: AnalysisResult;
  explainSelection: SelectionComparison;
  getMlMapping: { user: Partial<MlAttributeMapping>; effective: MlAttributeMapping };
  saveMlMapping: { predictions: number; factors: number; actuals: number };
  loadDemo: { importId: string; dataset: string };
  listAlerts: { statuses: AlertStatus[]; history: AlertEvent[] };
  saveAlertRules: { statuses: AlertStatus[]; history: AlertEvent[] };
  getRedaction: { rules: RedactionRule[]; counts: Record<string, number> };
  saveRedaction: { rules: RedactionRule[]; counts: Record<string, number> };
  createReport: ReportHistoryEntry;
  listReports: ReportHistoryEntry[];
  getReportFile: { name: string; mime: string; base64: string };
}

export type ApiRequest<M extends ApiMethod> = z.input<(typeof requestSchemas)[M]>;
export type ApiParsedRequest<M extends ApiMethod> = z.output<(typeof requestSchemas)[M]>;

/** What the UI holds: one async function per method, plus the live-event subscription. */
export type SightlineApi = {
  [M in ApiMethod]: (request: ApiRequest<M>) => Promise<ApiResponses[M]>;
} & {
  /** Calls `listener` for every live event until the returned function is called. */
  subscribe(listener: (event: LiveEvent) => void): () => void;
};

/** The core's side: the same methods, taking already validated requests. */
export type ApiImplementation = {
  [M in ApiMethod]: (request: ApiParsedRequest<M>) => ApiResponses[M] | Promise<ApiResponses[M]>;
};

/** Validates an untrusted request for `method`; throws ApiRequestError with a readable message. */
export function parseApiRequest<M extends ApiMethod>(method: M, raw: unknown): ApiParsedRequest<M> {
  const result = requestSchemas[method].safeParse(raw ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
    throw new ApiRequestError(`invalid ${method} request: ${issues}`);
  }
  return result.data as ApiParsedRequest<M>;
}

export function isApiMethod(name: string): name is ApiMethod {
  return (API_METHODS as readonly string[]).includes(name);
}

export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
}
