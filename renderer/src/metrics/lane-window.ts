/**
 * The time range the metric lanes show, and which lanes by default.
 *
 * By default the lanes show the trace in context: its own interval padded either side by
 * the most of 30 s, half its duration, and two and a half times the shown series' usual point
 * spacing (at most the ten minutes the core reads), with the trace marked as a band. Metrics
 * are sampled every few seconds to a minute, so over a 0.5 s trace alone a series is one flat
 * value with at most a step at the edge; a few points either side say whether the trace ran
 * while the value was usual or not, which is the question a reader brings. When the waterfall
 * is zoomed (or the reader picks "trace's time axis"), the lanes take the waterfall's window
 * instead, column for column with its rows, as a closer look. Pure.
 */
import { scaleUtc } from 'd3';
import { LANE_DEFAULT_COUNT, LANE_DEFAULT_MIN_RELEVANCE, type MetricLane } from '../../../shared/model/telemetry.js';
import type { ViewWindow } from '../waterfall/view-window.js';

/** An absolute time range (epoch ms). */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export type LaneRange = 'context' | 'trace';

const MIN_PAD_MS = 30_000;
const MAX_PAD_MS = 10 * 60_000;

/** A short stable ID for a lane key, for the URL (?lanes=a1b2c3,…). */
export function laneId(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/**
 * Lanes shown: those named in the URL, or the few most relevant (never one under the
 * threshold: another host of the service is context, not a default). Best first.
 */
export function chosenLanes(lanes: readonly MetricLane[], param: string | null): MetricLane[] {
  const ranked = [...lanes].sort((a, b) => b.relevance - a.relevance);
  if (param === null) return ranked.filter((l) => l.relevance >= LANE_DEFAULT_MIN_RELEVANCE).slice(0, LANE_DEFAULT_COUNT);
  const ids = new Set(param.split(',').filter(Boolean));
  return ranked.filter((l) => ids.has(laneId(l.key)));
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The usual time between a lane's points (null with fewer than two). */
export function pointSpacingMs(lane: MetricLane): number | null {
  return median(lane.points.slice(1).map((p, i) => p.timeMs - lane.points[i]!.timeMs));
}

/** The trace padded for context (see the module comment). */
export function contextWindow(lanes: readonly MetricLane[], traceStartMs: number, traceEndMs: number): TimeWindow {
  const spacing = median(lanes.map(pointSpacingMs).filter((s): s is number => s !== null)) ?? 0;
  const padMs = Math.min(MAX_PAD_MS, Math.max(MIN_PAD_MS, (traceEndMs - traceStartMs) / 2, 2.5 * spacing));
  return { fromMs: traceStartMs - padMs, toMs: traceEndMs + padMs };
}

/** The waterfall's window (offsets from the trace's start) in absolute time. */
export function traceWindow(traceStartMs: number, view: ViewWindow): TimeWindow {
  return { fromMs: traceStartMs + view.startMs, toMs: traceStartMs + view.endMs };
}

/** Percent of the plot's width at which a time lies (outside 0–100 when outside the window). */
export function xPercent(timeMs: number, w: TimeWindow): number {
  const span = w.toMs - w.fromMs;
  return span > 0 ? ((timeMs - w.fromMs) / span) * 100 : 0;
}

/** The time at a fraction (0–1) of the plot's width. */
export function timeAt(fraction: number, w: TimeWindow): number {
  return w.fromMs + fraction * (w.toMs - w.fromMs);
}

/** The trace's band on the plot, in percent; null when it fills the whole window (nothing to mark). */
export function traceBand(traceStartMs: number, traceEndMs: number, w: TimeWindow): { leftPct: number; widthPct: number } | null {
  const a = Math.max(0, xPercent(traceStartMs, w));
  const b = Math.min(100, xPercent(traceEndMs, w));
  if (b < 0 || a > 100 || (a <= 0 && b >= 100)) return null;
  return { leftPct: a, widthPct: Math.max(b - a, 0) };
}

/** Round clock times inside the window for its axis (a few, clear of the edges). */
export function clockTicks(w: TimeWindow, count = 6): number[] {
  return scaleUtc()
    .domain([w.fromMs, w.toMs])
    .ticks(count)
    .map((d) => d.getTime())
    .filter((t) => xPercent(t, w) > 4 && xPercent(t, w) < 96);
}
