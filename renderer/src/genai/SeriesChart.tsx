/**
 * One GenAI series chart (presentational): lines or bars per time bucket on the group's time
 * axis, with a y axis in the series' unit, a legend, the shared crosshair, the values at the
 * crosshair in the corner, and a text alternative that states each line's range and peak.
 */
import type { MouseEvent } from 'react';
import { line, scaleLinear } from 'd3';
import { formatClock, formatPeriod } from '../app/format.js';
import { CHART_WIDTH, formatClock as formatTick, LABEL_WIDTH, PLOT_RIGHT, timeTicks } from '../models/chart-geometry.js';
import { bucketAt, bucketMidMs, bucketStartMs, bucketWords, pointerMs, seriesTimeScale, type SeriesAxis } from './series-geometry.js';

export interface SeriesLine {
  name: string;
  values: (number | null)[];
  color: string;
}

interface Props {
  testId: string;
  title: string;
  /** The unit and statistic, under the title ("ms, p95 per bucket"). */
  unit: string;
  axis: SeriesAxis;
  lines: SeriesLine[];
  /** Bars (counts) instead of lines. */
  bars?: boolean;
  format: (v: number) => string;
  /** A fixed top of the y axis (1 for shares and scores); else the data's maximum. */
  yMax?: number;
  hoverMs: number | null;
  onHover: (ms: number | null) => void;
}

const HEIGHT = 120;
const TOP = 18;
const BOTTOM = HEIGHT - 16;

/** The text alternative: per line, its range and where it peaked. */
export function describeSeries(title: string, unit: string, axis: SeriesAxis, lines: SeriesLine[], format: (v: number) => string): string {
  const parts = lines.map((l) => {
    let hi = -1;
    let lo = -1;
    l.values.forEach((v, i) => {
      if (v === null) return;
      if (hi < 0 || v > l.values[hi]!) hi = i;
      if (lo < 0 || v < l.values[lo]!) lo = i;
    });
    if (hi < 0) return `${l.name}: no values`;
    return `${l.name} from ${format(l.values[lo]!)} to ${format(l.values[hi]!)}, highest at ${formatClock(bucketStartMs(axis, hi), false)}`;
  });
  const end = bucketStartMs(axis, axis.buckets);
  return `${title} (${unit}) in ${bucketWords(axis.bucketMs)}, ${formatPeriod(axis.fromMs, end)}: ${parts.join('; ')}.`;
}

export function SeriesChart({ testId, title, unit, axis, lines, bars = false, format, yMax, hoverMs, onHover }: Props) {
  const x = seriesTimeScale(axis);
  const all = lines.flatMap((l) => l.values.filter((v): v is number => v !== null));
  const top = yMax ?? Math.max(...all, 0);
  const y = scaleLinear()
    .domain([0, top > 0 ? top : 1])
    .range([BOTTOM, TOP])
    .nice(3);
  const width = Math.max(1, x(bucketStartMs(axis, 1)) - x(bucketStartMs(axis, 0)) - 1);
  const hovered = bucketAt(axis, hoverMs);
  const readout =
    hovered === null
      ? null
      : `${formatClock(bucketStartMs(axis, hovered), false)} · ${lines
          .map(
            (l) => `${lines.length > 1 ? `${l.name} ` : ''}${l.values[hovered] === null || l.values[hovered] === undefined ? '—' : format(l.values[hovered]!)}`,
          )
          .join(' · ')}`;
  return (
    <svg
      viewBox={`0 0 ${CHART_WIDTH} ${HEIGHT}`}
      className="chart genai-chart"
      data-testid={testId}
      role="img"
      aria-label={describeSeries(title, unit, axis, lines, format)}
      onMouseMove={(e: MouseEvent<SVGSVGElement>) => onHover(pointerMs(e, x))}
      onMouseLeave={() => onHover(null)}
    >
      <text x={8} y={18} className="chart-label">
        {title}
      </text>
      <text x={8} y={33} className="chart-sublabel">
        {unit}
      </text>
      {lines.length > 1 &&
        lines.map((l, i) => (
          <text key={l.name} x={8} y={50 + i * 14} className="chart-sublabel" style={{ fill: l.color }}>
            ■ {l.name.length > 18 ? `${l.name.slice(0, 17)}…` : l.name}
          </text>
        ))}
      {y.ticks(3).map((t) => (
        <line key={t} x1={LABEL_WIDTH} x2={PLOT_RIGHT} y1={y(t)} y2={y(t)} className="chart-grid" />
      ))}
      {bars
        ? lines[0]?.values.map((v, i) =>
            v ? <rect key={i} x={x(bucketStartMs(axis, i))} y={y(v)} width={width} height={Math.max(0, BOTTOM - y(v))} fill={lines[0]!.color} /> : null,
          )
        : lines.map((l) => (
            <path
              key={l.name}
              d={
                line<number | null>()
                  .defined((v) => v !== null)
                  .x((_, i) => x(bucketMidMs(axis, i)))
                  .y((v) => y(v ?? 0))(l.values) ?? ''
              }
              className="chart-line"
              style={{ stroke: l.color }}
            />
          ))}
      {y.ticks(3).map((t) => (
        <text key={t} x={LABEL_WIDTH + 3} y={Math.max(y(t) - 3, 9)} className="chart-axis chart-axis-halo">
          {t === 0 ? '0' : format(t)}
        </text>
      ))}
      {timeTicks(x, 8).map((t) => (
        <text key={t} x={x(t)} y={HEIGHT - 3} className="chart-axis" textAnchor="middle">
          {formatTick(t)}
        </text>
      ))}
      {hovered !== null && (
        <>
          <line
            x1={x(bucketMidMs(axis, hovered))}
            x2={x(bucketMidMs(axis, hovered))}
            y1={TOP - 4}
            y2={BOTTOM}
            className="chart-crosshair"
            pointerEvents="none"
          />
          <text x={PLOT_RIGHT} y={11} className="chart-axis chart-readout-value" textAnchor="end" data-testid={`${testId}-readout`}>
            {readout}
          </text>
        </>
      )}
    </svg>
  );
}
