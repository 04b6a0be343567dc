/**
 * Metric lanes under the waterfall, on its time axis (same columns as its rows): the stored
 * series of the trace's services and hosts, a few chosen automatically (infrastructure first)
 * and adjustable, with exemplars that jump to their trace. The choice is in the URL (?lanes=).
 */
import { traceLink } from '../app/links.js';
import { useApi } from '../app/ApiContext.js';
import { href, navigate, replaceRoute, routeParams, routePath, useRoute, withParams } from '../app/router.js';
import { useQuery } from '../app/use-query.js';
import { formatValue } from '../app/format.js';
import type { MetricLane } from '../../../shared/model/telemetry.js';
import { chosenLanes, laneId, lanePercent, laneScale, stepPath, valueAt, yOf } from './lane-geometry.js';
import type { ViewWindow } from '../waterfall/view-window.js';

const LANE_HEIGHT_PX = 38;

function num(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function laneTitle(l: MetricLane): string {
  const attrs = Object.entries(l.attributes)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(' ');
  return `${l.name}${attrs ? ` {${attrs}}` : ''} · ${l.host ?? l.service}`;
}

/** `traceStartMs` is the trace's start; `view` the waterfall's zoom window (offsets from it). */
export function MetricLanes({
  traceId,
  dataset,
  traceStartMs,
  view,
}: {
  traceId: string;
  dataset: number | undefined;
  traceStartMs: number;
  view: ViewWindow;
}) {
  const api = useApi();
  const route = useRoute();
  const param = routeParams(route).get('lanes');
  const { data: lanes } = useQuery(`${traceId}/${dataset ?? ''}`, () => api.getTraceMetrics({ traceId, ...(dataset ? { datasetId: dataset } : {}) }));
  if (!lanes || lanes.length === 0) return null;
  const shown = chosenLanes(lanes, param);
  const setShown = (ids: string[]): void => {
    const p = routeParams(route);
    p.set('lanes', ids.join(','));
    replaceRoute(withParams(routePath(route), p));
  };
  const toggle = (l: MetricLane): void => {
    const ids = shown.map((x) => laneId(x.key));
    const id = laneId(l.key);
    setShown(ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]);
  };
  return (
    <div className="metric-lanes" data-testid="metric-lanes-panel">
      <div className="metric-lanes-header">
        <strong>Metrics</strong> <span className="hint">of this trace's services and hosts, on the trace's time axis</span>
        <details className="lane-chooser">
          <summary data-testid="metric-lanes-choose-button">
            {shown.length} of {lanes.length} series
          </summary>
          <ul>
            {lanes.map((l) => (
              <li key={l.key}>
                <label>
                  <input
                    type="checkbox"
                    checked={shown.some((x) => x.key === l.key)}
                    onChange={() => toggle(l)}
                    data-testid="metric-lanes-choice-checkbox"
                    data-lane={l.name}
                  />{' '}
                  {laneTitle(l)}
                </label>
              </li>
            ))}
          </ul>
        </details>
      </div>
      {shown.map((l) => {
        const s = laneScale(l);
        const atStart = valueAt(l, traceStartMs + view.startMs) ?? l.points[0]!.value;
        return (
          <div
            key={l.key}
            className="waterfall-row metric-lane"
            data-testid="metric-lane-row"
            data-lane={l.name}
            title={`${laneTitle(l)} (${l.measure}${l.unit ? `, ${l.unit}` : ''})`}
          >
            <div className="waterfall-label-col lane-label">
              <span className="lane-name">{l.name}</span>
              <span className="hint lane-value" data-testid="metric-lane-value">
                {num(atStart)}
                {l.unit ? ` ${l.unit}` : ''} · {l.host ?? l.service}
              </span>
            </div>
            <div className="waterfall-timeline-col">
              <svg className="lane-svg" viewBox={`0 0 100 ${LANE_HEIGHT_PX}`} preserveAspectRatio="none" width="100%" height={LANE_HEIGHT_PX}>
                <path
                  d={stepPath(l, traceStartMs, view, LANE_HEIGHT_PX)}
                  className={l.infrastructure ? 'lane-line infra' : 'lane-line'}
                  vectorEffect="non-scaling-stroke"
                />
              </svg>
              {!s.flat && (
                <span className="lane-range hint" title="the lane's highest value">
                  {num(s.max)}
                </span>
              )}
              {l.exemplars
                .filter((e) => e.traceId !== traceId)
                .map((e, i) => (
                  <a
                    key={i}
                    className="lane-exemplar"
                    style={{ left: `${lanePercent(e.timeMs, traceStartMs, view)}%`, top: `${yOf(e.value, s, LANE_HEIGHT_PX) - 4}px` }}
                    href={href(traceLink(e.traceId, dataset, e.spanId))}
                    onClick={(ev) => (ev.preventDefault(), navigate(traceLink(e.traceId, dataset, e.spanId)))}
                    title={`exemplar ${num(e.value)}: trace ${e.traceId}`}
                    data-testid="metric-lane-exemplar"
                  />
                ))}
            </div>
          </div>
        );
      })}
    </div>
  );
}
