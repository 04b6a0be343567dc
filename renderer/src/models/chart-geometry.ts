/**
 * One time→pixel mapping for every chart of a model's timeline (as Jaeger's waterfall keeps
 * one), plus the colours of versions and of drift strength.
 */
import { scaleLinear, type ScaleLinear } from 'd3';
import type { ModelTimeline } from '../../../shared/model/analysis.js';
import { formatClock as formatAppClock } from '../app/format.js';
import { svgPointer } from '../app/svg-pointer.js';

export const CHART_WIDTH = 960;
export const LABEL_WIDTH = 150;
export const PLOT_RIGHT = CHART_WIDTH - 12;

export function timeScale(timeline: ModelTimeline): ScaleLinear<number, number> {
  const first = timeline.windows[0];
  const last = timeline.windows[timeline.windows.length - 1];
  return scaleLinear()
    .domain([first?.startMs ?? 0, last?.endMs ?? 1])
    .range([LABEL_WIDTH, PLOT_RIGHT]);
}

const VERSION_COLORS = ['#3b6fd8', '#e08a1e', '#2e9d55', '#9b59b6', '#d64545', '#16a2b8', '#7f8c8d'];
export function versionColor(index: number): string {
  return VERSION_COLORS[index % VERSION_COLORS.length]!;
}

/** Drift strength (statistic / threshold) as a cell colour: quiet grey, rising amber, red at and above 1. */
export function driftColor(ratio: number | undefined): string {
  if (ratio === undefined) return 'var(--bg-alt)';
  if (ratio >= 1) return `rgba(214, 69, 69, ${Math.min(1, 0.45 + (ratio - 1) * 0.2)})`;
  if (ratio >= 0.6) return `rgba(224, 138, 30, ${0.2 + (ratio - 0.6) * 0.8})`;
  return 'rgba(127, 140, 141, 0.12)';
}

/** Axis ticks in the app's one time format (its zone), to the minute. */
export function formatClock(ms: number): string {
  return formatAppClock(ms, false);
}

/** The time under the pointer on a chart drawn in CHART_WIDTH units, or null outside the plot. */
export function pointerTime(e: { clientX: number; clientY: number; currentTarget: Element }, scale: ScaleLinear<number, number>): number | null {
  const px = svgPointer(e, CHART_WIDTH, 1).x;
  return px < LABEL_WIDTH || px > PLOT_RIGHT ? null : scale.invert(px);
}

export function timeTicks(scale: ScaleLinear<number, number>, count = 8): number[] {
  return scale.ticks(count);
}
