/**
 * Diverging bars: the self time each operation adds to (right, red) or saves from (left, green)
 * a trace of group A compared with group B, largest first. Presentational. The zero line sits
 * where the data puts it: with only additions (slow against fast, the usual case) the bars start
 * next to the labels, instead of leaving an empty half for savings that are not there.
 */
import type { OperationComparison } from '../../../shared/model/trace-compare.js';
import { formatDurationMs } from '../app/format.js';

const ROW_PX = 22;
const BAR_PX = 420;
/** Room for a value written beyond its bar ("+13.3 ms"). */
const VALUE_PX = 64;
/** About the width of one character of the 11 px labels. */
const CHAR_PX = 6.3;
const MAX_LABEL_CHARS = 40;

export function DeltaChart({ operations }: { operations: OperationComparison[] }) {
  const rows = operations.filter((o) => o.deltaSelfMsPerTrace !== 0).slice(0, 12);
  if (rows.length === 0) return <p className="hint">No operation spends more or less time per trace in A than in B.</p>;
  const labels = rows.map((o) => `${o.service}: ${o.name}`.slice(0, MAX_LABEL_CHARS));
  const labelPx = Math.ceil(Math.max(...labels.map((l) => l.length)) * CHAR_PX) + 12;
  const maxAdded = Math.max(0, ...rows.map((o) => o.deltaSelfMsPerTrace));
  const maxSaved = Math.max(0, ...rows.map((o) => -o.deltaSelfMsPerTrace));
  const pxPerMs = BAR_PX / (maxAdded + maxSaved);
  const mid = labelPx + (maxSaved > 0 ? VALUE_PX : 0) + maxSaved * pxPerMs;
  const width = mid + maxAdded * pxPerMs + (maxAdded > 0 ? VALUE_PX : 8);
  return (
    <svg
      className="delta-chart"
      width={width}
      height={rows.length * ROW_PX + 24}
      data-testid="compare-delta-chart"
      role="img"
      aria-label="Self time per trace, A minus B, per operation"
    >
      <line x1={mid} x2={mid} y1={0} y2={rows.length * ROW_PX + 4} className="axis" />
      {rows.map((o, i) => {
        const w = Math.abs(o.deltaSelfMsPerTrace) * pxPerMs;
        const y = i * ROW_PX + 4;
        const slower = o.deltaSelfMsPerTrace > 0;
        return (
          <g key={`${o.service}\u0000${o.name}`} data-testid="compare-delta-bar">
            <text x={labelPx - 8} y={y + 14} textAnchor="end" className="delta-label">
              {labels[i]}
            </text>
            <rect x={slower ? mid : mid - w} y={y + 3} width={Math.max(1, w)} height={ROW_PX - 8} className={slower ? 'bar-slower' : 'bar-faster'} />
            <text x={slower ? mid + Math.max(1, w) + 4 : mid - Math.max(1, w) - 4} y={y + 14} textAnchor={slower ? 'start' : 'end'} className="delta-value">
              {slower ? '+' : '−'}
              {formatDurationMs(Math.abs(o.deltaSelfMsPerTrace))}
            </text>
          </g>
        );
      })}
      <text x={mid} y={rows.length * ROW_PX + 20} textAnchor={maxSaved > 0 ? 'middle' : 'start'} className="delta-axis-label">
        self time per trace, A − B
      </text>
    </svg>
  );
}
