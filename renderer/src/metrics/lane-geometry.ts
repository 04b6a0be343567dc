/**
 * Geometry of a metric lane on the waterfall's time axis: a step line (a metric holds its
 * value until the next point) through the waterfall's own time mapping and zoom window, and
 * which lanes to show by default. Pure.
 */
import type { MetricLane } from '../../../shared/model/telemetry.js';
import { toViewPercent, type ViewWindow } from '../waterfall/view-window.js';

export const DEFAULT_LANES = 4;

/** A short stable ID for a lane key, for the URL (?lanes=a1b2c3,…). */
export function laneId(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/** Lanes shown: those named in the URL, or the first few (infrastructure first, as the core sorts them). */
export function chosenLanes(lanes: readonly MetricLane[], param: string | null): MetricLane[] {
  if (param === null) return lanes.slice(0, DEFAULT_LANES);
  const ids = new Set(param.split(',').filter(Boolean));
  return lanes.filter((l) => ids.has(laneId(l.key)));
}

export interface LaneScale {
  min: number;
  max: number;
  /** Every value is the same (the scale is padded around it). */
  flat: boolean;
}

/** The lane's value range, exemplars included (a slow request's exemplar sits above the mean). */
export function laneScale(lane: MetricLane): LaneScale {
  const vs = [...lane.points.map((p) => p.value), ...lane.exemplars.map((e) => e.value)];
  const min = Math.min(...vs);
  const max = Math.max(...vs);
  return min === max ? { min: min - 1, max: max + 1, flat: true } : { min, max, flat: false };
}

/** y in 0..heightPx (0 at the top) for a value. */
export function yOf(value: number, s: LaneScale, heightPx: number): number {
  return heightPx - 3 - ((value - s.min) / (s.max - s.min)) * (heightPx - 6);
}

/** Where a time falls on the lane: the waterfall's own mapping (view-window.ts), kept inside 0–100%. */
export function lanePercent(timeMs: number, traceStartMs: number, view: ViewWindow): number {
  return Math.min(100, Math.max(0, toViewPercent(timeMs - traceStartMs, view)));
}

/** The step line as an SVG path in a (0..100 percent) × (0..heightPx) box. */
export function stepPath(lane: MetricLane, traceStartMs: number, view: ViewWindow, heightPx: number): string {
  const s = laneScale(lane);
  const x = (t: number): number => lanePercent(t, traceStartMs, view);
  const pts = lane.points;
  if (pts.length === 0) return '';
  let d = `M${x(pts[0]!.timeMs).toFixed(3)},${yOf(pts[0]!.value, s, heightPx).toFixed(2)}`;
  for (let i = 1; i < pts.length; i++) {
    const xi = x(pts[i]!.timeMs).toFixed(3);
    d += ` H${xi} V${yOf(pts[i]!.value, s, heightPx).toFixed(2)}`;
  }
  // Hold the last value to the end of the trace.
  return `${d} H100`;
}

/** The value at a time: the last point at or before it (what the metric said then). */
export function valueAt(lane: MetricLane, timeMs: number): number | null {
  let v: number | null = null;
  for (const p of lane.points) {
    if (p.timeMs > timeMs) break;
    v = p.value;
  }
  return v;
}
