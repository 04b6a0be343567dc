/**
 * Alert rules, as in Prometheus: a condition over a trailing window that must hold for a
 * while (`forSeconds`) before the alert fires. Rules are kept in the store and travel as a
 * JSON file (`{"rules": [...]}`).
 *
 * Time is the data's own time (the newest span received live), not the wall clock, so a
 * replayed or delayed stream alerts exactly as it would have live.
 */

export const ALERT_KINDS = ['latency_p95', 'latency_p99', 'error_rate', 'latency_anomaly', 'drift'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertRule {
  name: string;
  kind: AlertKind;
  /** Spans of this service (latency, errors); any service when absent. */
  service?: string | undefined;
  /** Spans with this name (latency, errors); any span when absent. */
  span?: string | undefined;
  /** Model, for drift rules. */
  model?: string | undefined;
  /**
   * latency_*: milliseconds; error_rate: fraction 0–1; latency_anomaly: robust z-score of the
   * window's median latency against the preceding hour (median and MAD); drift: strongest
   * drift ratio (statistic / threshold) of the model's latest window.
   */
  threshold: number;
  /** How long the condition must hold before firing (0: at once). */
  forSeconds: number;
  /** The trailing window the value is computed over. */
  windowSeconds: number;
}

export type AlertState = 'inactive' | 'pending' | 'firing';

export interface AlertStatus {
  rule: AlertRule;
  state: AlertState;
  /** Data time since which the current state holds (ms). */
  sinceMs: number | null;
  /** The value at the last evaluation (null when there was no data). */
  value: number | null;
  evaluatedAtMs: number | null;
}

export interface AlertEvent {
  rule: string;
  /** 'pending' | 'firing' | 'resolved'. */
  state: 'pending' | 'firing' | 'resolved';
  value: number | null;
  threshold: number;
  /** Data time of the change (ms). */
  atMs: number;
  message: string;
}
