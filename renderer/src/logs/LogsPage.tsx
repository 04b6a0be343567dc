/**
 * Logs (/logs): log records newest first, searched by text, minimum severity, service, dataset
 * and trace, all in the URL. Each record with trace context links to its span in the
 * waterfall; the span detail links back here. Updates as data arrives.
 */
import { traceLink } from '../app/links.js';
import { useEffect, useState } from 'react';
import { useApi } from '../app/ApiContext.js';
import { href, navigate, routeParams, useRoute } from '../app/router.js';
import { formatTime, formatValue, plural, zoneLabel } from '../app/format.js';
import type { LogRecordView } from '../../../shared/model/telemetry.js';
import { useQuery } from '../app/use-query.js';
import { useDataContext } from '../app/DataContextProvider.js';
import { contextRequest, hasTimeRange } from '../app/data-context.js';
import { SEVERITY_LEVELS, severityClass } from './severity.js';

const LIMIT = 500;

interface LogsState {
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
    service: p.get('service') ?? '',
    text: p.get('q') ?? '',
    minSeverity: sev > 0 ? sev : undefined,
    trace: /^[0-9a-f]{32}$/.test(trace) ? trace : '',
  };
}

/** The page's own parameters (the dataset and time range are the data context's). */
function stateParams(s: LogsState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.service) p.set('service', s.service);
  if (s.text.trim()) p.set('q', s.text.trim());
  if (s.minSeverity !== undefined) p.set('sev', String(s.minSeverity));
  if (s.trace) p.set('trace', s.trace);
  return p;
}

const spanUrl = (l: LogRecordView): string => traceLink(l.traceId!, l.datasetId, l.spanId);

export function LogsPage() {
  const api = useApi();
  const route = useRoute();
  const { context, contextKey, dataset, link, setContext } = useDataContext();
  const state = readState(routeParams(route).toString());
  const datasetId = typeof context.dataset === 'number' ? context.dataset : undefined;
  const query = JSON.stringify([state, contextKey]);
  const filtered = stateParams(state).toString() !== '';
  const [text, setText] = useState(state.text);
  useEffect(() => setText(state.text), [state.text]);
  const { data, error } = useQuery(
    query,
    () =>
      Promise.all([
        api.searchLogs({
          ...contextRequest(context),
          ...(state.service ? { service: state.service } : {}),
          ...(state.text.trim() ? { text: state.text.trim() } : {}),
          ...(state.minSeverity !== undefined ? { minSeverity: state.minSeverity } : {}),
          ...(state.trace ? { traceId: state.trace } : {}),
          limit: LIMIT,
        }),
        api.listServices(datasetId !== undefined ? { datasetId } : {}),
        api.getStats(datasetId !== undefined ? { datasetId } : {}),
      ]),
    { live: true },
  );
  const [logs, services, stats] = data ?? [null, [], null];

  const go = (next: Partial<LogsState>): void => navigate(link('/logs', stateParams({ ...state, ...next })));
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
          Service{' '}
          <select data-testid="logs-service-select" value={state.service} onChange={(e) => go({ service: e.target.value })}>
            <option value="">All services</option>
            {services.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Severity{' '}
          <select
            data-testid="logs-severity-select"
            value={state.minSeverity ?? ''}
            onChange={(e) => go({ minSeverity: e.target.value ? Number(e.target.value) : undefined })}
          >
            <option value="">Any</option>
            {SEVERITY_LEVELS.map((l) => (
              <option key={l.min} value={l.min}>
                {l.name} and above
              </option>
            ))}
          </select>
        </label>
        <input
          className="search-input"
          data-testid="logs-search-input"
          placeholder="Search bodies and attributes"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" data-testid="logs-search-button">
          Search
        </button>
      </form>
      {state.trace && (
        <p className="filter-chip" data-testid="logs-trace-chip">
          Logs of trace{' '}
          <a className="mono" href={href(traceLink(state.trace, datasetId))}>
            {state.trace}
          </a>{' '}
          <button type="button" onClick={() => go({ trace: '' })} aria-label="Remove the trace filter">
            ✕
          </button>
        </p>
      )}
      {error && (
        <div className="error-banner" data-testid="logs-error">
          {error}
        </div>
      )}
      {!logs ? (
        <div className="loading">Loading…</div>
      ) : logs.length === 0 ? (
        stats && stats.logRecords > 0 ? (
          <div className="empty-note" data-testid="logs-no-match">
            <p>
              <strong>No log records match</strong>
              {hasTimeRange(context) ? ' in this time range' : ''}
              {filtered ? ' with these filters' : ''}. {dataset ? dataset.name : 'The store'} holds {plural(stats.logRecords, 'log record')}.
            </p>
            <p>
              {filtered && (
                <button type="button" className="link-button" onClick={() => navigate(link('/logs'))} data-testid="logs-clear-filters-button">
                  Clear the filters
                </button>
              )}{' '}
              {hasTimeRange(context) && (
                <button type="button" className="link-button" onClick={() => setContext({ range: '', fromMs: undefined, toMs: undefined })}>
                  Show the whole range
                </button>
              )}
            </p>
          </div>
        ) : (
          <div className="empty-state" data-testid="logs-empty-state">
            <h2>No log records {dataset ? `in ${dataset.name}` : 'yet'}</h2>
            <p>
              Send logs with an OpenTelemetry SDK to the OTLP receiver (<span className="mono">/v1/logs</span>, or gRPC), or open an archive that has them.
              Records emitted inside a span link to it.
            </p>
          </div>
        )
      ) : (
        <>
          <p className="hint" data-testid="logs-count-label">
            {logs.length === LIMIT ? `The newest ${LIMIT} matching records` : plural(logs.length, 'matching record')}
          </p>
          <table className="trace-table logs-table" data-testid="logs-table">
            <thead>
              <tr>
                <th>Time ({zoneLabel()})</th>
                <th>Severity</th>
                <th>Service</th>
                <th>Body</th>
                <th>Attributes</th>
                <th>Span</th>
              </tr>
            </thead>
            <tbody>
              {logs.map((l, i) => (
                <tr key={i} data-testid="logs-row" className={severityClass(l.severityNumber)}>
                  <td className="mono">{formatTime(l.timeMs)}</td>
                  <td>
                    <span className={`severity ${severityClass(l.severityNumber)}`}>{l.severityText || l.severityNumber || '—'}</span>
                  </td>
                  <td>{l.serviceName}</td>
                  <td className="log-body">{l.body}</td>
                  <td className="mono log-attrs">
                    {Object.entries(l.attributes)
                      .map(([k, v]) => `${k}=${formatValue(v)}`)
                      .join(' ')}
                  </td>
                  <td>
                    {l.traceId ? (
                      <a className="mono" href={href(spanUrl(l))} data-testid="logs-span-link">
                        {l.traceId.slice(0, 8)}
                        {l.spanId ? ` / ${l.spanId.slice(0, 8)}` : ''}
                      </a>
                    ) : (
                      <span className="hint">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
