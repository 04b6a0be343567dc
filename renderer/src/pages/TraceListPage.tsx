import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../app/ApiContext.js';
import { href, navigate, useRoute } from '../app/router.js';
import { formatDurationMs, formatTime, plural } from '../app/format.js';
import type { DatasetInfo, StoreStats, TraceSummary } from '../../../shared/model/telemetry.js';
import type { ServerInfo } from '../../../shared/api/contract.js';
import { EmptyState } from '../components/EmptyState.js';
import { listStateUrl, readListState, searchRequest, type SortKey, type TraceListState } from '../traces/trace-search-url.js';
import { TraceSearchBar } from '../traces/TraceSearchBar.js';
import { TraceScatter } from '../traces/TraceScatter.js';
import { compareUrl, slowVsFastUrl } from '../compare/compare-url.js';

const LIMIT = 200;

export function TraceListPage({ info, onLoadDemo }: { info: ServerInfo | null; onLoadDemo: () => void }) {
  const api = useApi();
  const route = useRoute();
  const query = route.split('?')[1] ?? '';
  const state = readListState(query);
  const { service, dataset } = state;
  const listUrl = (next: Partial<TraceListState>): string => listStateUrl({ ...state, ...next });
  /** Any filter, sort or range beyond the dataset. */
  const filtered = listStateUrl({ ...state, dataset: 1 }) !== '/';
  const traceUrl = (t: TraceSummary): string => `/trace/${t.traceId}${t.datasetId !== 1 ? `?dataset=${t.datasetId}` : ''}`;
  const [datasets, setDatasets] = useState<DatasetInfo[]>([]);
  const [traces, setTraces] = useState<TraceSummary[] | null>(null);
  const [stats, setStats] = useState<StoreStats | null>(null);
  const [services, setServices] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  /** Traces ticked to compare side by side (at most two, oldest tick dropped). */
  const [ticked, setTicked] = useState<string[]>([]);
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
      // A filter that cannot be read is shown beside the form; the list is then empty.
      let request: ReturnType<typeof searchRequest> | null = null;
      try {
        request = searchRequest(readListState(query), LIMIT);
        setSearchError(null);
      } catch (e) {
        setSearchError((e as Error).message);
      }
      const [t, s, sv, ds] = await Promise.all([
        request ? api.searchTraces(request) : Promise.resolve([]),
        api.getStats({ datasetId: dataset }),
        api.listServices({ datasetId: dataset }),
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
  }, [api, query, dataset]);
  latestLoad.current = load;

  useEffect(() => {
    void load();
    // New data, or an import that finished (a new dataset); not every progress tick.
    return api.subscribe((e) => (e.type === 'ingest' || (e.type === 'import' && e.state !== 'running')) && void load());
  }, [api, load]);

  if (error) return <div className="error-banner" data-testid="trace-list-error">Cannot load traces: {error}</div>;
  if (!traces) return <div className="loading">Loading…</div>;
  if (traces.length === 0 && !filtered && dataset === 1 && datasets.length <= 1) return <EmptyState info={info} onLoadDemo={onLoadDemo} />;
  const sortBy = (key: SortKey): void => navigate(listUrl({ sort: key, desc: state.sort === key ? !state.desc : true }));
  const value = (t: TraceSummary): number => (state.sort === 'duration' ? t.durationMs : state.sort === 'spans' ? t.spanCount : state.sort === 'errors' ? t.errorCount : t.startTimeMs);
  const sorted = [...traces].sort((a, b) => (state.desc ? value(b) - value(a) : value(a) - value(b)));
  const slowFast = slowVsFastUrl(state, traces.map((t) => t.durationMs));
  const arrow = (key: SortKey): string => (state.sort === key ? (state.desc ? ' ↓' : ' ↑') : '');

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
      <TraceSearchBar state={state} onApply={(next) => navigate(listStateUrl(next))} />
      {state.call && (
        <p className="filter-chip" data-testid="trace-list-call-chip">
          Traces where <strong>{state.call.split('>')[0]}</strong> calls <strong>{state.call.split('>')[1]}</strong>{' '}
          <button onClick={() => navigate(listUrl({ call: '' }))} aria-label="Remove the call filter">✕</button>
        </p>
      )}
      {traces.length > 1 && <TraceScatter traces={traces} onOpen={(t) => navigate(traceUrl(t))} onBrush={(fromMs, toMs) => navigate(listUrl({ range: '', fromMs, toMs }))} />}
      {searchError && <div className="error-banner" data-testid="trace-search-error">{searchError}</div>}
      <div className="list-actions">
        <p className="hint" data-testid="trace-list-count">{traces.length === LIMIT ? `The newest ${LIMIT} matching traces` : plural(traces.length, 'matching trace')}</p>
        {slowFast && (
          <button onClick={() => navigate(slowFast)} data-testid="trace-list-compare-slow-button" title="Split these traces at their 90th percentile and compare the slow ones with the rest">
            Compare slow with fast
          </button>
        )}
        <button
          disabled={ticked.length !== 2}
          onClick={() => navigate(compareUrl({ dataset, a: { kind: 'trace', traceId: ticked[0]!, label: 'first' }, b: { kind: 'trace', traceId: ticked[1]!, label: 'second' } }))}
          data-testid="trace-list-compare-two-button"
          title="Tick two traces to compare them side by side"
        >
          Compare 2 traces{ticked.length === 1 ? ' (tick one more)' : ''}
        </button>
      </div>
      <table className="trace-table" data-testid="trace-list-table">
        <thead>
          <tr>
            <th aria-label="Compare" />
            <th>Service</th>
            <th>Root operation</th>
            <th className="sortable" onClick={() => sortBy('start')} data-testid="trace-list-sort-start">Start{arrow('start')}</th>
            <th className="num sortable" onClick={() => sortBy('duration')} data-testid="trace-list-sort-duration">Duration{arrow('duration')}</th>
            <th className="num sortable" onClick={() => sortBy('spans')}>Spans{arrow('spans')}</th>
            <th className="num sortable" onClick={() => sortBy('errors')}>Errors{arrow('errors')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((t) => (
            <tr key={t.traceId} data-testid="trace-list-row" data-trace-id={t.traceId} className={t.errorCount > 0 ? 'has-error' : ''} onClick={() => navigate(traceUrl(t))}>
              <td onClick={(e) => e.stopPropagation()}>
                <input
                  type="checkbox"
                  aria-label="Tick to compare"
                  data-testid="trace-list-compare-checkbox"
                  checked={ticked.includes(t.traceId)}
                  onChange={(e) => setTicked((prev) => (e.target.checked ? [...prev.filter((x) => x !== t.traceId), t.traceId].slice(-2) : prev.filter((x) => x !== t.traceId)))}
                />
              </td>
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
