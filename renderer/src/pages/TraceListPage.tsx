import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../app/ApiContext.js';
import { href, navigate, useRoute } from '../app/router.js';
import { formatDurationMs, formatTime, plural } from '../app/format.js';
import type { StoreStats, TraceSummary } from '../../../shared/model/telemetry.js';
import type { ServerInfo } from '../../../shared/api/contract.js';
import { EmptyState } from '../components/EmptyState.js';

const LIMIT = 200;

export function TraceListPage({ info }: { info: ServerInfo | null }) {
  const api = useApi();
  const route = useRoute();
  const service = new URLSearchParams(route.split('?')[1] ?? '').get('service') ?? '';
  const [traces, setTraces] = useState<TraceSummary[] | null>(null);
  const [stats, setStats] = useState<StoreStats | null>(null);
  const [services, setServices] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(false);
  const again = useRef(false);

  const load = useCallback(async () => {
    if (loading.current) {
      again.current = true; // coalesce: one more load after this one
      return;
    }
    loading.current = true;
    try {
      const [t, s, sv] = await Promise.all([api.searchTraces({ limit: LIMIT, ...(service ? { service } : {}) }), api.getStats({}), api.listServices({})]);
      setTraces(t);
      setStats(s);
      setServices(sv);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      loading.current = false;
      if (again.current) {
        again.current = false;
        void load();
      }
    }
  }, [api, service]);

  useEffect(() => {
    void load();
    return api.subscribe(() => void load());
  }, [api, load]);

  if (error) return <div className="error-banner" data-testid="trace-list-error">Cannot load traces: {error}</div>;
  if (!traces) return <div className="loading">Loading…</div>;
  if (traces.length === 0 && !service) return <EmptyState info={info} />;

  return (
    <section className="trace-list">
      <div className="toolbar">
        <label>
          Service{' '}
          <select
            data-testid="trace-list-service-select"
            value={service}
            onChange={(e) => navigate(e.target.value ? `/?service=${encodeURIComponent(e.target.value)}` : '/')}
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
        <span className="live-dot" title="Updates as data arrives">
          live
        </span>
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
            <tr key={t.traceId} data-testid="trace-list-row" data-trace-id={t.traceId} className={t.errorCount > 0 ? 'has-error' : ''} onClick={() => navigate(`/trace/${t.traceId}`)}>
              <td>{t.rootServiceName ?? t.serviceNames[0] ?? '—'}</td>
              <td>
                <a href={href(`/trace/${t.traceId}`)} onClick={(e) => e.preventDefault()}>
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
