import type { WaterfallRow } from './span-tree.js';
import { formatDurationMs } from '../app/format.js';
import { STATUS_CODE_ERROR } from '../../../shared/model/telemetry.js';
import { serviceColor } from './service-color.js';

interface Props {
  rows: WaterfallRow[];
  traceDurationMs: number;
  selectedSpanId: string | null;
  onSelect: (spanId: string) => void;
}

/** One time→percent mapping for bars, ticks and event markers. */
function toPercent(ms: number, totalMs: number): number {
  return totalMs > 0 ? (ms / totalMs) * 100 : 0;
}

export function Waterfall({ rows, traceDurationMs, selectedSpanId, onSelect }: Props) {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div className="waterfall" data-testid="waterfall-container">
      <div className="waterfall-ruler">
        <div className="waterfall-label-col">Service · operation</div>
        <div className="waterfall-timeline-col">
          {ticks.map((t) => (
            <span key={t} className="tick" style={{ left: `${t * 100}%` }}>
              {formatDurationMs(t * traceDurationMs)}
            </span>
          ))}
        </div>
      </div>
      {rows.map(({ span, depth, offsetMs }) => {
        const isError = span.statusCode === STATUS_CODE_ERROR;
        const left = toPercent(offsetMs, traceDurationMs);
        const width = Math.max(toPercent(span.durationMs, traceDurationMs), 0.2);
        return (
          <div
            key={span.spanId}
            className={`waterfall-row${span.spanId === selectedSpanId ? ' selected' : ''}${isError ? ' error' : ''}`}
            data-testid="waterfall-span-row"
            data-span-id={span.spanId}
            onClick={() => onSelect(span.spanId)}
          >
            <div className="waterfall-label-col" style={{ paddingLeft: `${8 + depth * 14}px` }} title={`${span.serviceName} ${span.name}`}>
              <span className="service-swatch" style={{ background: serviceColor(span.serviceName) }} />
              <span className="service-name">{span.serviceName}</span> <span className="span-name">{span.name}</span>
            </div>
            <div className="waterfall-timeline-col">
              <div className="span-bar" style={{ left: `${left}%`, width: `${width}%`, background: isError ? 'var(--error)' : serviceColor(span.serviceName) }} />
              {span.events.map((e, i) => (
                <span key={i} className="event-marker" title={e.name} style={{ left: `${toPercent(offsetMs + (e.timeMs - span.startTimeMs), traceDurationMs)}%` }} />
              ))}
              {left + width <= 88 ? (
                <span className="span-duration" style={{ left: `calc(${left + width}% + 4px)` }}>
                  {formatDurationMs(span.durationMs)}
                </span>
              ) : (
                // No room after the bar: label it just before the bar's end, inside it.
                <span className="span-duration inside" style={{ right: `calc(${100 - left - width}% + 4px)` }}>
                  {formatDurationMs(span.durationMs)}
                </span>
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
}
