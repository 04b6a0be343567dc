/**
 * Diverging bars: the self time each operation adds to (right, red) or saves from (left, green)
 * a trace of group A compared with group B, largest first. Presentational.
 */
import type { OperationComparison } from '../../../shared/model/trace-compare.js';
import { formatDurationMs } from '../app/format.js';

const ROW_PX = 22;
const LABEL_PX = 260;
const BAR_PX = 420;

export function DeltaChart({ operations }: { operations: OperationComparison[] }) {
  const rows = operations.filter((o) => o.deltaSelfMsPerTrace !== 0).slice(0, 12);
  if (rows.length === 0) return <p className="hint">No operation spends more or less time per trace in A than in B.</p>;
  const maxAbs = Math.max(...rows.map((o) => Math.abs(o.deltaSelfMsPerTrace)));
  const half = BAR_PX / 2;
  const mid = LABEL_PX + half;
  return (
    <svg
      className="delta-chart"
      width={LABEL_PX + BAR_PX + 90}
      height={rows.length * ROW_PX + 24}
      data-testid="compare-delta-chart"
      role="img"
      aria-label="Self time per trace, A minus B, per operation"
    >
      <line x1={mid} x2={mid} y1={0} y2={rows.length * ROW_PX + 4} className="axis" />
      {rows.map((o, i) => {
        const w = (Math.abs(o.deltaSelfMsPerTrace) / maxAbs) * (half - 10);
        const y = i * ROW_PX + 4;
        const slower = o.deltaSelfMsPerTrace > 0;
        return (
          <g key={`${o.service}\u0000${o.name}`} data-testid="compare-delta-bar">
            <text x={LABEL_PX - 8} y={y + 14} textAnchor="end" className="delta-label">
              {`${o.service}: ${o.name}`.slice(0, 40)}
            </text>
            <rect x={slower ? mid : mid - w} y={y + 3} width={Math.max(1, w)} height={ROW_PX - 8} className={slower ? 'bar-slower' : 'bar-faster'} />
            <text x={slower ? mid + w + 4 : mid - w - 4} y={y + 14} textAnchor={slower ? 'start' : 'end'} className="delta-value">
              {slower ? '+' : '−'}
              {formatDurationMs(Math.abs(o.deltaSelfMsPerTrace))}
            </text>
          </g>
        );
      })}
      <text x={mid} y={rows.length * ROW_PX + 20} textAnchor="middle" className="delta-axis-label">
        self time per trace, A − B
      </text>
    </svg>
  );
}
