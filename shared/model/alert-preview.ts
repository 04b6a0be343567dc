/** What an alert rule would have done on stored data (the Alerts page's preview). */
export interface AlertPreview {
  datasetId: number;
  /** The data time covered (ms). */
  fromMs: number;
  toMs: number;
  /** The rule's value at each evaluation (null: no matching data then). */
  points: { atMs: number; value: number | null }[];
  /** Periods the alert would have been firing (toMs null: still firing at the end of the data). */
  firings: { fromMs: number; toMs: number | null }[];
  /** The highest value seen, or null without any. */
  peak: number | null;
  /** A note when the preview could not say much (no data, no matching spans). */
  note: string | null;
}
