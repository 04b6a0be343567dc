/**
 * One time→pixel mapping for every chart of a GenAI group: the overview's buckets (bucketMs wide
 * from fromMs) drawn in the same 960-unit box and label column as the Models charts, so the two
 * pages read alike.
 */
import { scaleLinear, type ScaleLinear } from 'd3';
import { CHART_WIDTH, LABEL_WIDTH, PLOT_RIGHT } from '../models/chart-geometry.js';
import { svgPointer } from '../app/svg-pointer.js';

export interface SeriesAxis {
  fromMs: number;
  bucketMs: number;
  buckets: number;
}

export function seriesTimeScale(axis: SeriesAxis): ScaleLinear<number, number> {
  return scaleLinear()
    .domain([axis.fromMs, axis.fromMs + axis.bucketMs * Math.max(1, axis.buckets)])
    .range([LABEL_WIDTH, PLOT_RIGHT]);
}

/** The bucket holding a time, or null outside the series. */
export function bucketAt(axis: SeriesAxis, ms: number | null): number | null {
  if (ms === null) return null;
  const i = Math.floor((ms - axis.fromMs) / axis.bucketMs);
  return i >= 0 && i < axis.buckets ? i : null;
}

export const bucketStartMs = (axis: SeriesAxis, i: number): number => axis.fromMs + i * axis.bucketMs;
export const bucketMidMs = (axis: SeriesAxis, i: number): number => axis.fromMs + (i + 0.5) * axis.bucketMs;

/** The time under the pointer on a chart drawn in CHART_WIDTH units, or null outside the plot. */
export function pointerMs(e: { clientX: number; clientY: number; currentTarget: Element }, scale: ScaleLinear<number, number>): number | null {
  const px = svgPointer(e, CHART_WIDTH, 1).x;
  return px < LABEL_WIDTH || px > PLOT_RIGHT ? null : scale.invert(px);
}

/** "5-minute buckets", "30-second buckets". */
export function bucketWords(bucketMs: number): string {
  if (bucketMs >= 3_600_000 && bucketMs % 3_600_000 === 0) return `${bucketMs / 3_600_000}-hour buckets`;
  if (bucketMs >= 60_000) return `${+(bucketMs / 60_000).toFixed(1)}-minute buckets`;
  return `${+(bucketMs / 1000).toFixed(1)}-second buckets`;
}
