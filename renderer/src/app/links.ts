/**
 * Links into the app's views, built in one place. A trace link names the trace's dataset
 * (a trace ID may be in several) and optionally a span to select.
 */
import { withParams } from './router.js';

export function traceLink(traceId: string, datasetId?: number | undefined, spanId?: string | null | undefined): string {
  const p = new URLSearchParams();
  if (datasetId !== undefined && datasetId !== 1) p.set('dataset', String(datasetId));
  if (spanId) p.set('span', spanId);
  return withParams(`/trace/${traceId.toLowerCase()}`, p);
}

/** The logs of a trace. */
export function traceLogsLink(traceId: string, datasetId?: number | undefined): string {
  const p = new URLSearchParams({ trace: traceId.toLowerCase() });
  if (datasetId !== undefined) p.set('dataset', String(datasetId));
  return withParams('/logs', p);
}
