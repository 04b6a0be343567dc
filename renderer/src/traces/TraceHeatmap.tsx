/**
 * Duration over time for every matching trace of the range, aggregated by the core into cells
 * (start time × log duration), so a million traces draw as fast as a hundred. Darker cells
 * hold more traces; a red edge marks cells with errors. Hover reads a cell out; brushing
 * across time narrows the data context to that period.
 */
import { useEffect, useRef, useState } from 'react';
import { brushX, scaleLinear, scaleLog, select } from 'd3';
import type { TraceHeatmap as Heatmap } from '../../../shared/model/trace-list.js';
import { useLatest } from '../app/use-latest.js';
import { svgPointer } from '../app/svg-pointer.js';
import { formatClock, formatCount, formatDurationMs, formatPeriod, plural, zoneLabel } from '../app/format.js';

const W = 960;
const H = 190;
const LEFT = 62;
const RIGHT = W - 12;
const TOP = 10;
const BOTTOM = H - 30;

/** Ticks whose labels differ (a short range would repeat "14:02:11"). */
function distinctTicks(ticks: number[], label: (v: number) => string): number[] {
  const seen = new Set<string>();
  return ticks.filter((t) => !seen.has(label(t)) && (seen.add(label(t)), true));
}

export function TraceHeatmap({ map, onBrush }: { map: Heatmap; onBrush: (fromMs: number, toMs: number) => void }) {
  const brushRef = useRef<SVGGElement>(null);
  const [hover, setHover] = useState<{ x: number; y: number } | null>(null);
  const x = scaleLinear().domain([map.fromMs, map.toMs]).range([LEFT, RIGHT]);
  const y = scaleLog().domain([map.minDurationMs, map.maxDurationMs]).range([BOTTOM, TOP]);
  const cellW = (RIGHT - LEFT) / map.columns;
  const cellH = (BOTTOM - TOP) / map.rows;
  const maxCount = Math.max(1, ...map.counts);
  const bandMs = (row: number): [number, number] => {
    const r = Math.log(map.maxDurationMs / map.minDurationMs) / map.rows;
    return [map.minDurationMs * Math.exp(r * row), map.minDurationMs * Math.exp(r * (row + 1))];
  };
  const columnMs = (col: number): [number, number] => {
    const w = (map.toMs - map.fromMs) / map.columns;
    return [map.fromMs + w * col, map.fromMs + w * (col + 1)];
  };

  const latestOnBrush = useLatest(onBrush);
  useEffect(() => {
    const g = brushRef.current;
    if (!g) return;
    const time = scaleLinear().domain([map.fromMs, map.toMs]).range([LEFT, RIGHT]);
    const brush = brushX()
      .extent([
        [LEFT, TOP],
        [RIGHT, BOTTOM],
      ])
      .on('end', (event: { selection: [number, number] | null; sourceEvent?: unknown }) => {
        if (!event.sourceEvent || !event.selection) return;
        latestOnBrush.current(time.invert(event.selection[0]), time.invert(event.selection[1]));
      });
    select(g).call(brush);
    return () => void select(g).on('.brush', null);
  }, [map.fromMs, map.toMs, latestOnBrush]);

  const cells: { col: number; row: number; n: number; errors: number }[] = [];
  map.counts.forEach((n, i) => n > 0 && cells.push({ col: i % map.columns, row: Math.floor(i / map.columns), n, errors: map.errors[i] ?? 0 }));
  const spanMs = map.toMs - map.fromMs;
  const hovered = hover ? { n: map.counts[hover.y * map.columns + hover.x] ?? 0, errors: map.errors[hover.y * map.columns + hover.x] ?? 0 } : null;
  const slowest = formatDurationMs(map.maxDurationMs);
  const summary = `Heatmap of ${plural(map.total, 'trace')} by start time (${formatPeriod(map.fromMs, map.toMs)}) and duration (${formatDurationMs(map.minDurationMs)} to ${slowest}, log scale).`;

  return (
    <figure className="trace-heatmap-figure">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="chart trace-heatmap"
        data-testid="trace-list-heatmap"
        role="img"
        aria-label={summary}
        onMouseMove={(e) => {
          const { x: px, y: py } = svgPointer(e, W, H);
          if (px < LEFT || px >= RIGHT || py < TOP || py >= BOTTOM) return setHover(null);
          setHover({ x: Math.floor((px - LEFT) / cellW), y: map.rows - 1 - Math.floor((py - TOP) / cellH) });
        }}
        onMouseLeave={() => setHover(null)}
      >
        <title>{summary}</title>
        {y
          .ticks(6)
          .filter((d, i, all) => all.length <= 6 || /^[125]/.test(String(d)))
          .map((d) => (
            <g key={d}>
              <line x1={LEFT} x2={RIGHT} y1={y(d)} y2={y(d)} className="chart-grid" />
              <text x={LEFT - 4} y={y(d) + 3} textAnchor="end" className="chart-axis">
                {formatDurationMs(d)}
              </text>
            </g>
          ))}
        {distinctTicks(x.ticks(7), (t) => formatClock(t, spanMs < 6 * 3600_000)).map((t) => (
          <text key={t} x={x(t)} y={BOTTOM + 14} textAnchor="middle" className="chart-axis">
            {formatClock(t, spanMs < 6 * 3600_000)}
          </text>
        ))}
        <text x={RIGHT} y={H - 3} textAnchor="end" className="chart-axis">
          start time ({zoneLabel(map.fromMs)})
        </text>
        <text x={12} y={(TOP + BOTTOM) / 2} textAnchor="middle" className="chart-axis" transform={`rotate(-90 12 ${(TOP + BOTTOM) / 2})`}>
          duration
        </text>
        {cells.map((c) => (
          <rect
            key={c.row * map.columns + c.col}
            x={LEFT + c.col * cellW}
            y={BOTTOM - (c.row + 1) * cellH}
            width={cellW + 0.3}
            height={cellH + 0.3}
            className={c.errors > 0 ? 'heat-cell has-error' : 'heat-cell'}
            style={{ fillOpacity: 0.15 + 0.85 * (Math.log1p(c.n) / Math.log1p(maxCount)) }}
            data-testid="trace-list-heatmap-cell"
          />
        ))}
        {hover && (
          <rect x={LEFT + hover.x * cellW} y={BOTTOM - (hover.y + 1) * cellH} width={cellW} height={cellH} className="heat-cell-hover" pointerEvents="none" />
        )}
        <g ref={brushRef} data-testid="trace-list-heatmap-brush" />
      </svg>
      <figcaption className="chart-readout" data-testid="trace-list-heatmap-readout" aria-live="polite">
        {hover && hovered ? (
          <>
            {formatPeriod(...columnMs(hover.x))} · {formatDurationMs(bandMs(hover.y)[0])}–{formatDurationMs(bandMs(hover.y)[1])} ·{' '}
            <strong>{plural(hovered.n, 'trace')}</strong>
            {hovered.errors > 0 && <span className="error-text"> · {formatCount(hovered.errors)} with errors</span>}
          </>
        ) : (
          <span className="hint">
            <span className="heat-legend" aria-hidden="true" /> more traces · <span className="heat-legend error" aria-hidden="true" /> with errors · drag
            across to narrow the time range
          </span>
        )}
      </figcaption>
    </figure>
  );
}
