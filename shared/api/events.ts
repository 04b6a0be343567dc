import type { AlertEvent } from '../model/alerts.js';

/** Live updates pushed from the core to every connected UI. */
export interface IngestEvent {
  type: 'ingest';
  /** Items committed since the previous event. */
  spans: number;
  metricPoints: number;
  logRecords: number;
  /** Distinct traces touched since the previous event. */
  traces: number;
}

/** Progress and outcome of an archive import started from the UI. */
export interface ImportEvent {
  type: 'import';
  importId: string;
  file: string;
  datasetName: string;
  datasetId: number;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  bytesRead: number;
  totalBytes: number;
  spans: number;
  elapsedMs: number;
  /** When done: what was rejected or unreadable, in words. */
  message?: string;
}

/** An alert rule changed state (pending, firing, resolved). */
export interface AlertLiveEvent {
  type: 'alert';
  event: AlertEvent;
}

/** A report being made: which step it is on ("analysing the store", "rendering", "printing the PDF"). */
export interface ReportProgressEvent {
  type: 'report';
  /** The file being written, or 'report' for one made beside the store. */
  file: string;
  step: string;
}

export type LiveEvent = IngestEvent | ImportEvent | AlertLiveEvent | ReportProgressEvent;
