/**
 * The one contract between the core and everything that calls it: the UI (through Electron IPC
 * or HTTP in browser mode) and the CLI. Every method is declared with its request schema
 * (shared/api/schemas/, one file per domain) and its response type. The core implements it once
 * (electron/core/api/api-service.ts, composed from the domain services in
 * electron/core/services/); requests are validated with these schemas where they enter it.
 */
import { z } from 'zod';
import type {
  DatasetInfo,
  LogRecordView,
  MetricLane,
  SpanView,
  TraceSpansPage,
  RemoteSourceInfo,
  RemoteTraceInfo,
  StoreStats,
  TraceDetail,
  TraceSummary,
} from '../model/telemetry.js';
import type { LiveEvent } from './events.js';
import type { AnalysisResult, SelectionComparison } from '../model/analysis.js';
import type { GenAiOverview } from '../model/genai.js';
import type { AlertEvent, AlertStatus } from '../model/alerts.js';
import type { AlertPreview } from '../model/alert-preview.js';
import type { ChainVerification, ReportHistoryEntry, ReportResult, ReportVerification, SigningKeyInfo } from '../model/report.js';
import type { RedactionRule } from '../model/redaction.js';
import type { MlAttributeMapping } from '../model/ml-mapping.js';
import type { ImportFilesResult } from '../model/imports.js';
import type { OtlpJsonTraces } from '../model/otlp-json.js';
import { API_METHODS, type ApiMethod } from './methods.js';
import type { GroupComparison, ServiceGraph } from '../model/trace-compare.js';
import type { TraceHeatmap, TraceListPage } from '../model/trace-list.js';
import { traceSchemas } from './schemas/traces.js';
import { datasetSchemas } from './schemas/datasets.js';
import { remoteSchemas } from './schemas/remote.js';
import { analysisSchemas } from './schemas/analysis.js';
import { settingsSchemas } from './schemas/settings.js';
import { reportSchemas } from './schemas/reports.js';

export { API_METHODS, type ApiMethod, ipcChannel, IPC_EVENT_CHANNEL, LOCAL_ONLY_METHODS } from './methods.js';
export { mlMappingSchema } from './schemas/analysis.js';
export { alertRuleSchema, redactionRulesSchema } from './schemas/settings.js';

export const requestSchemas = {
  /** Where and how this core runs. */
  getServerInfo: z.object({}).strict(),
  ...traceSchemas,
  ...datasetSchemas,
  ...remoteSchemas,
  ...analysisSchemas,
  ...settingsSchemas,
  ...reportSchemas,
} as const satisfies Record<ApiMethod, z.ZodType>;

export interface ServerInfo {
  appVersion: string;
  /** 'electron' inside the desktop window, 'browser' when served by `sightline serve`, 'cli' for a command. */
  mode: 'electron' | 'browser' | 'cli';
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
  listTraces: TraceListPage;
  traceHeatmap: TraceHeatmap;
  serviceGraph: ServiceGraph;
  searchLogs: LogRecordView[];
  getTraceMetrics: MetricLane[] | null;
  getTraceSpans: TraceSpansPage | null;
  getSpan: SpanView | null;
  findSpans: string[] | null;
  compareTraces: GroupComparison;
  getTrace: TraceDetail | null;
  exportTrace: OtlpJsonTraces | null;
  exportTraces: { outPath: string; datasetId: number; datasetName: string; traces: number; spans: number; lines: number; bytes: number };
  startImport: { importId: string; datasetName: string };
  importFiles: ImportFilesResult;
  cancelImport: { cancelled: boolean };
  deleteDataset: { traces: number; spans: number };
  listRemoteSources: RemoteSourceInfo[];
  saveRemoteSource: RemoteSourceInfo;
  deleteRemoteSource: { deleted: boolean };
  searchRemote: RemoteTraceInfo[];
  pullRemote: { datasetName: string; datasetId: number; pulled: { traceId: string; spans: number }[]; failed: { traceId: string; error: string }[] };
  analyze: AnalysisResult;
  explainSelection: SelectionComparison;
  genAiOverview: GenAiOverview;
  getMlMapping: { user: Partial<MlAttributeMapping>; effective: MlAttributeMapping };
  saveMlMapping: { predictions: number; factors: number; actuals: number };
  /** importId null: the demo was there already (ifMissing). */
  loadDemo: { importId: string | null; datasetName: string; alreadyLoaded: boolean };
  listAlerts: { statuses: AlertStatus[]; history: AlertEvent[] };
  saveAlertRules: { statuses: AlertStatus[]; history: AlertEvent[] };
  previewAlertRule: AlertPreview;
  getRedaction: { rules: RedactionRule[]; counts: Record<string, number> };
  saveRedaction: { rules: RedactionRule[]; counts: Record<string, number> };
  createReport: ReportHistoryEntry;
  writeReport: ReportResult;
  listReports: ReportHistoryEntry[];
  getReportFile: { name: string; mime: string; base64: string };
  getSigningKey: SigningKeyInfo;
  verifyReport: ReportVerification;
  verifyReportChain: ChainVerification;
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
