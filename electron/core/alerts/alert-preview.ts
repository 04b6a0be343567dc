/**
 * An alert rule replayed over the stored data of a dataset: the rule's value evaluated at
 * evenly spaced data times (at most MAX_STEPS, at least half a window apart) through the
 * same state machine the live engine runs, so "would it have fired, when, how high" is
 * answered before the rule is saved. Drift rules take the analysis' per-window drift ratios
 * (the strongest signal of each window), as the live engine takes the latest one.
 */
import type { AlertRule } from '../../../shared/model/alerts.js';
import type { AlertPreview } from '../../../shared/model/alert-preview.js';
import type { ModelTimeline } from '../../../shared/model/analysis.js';
import type { Db } from '../store/db.js';
import { spanRuleValue } from './alert-values.js';
import { step } from './alert-engine.js';

const MAX_STEPS = 240;
const NS_PER_MS = 1e6;

/** Replays a rule's values through the alert state machine. */
export function replay(rule: AlertRule, points: { atMs: number; value: number | null }[], datasetId: number, fromMs: number, toMs: number): AlertPreview {
  const firings: { fromMs: number; toMs: number | null }[] = [];
  let status: { state: 'inactive' | 'pending' | 'firing'; sinceMs: number | null; rule: AlertRule } = { state: 'inactive', sinceMs: null, rule };
  let peak: number | null = null;
  for (const p of points) {
    if (p.value !== null && (peak === null || p.value > peak)) peak = p.value;
    const next = step(status, p.value, p.atMs);
    if (next.event === 'firing') firings.push({ fromMs: p.atMs, toMs: null });
    if (next.event === 'resolved' && firings.length) firings[firings.length - 1]!.toMs = p.atMs;
    status = { state: next.state, sinceMs: next.sinceMs, rule };
  }
  const note = points.every((p) => p.value === null) ? 'no matching data in this dataset' : null;
  return { datasetId, fromMs, toMs, points, firings, peak, note };
}

/** A span rule (latency, errors, anomaly) over the dataset's stored traces. */
export function previewSpanRule(db: Db, rule: AlertRule, datasetId: number): AlertPreview {
  const extent = db.prepare('SELECT min(start_time_unix_nano) AS t0, max(end_time_unix_nano) AS t1 FROM traces WHERE dataset_id = ?').get(datasetId) as {
    t0: number | null;
    t1: number | null;
  };
  if (extent.t0 === null || extent.t1 === null)
    return { datasetId, fromMs: 0, toMs: 0, points: [], firings: [], peak: null, note: 'this dataset holds no traces' };
  const fromMs = extent.t0 / NS_PER_MS;
  const toMs = extent.t1 / NS_PER_MS;
  const windowMs = rule.windowSeconds * 1000;
  const stepMs = Math.max(windowMs / 2, (toMs - fromMs) / MAX_STEPS, 1000);
  const points: { atMs: number; value: number | null }[] = [];
  for (let at = Math.min(fromMs + windowMs, toMs); at <= toMs + stepMs / 2 && points.length < MAX_STEPS + 1; at += stepMs) {
    const atMs = Math.min(at, toMs);
    points.push({ atMs, value: spanRuleValue(db, rule, atMs, datasetId) });
    if (atMs === toMs) break;
  }
  return replay(rule, points, datasetId, fromMs, toMs);
}

/** A drift rule over the analysis timelines of its model in the dataset. */
export function previewDriftRule(rule: AlertRule, datasetId: number, timelines: ModelTimeline[]): AlertPreview {
  const windows = timelines.flatMap((t) => t.windows).sort((a, b) => a.endMs - b.endMs);
  if (windows.length === 0)
    return { datasetId, fromMs: 0, toMs: 0, points: [], firings: [], peak: null, note: `no predictions of ${rule.model ?? 'any model'} in this dataset` };
  const points = windows.map((w) => {
    const ratios = Object.values(w.driftRatio);
    return { atMs: w.endMs, value: ratios.length ? Math.max(...ratios) : null };
  });
  return replay(rule, points, datasetId, windows[0]!.startMs, windows[windows.length - 1]!.endMs);
}
