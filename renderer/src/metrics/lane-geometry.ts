/**
 * A metric lane's drawing in a time window: the y scale with two or three round ticks, the
 * line, and the value under the pointer. A gauge holds its value until the next point (a step
 * after each point); a rate or an interval mean covers the interval it sums up (`startMs` to
 * `timeMs`), so it is drawn over that interval and read there. Paths are in a box of 0–100
 * (percent of the plot's width) by 0–height px. Pure.
 */
import { scaleLinear } from 'd3';
import type { MetricLane } from '../../../shared/model/telemetry.js';
import { pointSpacingMs, xPercent, type TimeWindow } from './lane-window.js';

type LanePoint = MetricLane['points'][number];

/** Top and bottom margin inside the plot, so the line and the tick labels never touch an edge. */
const MARGIN_PX = 7;

/** A point drawn as a segment of time: a gauge to the next point, an interval over itself. */
interface Segment {
  fromMs: number;
  toMs: number;
  value: number;
}

const isInterval = (lane: MetricLane): boolean => lane.measure !== 'value';

/** Every point as the time it stands for. */
function segments(lane: MetricLane): Segment[] {
  const pts = lane.points;
  const spacing = pointSpacingMs(lane);
  if (isInterval(lane)) return pts.map((p) => ({ fromMs: p.startMs ?? p.timeMs - (spacing ?? 0), toMs: p.timeMs, value: p.value }));
  // A gauge holds until the next point; the last one for its usual spacing (or on, when alone).
  return pts.map((p, i) => ({ fromMs: p.timeMs, toMs: pts[i + 1]?.timeMs ?? (spacing === null ? Infinity : p.timeMs + spacing), value: p.value }));
}

function visibleSegments(lane: MetricLane, w: TimeWindow): Segment[] {
  return segments(lane).filter((s) => s.toMs >= w.fromMs && s.fromMs <= w.toMs);
}

export interface LaneYAxis {
  /** y in px (0 at the top) for a value. */
  y(value: number): number;
  /** Two or three round values. */
  ticks: number[];
  /** The distance between ticks, for how many decimals they need. */
  step: number;
  /** The largest magnitude shown, to pick the unit's scale. */
  maxAbs: number;
  /** Nothing to draw in the window. */
  empty: boolean;
}

/** The y scale over what the window shows (exemplars in it included: a slow request sits above the mean). */
export function laneYAxis(lane: MetricLane, w: TimeWindow, heightPx: number): LaneYAxis {
  const values = [
    ...visibleSegments(lane, w).map((s) => s.value),
    ...lane.exemplars.filter((e) => e.timeMs >= w.fromMs && e.timeMs <= w.toMs).map((e) => e.value),
  ];
  const empty = values.length === 0;
  let lo = empty ? 0 : Math.min(...values);
  let hi = empty ? 1 : Math.max(...values);
  if (lo === hi) {
    // A flat lane: a little room either side of its value (0 stays the floor of a count).
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    lo = lo >= 0 && lo - pad < 0 ? 0 : lo - pad;
    hi += pad;
  }
  const scale = scaleLinear()
    .domain([lo, hi])
    .nice(2)
    .range([heightPx - MARGIN_PX, MARGIN_PX]);
  // The niced domain's ends are ticks; keep them and at most the middle one.
  let ticks = scale.ticks(2);
  if (ticks.length > 3) ticks = [ticks[0]!, (ticks[0]! + ticks.at(-1)!) / 2, ticks.at(-1)!];
  if (ticks.length < 2) ticks = scale.domain();
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : 1;
  return { y: (v) => scale(v), ticks, step, maxAbs: Math.max(...ticks.map(Math.abs), ...values.map(Math.abs)), empty };
}

/** The line as an SVG path in a (0–100 percent) × (0–height px) box. */
export function lanePath(lane: MetricLane, w: TimeWindow, axis: LaneYAxis): string {
  const x = (t: number): string => Math.min(100, Math.max(0, xPercent(t, w))).toFixed(3);
  let d = '';
  let lastEnd = NaN;
  for (const s of visibleSegments(lane, w)) {
    const y = axis.y(s.value).toFixed(2);
    const to = Number.isFinite(s.toMs) ? s.toMs : w.toMs;
    // Abutting segments join with a vertical step; a gap (a missing interval) stays a gap.
    d += s.fromMs === lastEnd ? ` V${y} H${x(to)}` : `${d ? ' ' : ''}M${x(s.fromMs)},${y} H${x(to)}`;
    lastEnd = s.toMs;
  }
  return d;
}

/** The value the lane shows at a time (null where it shows none), and the span of time it stands for. */
export function laneValueAt(lane: MetricLane, timeMs: number): { value: number; fromMs: number; toMs: number } | null {
  const hit = segments(lane).find((s) => s.fromMs <= timeMs && timeMs <= s.toMs && (isInterval(lane) || timeMs < s.toMs || s.toMs === Infinity));
  return hit ? { value: hit.value, fromMs: hit.fromMs, toMs: hit.toMs } : null;
}

/**
 * The value the lane shows at a time, else the last point before it (a gauge's value past its
 * usual hold), for the label's "at the trace's start".
 */
export function valueAt(lane: MetricLane, timeMs: number): number | null {
  const at = laneValueAt(lane, timeMs);
  if (at) return at.value;
  let v: LanePoint | null = null;
  for (const p of lane.points) {
    if (p.timeMs > timeMs) break;
    v = p;
  }
  return v?.value ?? null;
}
