/**
 * The names of the contract's methods and their IPC channels, free of any schema library so
 * the preload and the UI can import them cheaply. contract.ts checks that its schemas cover
 * exactly these names.
 */
export const API_METHODS = [
  'getServerInfo', 'getStats', 'listDatasets', 'listServices', 'searchTraces', 'serviceGraph', 'compareTraces', 'searchLogs', 'getTraceMetrics', 'getTraceSpans', 'getSpan', 'findSpans', 'getTrace', 'startImport',
  'cancelImport',
  'deleteDataset',
  'listRemoteSources',
  'saveRemoteSource',
  'deleteRemoteSource',
  'searchRemote',
  'pullRemote',
  'analyze',
  'explainSelection',
  'getMlMapping',
  'saveMlMapping',
  'loadDemo',
  'listAlerts',
  'saveAlertRules',
  'getRedaction',
  'saveRedaction',
  'createReport',
  'listReports',
  'getReportFile',
] as const;
export type ApiMethod = (typeof API_METHODS)[number];

/** Name of the IPC channel that carries `method` (Electron transport). */
export function ipcChannel(method: ApiMethod): string {
  return `sightline:${method}`;
}

/** The channel on which the core pushes live events to the window. */
export const IPC_EVENT_CHANNEL = 'sightline:event';
