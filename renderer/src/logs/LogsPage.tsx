/**
 * Logs (/logs): log records newest first, searched by text, minimum severity, service, dataset
 * and trace, all in the URL. Each record with trace context links to its span in the
 * waterfall; the span detail links back here. Updates as data arrives.
 */
import { useEffect, useState } from 'react';
import { useApi } from '../app/ApiContext.js';
import { href, navigate, useRoute } from '../app/router.js';
import { formatTime, formatValue, plural } from '../app/format.js';
import type { LogRecordView } from '../../../shared/model/telemetry.js';
import { useLiveQuery } from '../app/useLiveQuery.js';
import { SEVERITY_LEVELS, severityClass } from './severity.js';

const LIMIT = 500;

interface LogsState {
  dataset: number | undefined;
  service: string;
  text: string;
  minSeverity: number | undefined;
  trace: string;
}

function readState(search: string): LogsState {
  const p = new URLSearchParams(search);
  const sev = Number(p.get('sev'));
  const trace = (p.get('trace') ?? '').toLowerCase();
  return {
    dataset: /^\d+$/.test(p.get('dataset') ?? '') ? Number(p.get('dataset')) : undefined,
    service: p.get('service') ?? '',
    text: p.get('q') ?? '',
    minSeverity: sev > 0 ? sev : undefined,
    trace: /^[0-9a-f]{32}$/.test(trace) ? trace : '',
  };
}

function stateUrl(s: LogsState): string {
  const p = new URLSearchParams();
  if (s.dataset !== undefined) p.set('dataset', String(s.dataset));
  if (s.service) p.set('service', s.service);
  if (s.text.trim()) p.set('q', s.text.trim());
  if (s.minSeverity !== undefined) p.set('sev', String(s.minSeverity));
  if (s.trace) p.set('trace', s.trace);
  const q = p.toString();
  return `/logs${q ? `?${q}` : ''}`;
}

function spanUrl(l: LogRecordView): string {
  const q = new URLSearchParams();
  if (l.datasetId !== 1) q.set('dataset', String(l.datasetId));
  if (l.spanId) q.set('span', l.spanId);
  const s = q.toString();
  return `/trace/${l.traceId}${s ? `?${s}` : ''}`;
}

export function LogsPage() {
  const api = useApi();
  const route = useRoute();
  const query = route.split('?')[1] ?? '';
  const state = readState(query);
  const [text, setText] = useState(state.text);
  useEffect(() => setText(state.text), [state.text]);
  const { data, error } = useLiveQuery(api, query, () =>
    Promise.all([
      api.searchLogs({
        ...(state.dataset !== undefined ? { datasetId: state.dataset } : {}),
        ...(state.service ? { service: state.service } : {}),
        ...(state.text.trim() ? { text: state.text.trim() } : {}),
        ...(state.minSeverity !== undefined ? { minSeverity: state.minSeverity } : {}),
        ...(state.trace ? { traceId: state.trace } : {}),
        limit: LIMIT,
      }),
      api.listServices(state.dataset !== undefined ? { datasetId: state.dataset } : {}),
      api.listDatasets({}),
    ]),
  );
  const [logs, services, datasets] = data ?? [null, [], []];

  const go = (next: Partial<LogsState>): void => navigate(stateUrl({ ...state, ...next }));
  return (
    <section className="logs-page">
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          go({ text });
        }}
      >
        <label>
          Dataset{' '}
          <select data-testid="logs-dataset-select" value={state.dataset ?? ''} onChange={(e) => go({ dataset: e.target.value ? Number(e.target.value) : undefined, service: '' })}>
            <option value="">All</option>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>{d.name}</option>
            ))}
          </select>
        </label>
        <label>
          Service{' '}
          <select data-testid="logs-service-select" value={state.service} onChange={(e) => go({ service: e.target.value })}>
            <option value="">All services</option>
            {services.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Severity{' '}
          <select data-testid="logs-severity-select" value={state.minSeverity ?? ''} onChange={(e) => go({ minSeverity: e.target.value ? Number(e.target.value) : undefined })}>
            <option value="">Any</option>
            {SEVERITY_LEVELS.map((l) => (
              <option key={l.min} value={l.min}>{l.name} and above</option>
            ))}
          </select>
        </label>
        <input className="search-input" data-testid="logs-search-input" placeholder="Search bodies and attributes" value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" data-testid="logs-search-button">Search</button>
      </form>
      {state.trace && (
        <p className="filter-chip" data-testid="logs-trace-chip">
          Logs of trace <a className="mono" href={href(`/trace/${state.trace}`)}>{state.trace}</a>{' '}
          <button type="button" onClick={() => go({ trace: '' })} aria-label="Remove the trace filter">✕</button>
        </p>
      )}
      {error && <div className="error-banner" data-testid="logs-error">{error}</div>}
      {!logs ? (
        <div className="loading">Loading…</div>
      ) : logs.length === 0 ? (
        <div className="empty-state" data-testid="logs-empty-state">
          <h2>No log records{query ? ' match' : ' yet'}</h2>
          <p>Send logs with an OpenTelemetry SDK to the OTLP receiver (<span className="mono">/v1/logs</span>, or gRPC), or open an archive that has them. Records emitted inside a span link to it.</p>
        </div>
      ) : (
        <>
          <p className="hint" data-testid="logs-count-label">{logs.length === LIMIT ? `The newest ${LIMIT} matching records` : plural(logs.length, 'matching record')}</p>
          <table className="trace-table logs-table" data-testid="logs-table">
            <thead>
              <tr><th>Time</th><th>Severity</th><th>Service</th><th>Body</th><th>Attributes</th><th>Span</th></tr>
            </thead>
            <tbody>
              {logs.map((l, i) => (
                <tr key={i} data-testid="logs-row" className={severityClass(l.severityNumber)}>
                  <td className="mono">{formatTime(l.timeMs)}</td>
                  <td><span className={`severity ${severityClass(l.severityNumber)}`}>{l.severityText || l.severityNumber || '—'}</span></td>
                  <td>{l.serviceName}</td>
                  <td className="log-body">{l.body}</td>
                  <td className="mono log-attrs">{Object.entries(l.attributes).map(([k, v]) => `${k}=${formatValue(v)}`).join(' ')}</td>
                  <td>{l.traceId ? <a className="mono" href={href(spanUrl(l))} data-testid="logs-span-link">{l.traceId.slice(0, 8)}{l.spanId ? ` / ${l.spanId.slice(0, 8)}` : ''}</a> : <span className="hint">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
