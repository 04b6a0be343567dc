/**
 * The names of the contract's methods and their IPC channels, free of any schema library so
 * the preload and the UI can import them cheaply. contract.ts checks that its schemas cover
 * exactly these names.
 */
export const API_METHODS = [
  'getServerInfo',
  // traces, spans, logs, metrics
  'getStats',
  'listServices',
  'searchTraces',
  'listTraces',
  'traceHeatmap',
  'serviceGraph',
  'compareTraces',
  'searchLogs',
  'getTraceMetrics',
  'getTraceSpans',
  'getSpan',
  'findSpans',
  'getTrace',
  'exportTrace',
  'exportTraces',
  // datasets and imports
  'listDatasets',
  'deleteDataset',
  'startImport',
  'importFiles',
  'cancelImport',
  'loadDemo',
  // remote sources
  'listRemoteSources',
  'saveRemoteSource',
  'deleteRemoteSource',
  'searchRemote',
  'pullRemote',
  // drift
  'analyze',
  'explainSelection',
  'genAiOverview',
  'getMlMapping',
  'saveMlMapping',
  // settings
  'listAlerts',
  'saveAlertRules',
  'previewAlertRule',
  'getRedaction',
  'saveRedaction',
  // reports
  'createReport',
  'writeReport',
  'listReports',
  'getReportFile',
  'getSigningKey',
  'verifyReport',
  'verifyReportChain',
] as const;
export type ApiMethod = (typeof API_METHODS)[number];

/**
 * Methods that read or write files at paths of the caller's choosing: only the local
 * transports (the CLI, the desktop window's IPC) carry them; browser mode's HTTP API refuses
 * them, so nothing a page can reach reads or writes arbitrary files (a browser opens an archive
 * by uploading it, POST /api/upload).
 */
export const LOCAL_ONLY_METHODS: ReadonlySet<ApiMethod> = new Set<ApiMethod>([
  'startImport',
  'importFiles',
  'exportTraces',
  'writeReport',
  'getSigningKey',
  'verifyReport',
  'verifyReportChain',
]);

/** Name of the IPC channel that carries `method` (Electron transport). */
export function ipcChannel(method: ApiMethod): string {
  return `sightline:${method}`;
}

/** The channel on which the core pushes live events to the window. */
export const IPC_EVENT_CHANNEL = 'sightline:event';
