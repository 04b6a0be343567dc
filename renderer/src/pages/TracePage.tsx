import { useEffect, useMemo, useState } from 'react';
import { useApi } from '../app/ApiContext.js';
import { href, navigate, replaceRoute, useRoute } from '../app/router.js';
import { formatDurationMs, formatTime, plural } from '../app/format.js';
import type { TraceDetail } from '../../../shared/model/telemetry.js';
import { buildWaterfallRows } from '../waterfall/span-tree.js';
import { Waterfall } from '../waterfall/Waterfall.js';
import { SpanDetail } from '../waterfall/SpanDetail.js';
import { TraceStats } from '../waterfall/TraceStats.js';
import { CopyButton } from '../components/CopyButton.js';
import { MetricLanes } from '../metrics/MetricLanes.js';
import { fullWindow, readZoom, zoomParam, type ViewWindow } from '../waterfall/view-window.js';

export function TracePage({ traceId, dataset }: { traceId: string; dataset: number | undefined }) {
  const api = useApi();
  const [trace, setTrace] = useState<TraceDetail | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const route = useRoute();
  const params = new URLSearchParams(route.split('?')[1] ?? '');
  const view = params.get('view') === 'stats' ? 'stats' : 'waterfall';
  // The selected span is in the URL (?span=), so a log record or a link can point at it.
  const selected = params.get('span')?.toLowerCase() ?? null;
  const setSelected = (spanId: string | null): void => {
    const p = new URLSearchParams(route.split('?')[1] ?? '');
    if (spanId) p.set('span', spanId);
    else p.delete('span');
    const q = p.toString();
    replaceRoute(`/trace/${traceId}${q ? `?${q}` : ''}`);
  };
  const viewUrl = (v: 'waterfall' | 'stats'): string => {
    const p = new URLSearchParams(route.split('?')[1] ?? '');
    if (v === 'stats') p.set('view', 'stats');
    else p.delete('view');
    const q = p.toString();
    return `/trace/${traceId}${q ? `?${q}` : ''}`;
  };

  useEffect(() => {
    let live = true;
    const load = (): void => {
      api.getTrace({ traceId, ...(dataset ? { dataset } : {}) }).then(
        (t) => live && setTrace(t),
        (e: Error) => live && setError(e.message),
      );
    };
    load();
    const unsubscribe = api.subscribe(load); // late spans of this trace show up too
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api, traceId, dataset]);

  const layout = useMemo(() => (trace ? buildWaterfallRows(trace.spans) : null), [trace]);

  if (error) return <div className="error-banner">Cannot load trace: {error}</div>;
  if (trace === undefined) return <div className="loading">Loading trace…</div>;
  if (trace === null || !layout)
    return (
      <div className="empty-state" data-testid="trace-page-missing">
        <h2>Trace {traceId} is not in the store</h2>
        <a href={href('/')}>Back to traces</a>
      </div>
    );
  const selectedSpan = trace.spans.find((s) => s.spanId === selected) ?? null;
  const view_ = readZoom(params.get('zoom'), layout.traceDurationMs) ?? fullWindow(layout.traceDurationMs);
  const setZoom = (w: ViewWindow | null): void => {
    const p = new URLSearchParams(route.split('?')[1] ?? '');
    if (w) p.set('zoom', zoomParam(w));
    else p.delete('zoom');
    const q = p.toString();
    replaceRoute(`/trace/${traceId}${q ? `?${q}` : ''}`);
  };
  const { summary } = trace;
  return (
    <section className="trace-page">
      <div className="trace-header">
        <a href={href(summary.datasetId !== 1 ? `/?dataset=${summary.datasetId}` : '/')} className="back-link" data-testid="trace-page-back-link">
          ← Traces
        </a>
        <h2 data-testid="trace-page-title">
          {summary.rootServiceName ?? '?'}: {summary.rootSpanName ?? 'missing root span'}
        </h2>
        <span className="trace-meta mono">
          {traceId} <CopyButton text={traceId} testId="trace-page-copy-id-button" /> · {formatTime(summary.startTimeMs)} · {formatDurationMs(summary.durationMs)} · {plural(summary.spanCount, 'span')}
          {summary.errorCount > 0 && <span className="error-text"> · {plural(summary.errorCount, 'error')}</span>} · services: {summary.serviceNames.join(', ')}
        </span>
      </div>
      <div className="finding-tabs trace-tabs">
        <button className={view === 'waterfall' ? 'active' : ''} onClick={() => navigate(viewUrl('waterfall'))} data-testid="trace-page-waterfall-tab">Waterfall</button>
        <button className={view === 'stats' ? 'active' : ''} onClick={() => navigate(viewUrl('stats'))} data-testid="trace-page-stats-tab">Statistics</button>
        <a className="tab-link" href={href(`/logs?trace=${traceId}`)} data-testid="trace-page-logs-link">Logs of this trace</a>
      </div>
      {view === 'stats' ? (
        <TraceStats spans={trace.spans} />
      ) : (
      <div className="trace-body">
        <div className="waterfall-column">
          <Waterfall rows={layout.rows} spans={trace.spans} traceDurationMs={layout.traceDurationMs} view={view_} onZoom={setZoom} selectedSpanId={selected} onSelect={setSelected} />
          <MetricLanes traceId={traceId} dataset={dataset} traceStartMs={layout.traceStartMs + view_.startMs} traceDurationMs={view_.endMs - view_.startMs} />
        </div>
        {selectedSpan && <SpanDetail span={selectedSpan} traceId={traceId} datasetId={summary.datasetId} traceStartMs={layout.traceStartMs} onClose={() => setSelected(null)} />}
      </div>
      )}
    </section>
  );
}
