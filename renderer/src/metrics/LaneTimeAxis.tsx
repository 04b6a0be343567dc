/**
 * The lanes' own time axis, in the waterfall's columns: clock times around the trace with the
 * trace's band named, or offsets into the trace (as the waterfall's ruler) when the lanes
 * follow its window. Under the pointer: the time, and where it is relative to the trace.
 */
import { formatClock, formatDurationMs, zoneLabel } from '../app/format.js';
import { clockMs } from './LaneRow.js';
import { clockTicks, xPercent, type LaneRange, type TimeWindow } from './lane-window.js';

const RULER_FRACTIONS = [0, 0.25, 0.5, 0.75, 1];

/** A padding in round words: "30 s", "2.5 min". */
function padText(ms: number): string {
  return ms >= 60_000 ? `${Number((ms / 60_000).toFixed(1))} min` : `${Math.round(ms / 1000)} s`;
}

function relativeToTrace(timeMs: number, traceStartMs: number, traceEndMs: number): string {
  if (timeMs < traceStartMs) return `${formatDurationMs(traceStartMs - timeMs)} before the trace`;
  if (timeMs > traceEndMs) return `${formatDurationMs(timeMs - traceEndMs)} after the trace`;
  return `${formatDurationMs(timeMs - traceStartMs)} into the trace`;
}

interface Props {
  window: TimeWindow;
  range: LaneRange;
  traceStartMs: number;
  traceEndMs: number;
  band: { leftPct: number; widthPct: number } | null;
  hoverMs: number | null;
}

export function LaneTimeAxis({ window: w, range, traceStartMs, traceEndMs, band, hoverMs }: Props) {
  const hoverPct = hoverMs === null ? 0 : xPercent(hoverMs, w);
  return (
    <div className="waterfall-ruler lane-time-axis" data-testid="metric-lanes-time-axis">
      <div className="waterfall-label-col">
        {hoverMs !== null ? (
          <span className="lane-axis-hover" data-testid="metric-lanes-hover-label">
            {clockMs(hoverMs)} · {relativeToTrace(hoverMs, traceStartMs, traceEndMs)}
          </span>
        ) : range === 'context' ? (
          <span>
            Time ({zoneLabel(traceStartMs)}) · the trace ±{padText(traceStartMs - w.fromMs)}
          </span>
        ) : (
          <span>Time in the trace, as the waterfall</span>
        )}
      </div>
      <div className="waterfall-timeline-col">
        {band && (
          <div className="lane-band lane-band-axis" style={{ left: `${band.leftPct}%`, width: `max(3px, ${band.widthPct}%)` }}>
            <span className="lane-band-label" data-testid="metric-lanes-trace-label">
              trace {formatDurationMs(traceEndMs - traceStartMs)}
            </span>
          </div>
        )}
        {range === 'context'
          ? clockTicks(w).map((t) => (
              <span key={t} className="lane-time-tick" style={{ left: `${xPercent(t, w)}%` }} data-testid="metric-lanes-time-tick">
                {formatClock(t)}
              </span>
            ))
          : RULER_FRACTIONS.map((f) => (
              <span key={f} className="tick" style={{ left: `${f * 100}%` }} data-testid="metric-lanes-time-tick">
                {formatDurationMs(w.fromMs - traceStartMs + f * (w.toMs - w.fromMs))}
              </span>
            ))}
        {hoverMs !== null && <div className="lane-cursor" style={{ left: `${hoverPct}%` }} />}
      </div>
    </div>
  );
}
