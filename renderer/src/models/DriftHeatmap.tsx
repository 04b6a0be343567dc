/**
 * The drift timeline: one row per signal, one cell per window, coloured by statistic /
 * threshold, on the same time axis as the charts above it (with the shared crosshair), a
 * legend for the colours and a readout of the cell under the pointer.
 */
import { useState, type MouseEvent } from 'react';
import type { ModelTimeline } from '../../../shared/model/analysis.js';
import { svgPointer } from '../app/svg-pointer.js';
import { CHART_WIDTH, driftColor, formatClock, LABEL_WIDTH, pointerTime, timeScale, timeTicks } from './chart-geometry.js';

const ROW = 16;
const AXIS = 18;
/** Longer signal names are cut (the full name is in the row's title and the readout). */
const LABEL_CHARS = 22;

const TEST_NAMES: Record<string, string> = { ks: 'KS', chi_square: 'χ²', wasserstein: 'W₁/σ', jensen_shannon: 'JS', point_mass: 'mass' };

export function DriftHeatmap({ timeline, hoverMs, onHover }: { timeline: ModelTimeline; hoverMs: number | null; onHover: (ms: number | null) => void }) {
  const x = timeScale(timeline);
  const signals = Object.keys(timeline.tests).sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const [row, setRow] = useState<number | null>(null);
  const height = signals.length * ROW + 8 + AXIS;
  const plotBottom = signals.length * ROW + 6;
  const onMove = (e: MouseEvent<SVGSVGElement>): void => {
    onHover(pointerTime(e, x));
    const py = svgPointer(e, CHART_WIDTH, height).y;
    const r = Math.floor((py - 4) / ROW);
    setRow(r >= 0 && r < signals.length ? r : null);
  };
  const window = hoverMs === null ? undefined : timeline.windows.find((w) => hoverMs >= w.startMs && hoverMs < w.endMs);
  const signal = row === null ? undefined : signals[row];
  const ratio = window && signal ? window.driftRatio[signal] : undefined;
  return (
    <figure className="drift-heatmap-figure">
      <svg
        viewBox={`0 0 ${CHART_WIDTH} ${height}`}
        className="chart"
        data-testid="models-drift-heatmap"
        role="img"
        aria-label={`Drift per signal over time, ${signals.length} signals: each cell is a window's test statistic over its threshold; red cells drifted`}
        onMouseMove={onMove}
        onMouseLeave={() => (onHover(null), setRow(null))}
      >
        {signals.map((s, r) => {
          const label = s.replace(/^feature:/, '· ');
          return (
            <g key={s} data-testid="models-drift-row">
              <text x={8} y={r * ROW + 15} className={r === row ? 'chart-sublabel chart-sublabel-active' : 'chart-sublabel'}>
                <title>{s}</title>
                {label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label}{' '}
                <tspan className="chart-test">{TEST_NAMES[timeline.tests[s]!] ?? timeline.tests[s]}</tspan>
              </text>
              {timeline.windows.map((w, k) => {
                const value = w.driftRatio[s];
                const inBaseline = w.endMs <= timeline.baseline.endMs && w.startMs >= timeline.baseline.startMs;
                return (
                  <rect
                    key={k}
                    x={x(w.startMs)}
                    y={r * ROW + 4}
                    width={Math.max(1, x(w.endMs) - x(w.startMs) - 1)}
                    height={ROW - 2}
                    fill={inBaseline ? 'rgba(127,140,141,0.28)' : driftColor(value)}
                    data-drifted={value !== undefined && value >= 1 ? 'true' : undefined}
                  />
                );
              })}
            </g>
          );
        })}
        <line x1={LABEL_WIDTH} x2={LABEL_WIDTH} y1={0} y2={plotBottom} className="chart-grid" />
        {timeTicks(x).map((t) => (
          <text key={t} x={x(t)} y={height - 4} className="chart-axis" textAnchor="middle">
            {formatClock(t)}
          </text>
        ))}
        {hoverMs !== null && <line x1={x(hoverMs)} x2={x(hoverMs)} y1={0} y2={plotBottom} className="chart-crosshair" pointerEvents="none" />}
      </svg>
      <figcaption className="chart-readout" data-testid="models-drift-readout">
        {window && signal ? (
          <>
            <strong>{signal}</strong> ({TEST_NAMES[timeline.tests[signal]!] ?? timeline.tests[signal]}):{' '}
            {window.endMs <= timeline.baseline.endMs && window.startMs >= timeline.baseline.startMs
              ? 'baseline window'
              : ratio === undefined
                ? 'not tested (too few values)'
                : `${ratio.toFixed(2)} × its threshold${ratio >= 1 ? ' — drifted' : ''}`}
          </>
        ) : (
          <span className="hint">
            <span className="legend-swatch" style={{ background: 'rgba(127,140,141,0.28)' }} /> baseline ·{' '}
            <span className="legend-swatch" style={{ background: driftColor(0.8) }} /> nearing the threshold ·{' '}
            <span className="legend-swatch" style={{ background: driftColor(1.5) }} /> drifted (statistic ≥ threshold; darker is further) · point at a cell for
            its value
          </span>
        )}
      </figcaption>
    </figure>
  );
}

const FIRST = ['score', 'label', 'confidence', 'version_mix'];

/** Outputs first, then the version mix, then features. */
function order(signal: string): number {
  const i = FIRST.indexOf(signal);
  return i >= 0 ? i : FIRST.length;
}
