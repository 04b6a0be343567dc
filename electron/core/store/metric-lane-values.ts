/**
 * A stored series as values a lane can draw: gauges and sums as they are, monotonic cumulative
 * sums as a rate per second, histograms (and summaries) as the mean over each interval
 * (cumulative points differenced). A rate or an interval mean says which interval it covers
 * (`startMs`), so it is drawn over that interval, not after it. Pure.
 */
import { METRIC_EXPONENTIAL_HISTOGRAM, METRIC_HISTOGRAM, METRIC_SUM, METRIC_SUMMARY } from '../otlp/model.js';
import type { MetricLane } from '../../../shared/model/telemetry.js';

const CUMULATIVE = 2;

export interface StoredPoint {
  start_ms: number;
  time_ms: number;
  value: number | null;
  count: number | null;
  sum: number | null;
  point_id: number;
}

export interface StoredMetric {
  name: string;
  unit: string;
  type: number;
  temporality: number;
  is_monotonic: number;
}

export type LanePoint = MetricLane['points'][number] & { pointId: number };

export interface LaneValues {
  measure: MetricLane['measure'];
  unit: string;
  points: LanePoint[];
}

/**
 * `points` in time order, read from `readFromMs` on. A cumulative point that cannot be
 * differenced (the first one read) and whose series started before `readFromMs` is left out:
 * its mean or rate would cover all the time since the series began, not one interval.
 */
export function laneValues(m: StoredMetric, points: readonly StoredPoint[], readFromMs: number): LaneValues {
  const isHistogram = m.type === METRIC_HISTOGRAM || m.type === METRIC_EXPONENTIAL_HISTOGRAM || m.type === METRIC_SUMMARY;
  const isRate = m.type === METRIC_SUM && m.is_monotonic === 1 && m.temporality === CUMULATIVE;
  const cumulative = m.temporality === CUMULATIVE;
  const out: LanePoint[] = [];
  let prev: StoredPoint | null = null;
  for (const p of points) {
    let v: number | null = p.value;
    let startMs: number | undefined;
    if (isHistogram) {
      const differenced = cumulative && prev && p.count !== null && prev.count !== null && p.count >= prev.count;
      const dc = differenced ? p.count! - prev!.count! : p.count;
      const ds = differenced ? (p.sum ?? 0) - (prev!.sum ?? 0) : p.sum;
      v = dc && ds !== null && (differenced || !cumulative || p.start_ms >= readFromMs) ? ds / dc : null;
      // A differenced point covers the time since the previous one; any other since its own start.
      startMs = differenced ? prev!.time_ms : p.start_ms > 0 && p.start_ms < p.time_ms ? p.start_ms : undefined;
    } else if (isRate) {
      v =
        prev && p.value !== null && prev.value !== null && p.value >= prev.value && p.time_ms > prev.time_ms
          ? ((p.value - prev.value) * 1000) / (p.time_ms - prev.time_ms)
          : null;
      startMs = prev?.time_ms;
    }
    prev = p;
    if (v === null || !Number.isFinite(v)) continue;
    out.push(startMs === undefined ? { timeMs: p.time_ms, value: v, pointId: p.point_id } : { timeMs: p.time_ms, value: v, startMs, pointId: p.point_id });
  }
  return {
    measure: isHistogram ? 'interval mean' : isRate ? 'rate' : 'value',
    unit: isRate ? `${m.unit || '1'}/s` : m.unit,
    points: out,
  };
}
