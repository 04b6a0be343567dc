/**
 * Metric lanes under the waterfall, in its columns: the stored series of the trace's hosts and
 * services, the few most relevant to what the trace waited on shown by default (the core
 * scores them; each says why), the rest in a chooser. By default they show the trace in
 * context, its interval marked; when the waterfall is zoomed they follow its window
 * (lane-window.ts says why). The choice of lanes (?lanes=) and of range (?lanesRange=) is in
 * the URL.
 */
import { useState } from 'react';
import { useApi } from '../app/ApiContext.js';
import { replaceRoute, routeParams, routePath, useRoute, withParams } from '../app/router.js';
import { useQuery } from '../app/use-query.js';
import { formatDurationMs } from '../app/format.js';
import type { ViewWindow } from '../waterfall/view-window.js';
import { chosenLanes, contextWindow, traceBand, traceWindow, type LaneRange } from './lane-window.js';
import { LaneChooser } from './LaneChooser.js';
import { LaneRow } from './LaneRow.js';
import { LaneTimeAxis } from './LaneTimeAxis.js';

interface Props {
  traceId: string;
  dataset: number | undefined;
  /** The trace's start (epoch ms) and length. */
  traceStartMs: number;
  traceDurationMs: number;
  /** The waterfall's window (offsets from the trace's start), and whether the reader zoomed it. */
  view: ViewWindow;
  zoomed: boolean;
}

export function MetricLanes({ traceId, dataset, traceStartMs, traceDurationMs, view, zoomed }: Props) {
  const api = useApi();
  const route = useRoute();
  const [hoverMs, setHoverMs] = useState<number | null>(null);
  const { data: lanes } = useQuery(`${traceId}/${dataset ?? ''}`, () => api.getTraceMetrics({ traceId, ...(dataset ? { datasetId: dataset } : {}) }));
  if (!lanes || lanes.length === 0) return null;
  const params = routeParams(route);
  const asked = params.get('lanesRange');
  const range: LaneRange = asked === 'context' || asked === 'trace' ? asked : zoomed ? 'trace' : 'context';
  const shown = chosenLanes(lanes, params.get('lanes'));
  const traceEndMs = traceStartMs + traceDurationMs;
  const w = range === 'context' ? contextWindow(shown, traceStartMs, traceEndMs) : traceWindow(traceStartMs, view);
  const band = range === 'context' ? traceBand(traceStartMs, traceEndMs, w) : null;
  const focus =
    range === 'trace' && view.startMs > 0
      ? { timeMs: w.fromMs, label: `at ${formatDurationMs(view.startMs)}` }
      : { timeMs: traceStartMs, label: 'at the trace’s start' };
  const setParam = (name: string, value: string | null): void => {
    const p = routeParams(route);
    if (value === null) p.delete(name);
    else p.set(name, value);
    replaceRoute(withParams(routePath(route), p));
  };
  const hidden = lanes.length - shown.length;
  return (
    <div className="metric-lanes" data-testid="metric-lanes-panel" onMouseLeave={() => setHoverMs(null)}>
      <div className="metric-lanes-header">
        <strong>Metrics</strong>
        <span className="hint">of this trace’s hosts and services, most relevant first</span>
        <div className="lane-range-switch" role="group" aria-label="Time range of the lanes">
          <button
            type="button"
            aria-pressed={range === 'context'}
            onClick={() => setParam('lanesRange', zoomed ? 'context' : null)}
            data-testid="metric-lanes-range-context-button"
          >
            Around the trace
          </button>
          <button
            type="button"
            aria-pressed={range === 'trace'}
            onClick={() => setParam('lanesRange', zoomed ? null : 'trace')}
            data-testid="metric-lanes-range-trace-button"
          >
            {zoomed ? 'Waterfall’s zoom' : 'Trace only'}
          </button>
        </div>
        <LaneChooser lanes={lanes} shown={shown} onChange={(ids) => setParam('lanes', ids === null ? null : ids.join(','))} />
      </div>
      {shown.length === 0 ? (
        <div className="lane-empty hint" data-testid="metric-lanes-empty-label">
          {params.get('lanes') === null
            ? `No series of this trace’s own hosts. ${hidden} of its services’ other hosts are in the chooser.`
            : 'No series chosen.'}
        </div>
      ) : (
        <>
          <LaneTimeAxis window={w} range={range} traceStartMs={traceStartMs} traceEndMs={traceEndMs} band={band} hoverMs={hoverMs} />
          {shown.map((l) => (
            <LaneRow key={l.key} lane={l} window={w} traceId={traceId} dataset={dataset} band={band} focus={focus} hoverMs={hoverMs} onHover={setHoverMs} />
          ))}
        </>
      )}
    </div>
  );
}
