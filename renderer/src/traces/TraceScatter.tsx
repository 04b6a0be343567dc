/**
 * Duration over time for the traces found, one dot each (errors red), on a log duration axis.
 * Click a dot to open its trace; brush across time to narrow the search to that period.
 */
import { useEffect, useRef } from 'react';
import { brushX, scaleLinear, scaleLog, select } from 'd3';
import type { TraceSummary } from '../../../shared/model/telemetry.js';
import { useLatest } from '../app/use-latest.js';

const W = 960;
const H = 180;
const LEFT = 54;
const RIGHT = W - 12;
const TOP = 10;
const BOTTOM = H - 22;

export function TraceScatter({
  traces,
  onOpen,
  onBrush,
}: {
  traces: TraceSummary[];
  onOpen: (t: TraceSummary) => void;
  onBrush: (fromMs: number, toMs: number) => void;
}) {
  const brushRef = useRef<SVGGElement>(null);
  const t0 = Math.min(...traces.map((t) => t.startTimeMs));
  const t1 = Math.max(...traces.map((t) => t.startTimeMs), t0 + 1);
  const x = scaleLinear().domain([t0, t1]).range([LEFT, RIGHT]);
  const dMax = Math.max(1, ...traces.map((t) => t.durationMs));
  const dMin = Math.max(0.001, Math.min(dMax / 10, ...traces.map((t) => Math.max(t.durationMs, 0.001))));
  const y = scaleLog().domain([dMin, dMax]).range([BOTTOM, TOP]).clamp(true);

  const latestOnBrush = useLatest(onBrush);
  useEffect(() => {
    const g = brushRef.current;
    if (!g) return;
    const time = scaleLinear().domain([t0, t1]).range([LEFT, RIGHT]);
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
  }, [t0, t1, latestOnBrush]);

  const fmt = (ms: number): string =>
    ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : ms >= 1 ? `${ms.toFixed(0)} ms` : `${(ms * 1000).toFixed(0)} µs`;
  const clock = (ms: number): string => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart trace-scatter" data-testid="trace-list-scatter" role="img" aria-label="Trace duration over time">
      {y
        .ticks(4)
        .filter((d) => /^[125]/.test(String(d)))
        .map((d) => (
          <g key={d}>
            <line x1={LEFT} x2={RIGHT} y1={y(d)} y2={y(d)} className="chart-grid" />
            <text x={LEFT - 4} y={y(d) + 3} textAnchor="end" className="chart-axis">
              {fmt(d)}
            </text>
          </g>
        ))}
      {x.ticks(6).map((t) => (
        <text key={t} x={x(t)} y={H - 6} textAnchor="middle" className="chart-axis">
          {clock(t)}
        </text>
      ))}
      <g ref={brushRef} data-testid="trace-list-scatter-brush" />
      {traces.map((t) => (
        <circle
          key={t.traceId}
          cx={x(t.startTimeMs)}
          cy={y(Math.max(t.durationMs, dMin))}
          r={3.5}
          className={t.errorCount > 0 ? 'scatter-dot error' : 'scatter-dot'}
          data-testid="trace-list-scatter-point"
          onClick={() => onOpen(t)}
        >
          <title>{`${t.rootServiceName ?? '?'}: ${t.rootSpanName ?? '?'} · ${fmt(t.durationMs)}`}</title>
        </circle>
      ))}
    </svg>
  );
}
