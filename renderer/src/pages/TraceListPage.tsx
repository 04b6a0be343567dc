import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../app/ApiContext.js';
import { href, navigate, useRoute } from '../app/router.js';
import { formatDurationMs, formatTime, plural } from '../app/format.js';
import type { DatasetInfo, StoreStats, TraceSummary } from '../../../shared/model/telemetry.js';
import type { ServerInfo } from '../../../shared/api/contract.js';
import { EmptyState } from '../components/EmptyState.js';

const LIMIT = 200;

export function TraceListPage({ info, onLoadDemo }: { info: ServerInfo | null; onLoadDemo: () => void }) {
  const api = useApi();
  const route = useRoute();
  const params = new URLSearchParams(route.split('?')[1] ?? '');
  const service = params.get('service') ?? '';
  const dataset = Number(params.get('dataset') ?? 1) || 1;
  const listUrl = (next: { dataset?: number; service?: string }): string => {
    const p = new URLSearchParams();
    const ds = next.dataset ?? dataset;
    const sv = next.service ?? service;
    if (ds !== 1) p.set('dataset', String(ds));
    if (sv) p.set('service', sv);
    const q = p.toString();
    return q ? `/?${q}` : '/';
  };
  const traceUrl = (t: TraceSummary): string => `/trace/${t.traceId}${t.datasetId !== 1 ? `?dataset=${t.datasetId}` : ''}`;
  const [datasets, setDatasets] = useState<DatasetInfo[]>([]);
  const [traces, setTraces] = useState<TraceSummary[] | null>(null);
  const [stats, setStats] = useState<StoreStats | null>(null);
  const [services, setServices] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(false);
  const again = useRef(false);
  // The follow-up load must use the newest filters, not those of the load that just finished.
  const latestLoad = useRef<() => Promise<void>>(async () => undefined);

  const load = useCallback(async () => {
    if (loading.current) {
      again.current = true; // coalesce: one more load after this one
      return;
    }
    loading.current = true;
    try {
      const [t, s, sv, ds] = await Promise.all([
        api.searchTraces({ dataset, limit: LIMIT, ...(service ? { service } : {}) }),
        api.getStats({ dataset }),
        api.listServices({ dataset }),
        api.listDatasets({}),
      ]);
      setTraces(t);
      setStats(s);
      setServices(sv);
      setDatasets(ds);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      loading.current = false;
      if (again.current) {
        again.current = false;
        void latestLoad.current();
      }
    }
  }, [api, service, dataset]);
  latestLoad.current = load;

  useEffect(() => {
    void load();
    // New data, or an import that finished (a new dataset); not every progress tick.
    return api.subscribe((e) => (e.type === 'ingest' || (e.type === 'import' && e.state !== 'running')) && void load());
  }, [api, load]);

  if (error) return <div className="error-banner" data-testid="trace-list-error">Cannot load traces: {error}</div>;
  if (!traces) return <div className="loading">Loading…</div>;
  if (traces.length === 0 && !service && dataset === 1 && datasets.length <= 1) return <EmptyState info={info} onLoadDemo={onLoadDemo} />;

  return (
    <section className="trace-list">
      <div className="toolbar">
        <label>
          Dataset{' '}
          <select data-testid="trace-list-dataset-select" value={dataset} onChange={(e) => navigate(listUrl({ dataset: Number(e.target.value), service: '' }))}>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({plural(d.spans, 'span')})
              </option>
            ))}
          </select>
        </label>
        <label>
          Service{' '}
          <select
            data-testid="trace-list-service-select"
            value={service}
            onChange={(e) => navigate(listUrl({ service: e.target.value }))}
          >
            <option value="">All services</option>
            {services.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        {stats && (
          <span className="toolbar-stats" data-testid="trace-list-stats-label">
            {plural(stats.traces, 'trace')} · {plural(stats.spans, 'span')} · {plural(stats.metricPoints, 'metric point')} · {plural(stats.logRecords, 'log record')}
          </span>
        )}
        {dataset === 1 ? (
          <span className="live-dot" title="Updates as data arrives">
            live
          </span>
        ) : (
          <span className="archive-label" data-testid="trace-list-archive-label" title={datasets.find((d) => d.id === dataset)?.source ?? ''}>
            archive
          </span>
        )}
      </div>
      <table className="trace-table" data-testid="trace-list-table">
        <thead>
          <tr>
            <th>Service</th>
            <th>Root operation</th>
            <th>Start</th>
            <th className="num">Duration</th>
            <th className="num">Spans</th>
            <th className="num">Errors</th>
          </tr>
        </thead>
        <tbody>
          {traces.map((t) => (
            <tr key={t.traceId} data-testid="trace-list-row" data-trace-id={t.traceId} className={t.errorCount > 0 ? 'has-error' : ''} onClick={() => navigate(traceUrl(t))}>
              <td>{t.rootServiceName ?? t.serviceNames[0] ?? '—'}</td>
              <td>
                <a href={href(traceUrl(t))} onClick={(e) => e.preventDefault()}>
                  {t.rootSpanName ?? <em>missing root span</em>}
                </a>
              </td>
              <td className="mono">{formatTime(t.startTimeMs)}</td>
              <td className="num mono">{formatDurationMs(t.durationMs)}</td>
              <td className="num mono">{t.spanCount}</td>
              <td className={`num mono ${t.errorCount > 0 ? 'error-text' : ''}`}>{t.errorCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {traces.length === LIMIT && <p className="hint">Showing the newest {LIMIT} traces.</p>}
    </section>
  );
}
