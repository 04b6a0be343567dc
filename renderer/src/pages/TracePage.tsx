import { useMemo, useState } from 'react';
import { useDataContext } from '../app/DataContextProvider.js';
import { useApi } from '../app/ApiContext.js';
import { href, navigate, replaceRoute, routeParams, useRoute, withParams } from '../app/router.js';
import { formatCount, formatDurationMs, formatTimestamp, plural } from '../app/format.js';
import { Waterfall } from '../waterfall/Waterfall.js';
import { SpanDetail } from '../waterfall/SpanDetail.js';
import { TraceStats } from '../waterfall/TraceStats.js';
import { CopyButton } from '../components/CopyButton.js';
import { MetricLanes } from '../metrics/MetricLanes.js';
import { useTraceSpans } from '../waterfall/useTraceSpans.js';
import { useCoreSpanSearch } from '../waterfall/useCoreSpanSearch.js';
import { fullWindow, readZoom, zoomParam, type ViewWindow } from '../waterfall/view-window.js';

export function TracePage({ traceId, dataset }: { traceId: string; dataset: number | undefined }) {
  const { link } = useDataContext();
  const api = useApi();
  const trace = useTraceSpans(api, traceId, dataset);
  const [query, setQuery] = useState('');
  const route = useRoute();
  const params = routeParams(route);
  const view = params.get('view') === 'stats' ? 'stats' : 'waterfall';
  /** This trace page's URL with one parameter set (or removed, with null). */
  const withParam = (name: string, value: string | null): string => {
    const p = routeParams(route);
    if (value === null) p.delete(name);
    else p.set(name, value);
    return withParams(`/trace/${traceId}`, p);
  };
  // The selected span is in the URL (?span=), so a log record or a link can point at it.
  const selected = params.get('span')?.toLowerCase() ?? null;
  const setSelected = (spanId: string | null): void => replaceRoute(withParam('span', spanId));
  const setZoom = (w: ViewWindow | null): void => replaceRoute(withParam('zoom', w ? zoomParam(w) : null));

  const { layout } = trace;
  // A scan, not a map of every span by ID (a 200k-entry map for one lookup per selection).
  const selectedSpan = useMemo(() => (selected ? (layout.spans.find((s) => s.spanId === selected) ?? null) : null), [layout, selected]);
  const matchesInCore = useCoreSpanSearch(api, traceId, dataset, trace.outline ? query : '');

  if (trace.error) return <div className="error-banner">Cannot load trace: {trace.error}</div>;
  if (trace.summary === undefined) return <div className="loading">Loading trace…</div>;
  if (trace.summary === null || layout.spans.length === 0)
    return (
      <div className="empty-state" data-testid="trace-page-missing">
        <h2>Trace {traceId} is not in the store</h2>
        <a href={href('/')}>Back to traces</a>
      </div>
    );
  const { summary } = trace;
  // The whole trace's extent, also while the pages of a huge one are still coming in.
  const traceDurationMs = Math.max(layout.traceDurationMs, summary.durationMs - (layout.traceStartMs - summary.startTimeMs));
  const zoomed = readZoom(params.get('zoom'), traceDurationMs);
  const zoom = zoomed ?? fullWindow(traceDurationMs);
  return (
    <section className="trace-page">
      <div className="trace-header">
        <a href={href(link('/'))} className="back-link" data-testid="trace-page-back-link">
          ← Traces
        </a>
        <h2 data-testid="trace-page-title">
          {summary.rootServiceName ?? '?'}: {summary.rootSpanName ?? 'missing root span'}
        </h2>
        <span className="trace-meta mono">
          {traceId} <CopyButton text={traceId} testId="trace-page-copy-id-button" /> · {formatTimestamp(summary.startTimeMs)} ·{' '}
          {formatDurationMs(summary.durationMs)} · {plural(summary.spanCount, 'span')}
          {summary.errorCount > 0 && <span className="error-text"> · {plural(summary.errorCount, 'error')}</span>} · services: {summary.serviceNames.join(', ')}
        </span>
        {!trace.complete && (
          <span className="loading-pages hint" data-testid="trace-page-loading-label">
            Loading spans: {formatCount(trace.received)} of {formatCount(summary.spanCount)}…
          </span>
        )}
      </div>
      <div className="finding-tabs trace-tabs">
        <button className={view === 'waterfall' ? 'active' : ''} onClick={() => navigate(withParam('view', null))} data-testid="trace-page-waterfall-tab">
          Waterfall
        </button>
        <button className={view === 'stats' ? 'active' : ''} onClick={() => navigate(withParam('view', 'stats'))} data-testid="trace-page-stats-tab">
          Statistics
        </button>
        <a className="tab-link" href={href(`/logs?trace=${traceId}`)} data-testid="trace-page-logs-link">
          Logs of this trace
        </a>
      </div>
      {view === 'stats' ? (
        <TraceStats spans={layout.spans} />
      ) : (
        <div className="trace-body">
          <div className="waterfall-column">
            <Waterfall
              layout={layout}
              traceDurationMs={traceDurationMs}
              query={query}
              onQuery={setQuery}
              extraMatches={matchesInCore}
              view={zoom}
              onZoom={setZoom}
              selectedSpanId={selected}
              onSelect={setSelected}
            />
            <MetricLanes
              traceId={traceId}
              dataset={dataset}
              traceStartMs={layout.traceStartMs}
              traceDurationMs={traceDurationMs}
              view={zoom}
              zoomed={zoomed !== null}
            />
          </div>
          {selectedSpan && (
            <SpanDetail
              span={selectedSpan}
              traceId={traceId}
              datasetId={summary.datasetId}
              traceStartMs={layout.traceStartMs}
              onClose={() => setSelected(null)}
            />
          )}
        </div>
      )}
    </section>
  );
}
