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

export type LiveEvent = IngestEvent;
