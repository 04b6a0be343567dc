/** The drift timeline: one row per signal, one cell per window, coloured by statistic / threshold. */
import type { ModelTimeline } from '../../../shared/model/analysis.js';
import { CHART_WIDTH, driftColor, LABEL_WIDTH, timeScale } from './chart-geometry.js';

const ROW = 16;

const TEST_NAMES: Record<string, string> = { ks: 'KS', chi_square: 'χ²', wasserstein: 'W₁/σ', jensen_shannon: 'JS' };

export function DriftHeatmap({ timeline }: { timeline: ModelTimeline }) {
  const x = timeScale(timeline);
  const signals = Object.keys(timeline.tests).sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const height = signals.length * ROW + 8;
  return (
    <svg viewBox={`0 0 ${CHART_WIDTH} ${height}`} className="chart" data-testid="models-drift-heatmap" role="img" aria-label="Drift per signal over time">
      {signals.map((signal, r) => (
        <g key={signal} data-testid="models-drift-row">
          <text x={8} y={r * ROW + 15} className="chart-sublabel">
            {signal.replace(/^feature:/, '· ')} <tspan className="chart-test">{TEST_NAMES[timeline.tests[signal]!]}</tspan>
          </text>
          {timeline.windows.map((w, k) => {
            const ratio = w.driftRatio[signal];
            const inBaseline = w.endMs <= timeline.baseline.endMs && w.startMs >= timeline.baseline.startMs;
            return (
              <rect
                key={k}
                x={x(w.startMs)}
                y={r * ROW + 4}
                width={Math.max(1, x(w.endMs) - x(w.startMs) - 1)}
                height={ROW - 2}
                fill={inBaseline ? 'rgba(127,140,141,0.28)' : driftColor(ratio)}
                data-drifted={ratio !== undefined && ratio >= 1 ? 'true' : undefined}
              >
                <title>{inBaseline ? 'baseline' : ratio === undefined ? 'not tested (too few values)' : `${signal}: ${ratio.toFixed(2)} × threshold`}</title>
              </rect>
            );
          })}
        </g>
      ))}
      <line x1={LABEL_WIDTH} x2={LABEL_WIDTH} y1={0} y2={height} className="chart-grid" />
    </svg>
  );
}

const FIRST = ['score', 'label', 'confidence', 'version_mix'];

/** Outputs first, then the version mix, then features. */
function order(signal: string): number {
  const i = FIRST.indexOf(signal);
  return i >= 0 ? i : FIRST.length;
}
