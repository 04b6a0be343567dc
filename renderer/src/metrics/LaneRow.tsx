/**
 * One metric lane: on the left what the series is (name, unit, host and service, attributes)
 * and why it is shown, with its y axis; on the right the line in the lanes' time window, the
 * trace's band, exemplars that open their trace, and the value under the pointer (the pointer's
 * time is shared by every lane, so one hover reads them all at the same moment).
 */
import type { MouseEvent } from 'react';
import { traceLink } from '../app/links.js';
import { href, navigate } from '../app/router.js';
import { formatClock, formatValue } from '../app/format.js';
import type { MetricLane } from '../../../shared/model/telemetry.js';
import { laneUnit } from './lane-units.js';
import { lanePath, laneValueAt, laneYAxis, valueAt } from './lane-geometry.js';
import { timeAt, xPercent, type TimeWindow } from './lane-window.js';

export const LANE_PLOT_HEIGHT_PX = 66;

/** A clock time to the millisecond, in the zone the app shows. */
export function clockMs(ms: number): string {
  return `${formatClock(ms)}.${String(Math.floor(((ms % 1000) + 1000) % 1000)).padStart(3, '0')}`;
}

/** The series' point attributes: "gpu=0 rpc.service=S3". */
export function laneAttributes(l: MetricLane): string {
  return Object.entries(l.attributes)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(' ');
}

/** Which series it is: host, service and attributes. */
export function laneSeries(l: MetricLane): string {
  const attrs = laneAttributes(l);
  const where = l.host ? `${l.host} · ${l.service}` : l.service;
  return attrs ? `${where} · ${attrs}` : where;
}

const MEASURE: Record<MetricLane['measure'], string> = { value: '', rate: 'rate', 'interval mean': 'mean per interval' };

interface Props {
  lane: MetricLane;
  window: TimeWindow;
  traceId: string;
  dataset: number | undefined;
  /** The trace's band in the window, in percent (null: not marked). */
  band: { leftPct: number; widthPct: number } | null;
  /** Where the label's value is read, and how that moment is called ("at the trace's start"). */
  focus: { timeMs: number; label: string };
  hoverMs: number | null;
  onHover(timeMs: number | null): void;
}

export function LaneRow({ lane, window: w, traceId, dataset, band, focus, hoverMs, onHover }: Props) {
  const axis = laneYAxis(lane, w, LANE_PLOT_HEIGHT_PX);
  const unit = laneUnit(lane.unit, axis.maxAbs);
  const atFocus = valueAt(lane, focus.timeMs);
  const hover = hoverMs === null ? null : laneValueAt(lane, hoverMs);
  const hoverPct = hoverMs === null ? 0 : xPercent(hoverMs, w);
  const unitText = [unit.label, MEASURE[lane.measure]].filter(Boolean).join(', ');
  const onMove = (e: MouseEvent<HTMLDivElement>): void => {
    const r = e.currentTarget.getBoundingClientRect();
    if (r.width > 0) onHover(timeAt(Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), w));
  };
  const interval =
    hover && lane.measure !== 'value' ? ` (${lane.measure === 'rate' ? '' : 'mean, '}${formatClock(hover.fromMs)}–${formatClock(hover.toMs)})` : '';
  return (
    <div className="waterfall-row metric-lane" data-testid="metric-lane-row" data-lane={lane.name} data-host={lane.host ?? ''}>
      <div className="waterfall-label-col lane-label">
        <div className="lane-legend" title={`${lane.name} (${lane.measure}${lane.unit ? `, ${lane.unit}` : ''}) · ${laneSeries(lane)}\n${lane.why}`}>
          <div className="lane-title">
            <span className={`lane-swatch kind-${lane.kind}`} />
            <span className="lane-name">{lane.name}</span>
            {unitText && <span className="hint lane-unit"> {unitText}</span>}
          </div>
          <div className="hint lane-series">
            <span data-testid="metric-lane-value">{atFocus === null ? 'no value' : unit.format(atFocus)}</span> {focus.label} · {laneSeries(lane)}
          </div>
          <div className="lane-why" data-testid="metric-lane-why">
            {lane.why}
          </div>
        </div>
        <div className="lane-y-axis" data-testid="metric-lane-y-axis">
          {!axis.empty &&
            axis.ticks.map((t) => (
              <span key={t} className="lane-y-tick" style={{ top: `${axis.y(t)}px` }} data-testid="metric-lane-y-tick">
                {unit.format(t, axis.step)}
              </span>
            ))}
        </div>
      </div>
      <div className="waterfall-timeline-col lane-plot" onMouseMove={onMove} onMouseLeave={() => onHover(null)} data-testid="metric-lane-plot">
        {band && <div className="lane-band" style={{ left: `${band.leftPct}%`, width: `max(3px, ${band.widthPct}%)` }} data-testid="metric-lane-trace-band" />}
        <svg className="lane-svg" viewBox={`0 0 100 ${LANE_PLOT_HEIGHT_PX}`} preserveAspectRatio="none" width="100%" height={LANE_PLOT_HEIGHT_PX}>
          {!axis.empty &&
            axis.ticks.map((t) => <line key={t} x1={0} x2={100} y1={axis.y(t)} y2={axis.y(t)} className="lane-grid" vectorEffect="non-scaling-stroke" />)}
          <path d={lanePath(lane, w, axis)} className={`lane-line kind-${lane.kind}`} vectorEffect="non-scaling-stroke" />
        </svg>
        {axis.empty && <span className="lane-no-points hint">no points in this time range</span>}
        {lane.exemplars
          .filter((e) => e.traceId !== traceId && e.timeMs >= w.fromMs && e.timeMs <= w.toMs)
          .map((e, i) => (
            <a
              key={i}
              className="lane-exemplar"
              style={{ left: `${xPercent(e.timeMs, w)}%`, top: `${axis.y(e.value) - 4}px` }}
              href={href(traceLink(e.traceId, dataset, e.spanId))}
              onClick={(ev) => (ev.preventDefault(), navigate(traceLink(e.traceId, dataset, e.spanId)))}
              title={`exemplar ${unit.format(e.value)} at ${clockMs(e.timeMs)}: trace ${e.traceId}`}
              data-testid="metric-lane-exemplar"
            />
          ))}
        {hoverMs !== null && (
          <>
            <div className="lane-cursor" style={{ left: `${hoverPct}%` }} />
            <div
              className="lane-readout"
              style={hoverPct > 60 ? { right: `calc(${100 - hoverPct}% + 6px)` } : { left: `calc(${hoverPct}% + 6px)` }}
              data-testid="metric-lane-readout"
            >
              {clockMs(hoverMs)} · {hover ? `${unit.format(hover.value)}${interval}` : 'no value'}
            </div>
          </>
        )}
      </div>
    </div>
  );
}
