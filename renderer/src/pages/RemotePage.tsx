import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../app/ApiContext.js';
import { navigate } from '../app/router.js';
import { formatDurationMs, formatTime } from '../app/format.js';
import type { RemoteKind as Kind, RemoteSourceInfo, RemoteTraceInfo } from '../../../shared/model/telemetry.js';

const KINDS: [Kind, string][] = [
  ['jaeger-v3', 'Jaeger (api/v3, OTLP)'],
  ['jaeger', 'Jaeger (api/traces)'],
  ['tempo', 'Grafana Tempo'],
  ['zipkin', 'Zipkin v2'],
];

/** Remote tracing servers: configure them, search them, pull chosen traces into a dataset. */
export function RemotePage() {
  const api = useApi();
  const [sources, setSources] = useState<RemoteSourceInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ name: '', kind: 'jaeger-v3' as Kind, url: '', token: '' });
  const [query, setQuery] = useState({ source: 0, service: '', lookbackMinutes: 60 });
  const [results, setResults] = useState<RemoteTraceInfo[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const fail = (e: Error): void => setError(e.message);
  const load = useCallback(
    () =>
      void api.listRemoteSources({}).then((s) => {
        setSources(s);
        setQuery((q) => (q.source || !s[0] ? q : { ...q, source: s[0].id }));
      }, fail),
    [api],
  );
  useEffect(load, [load]);

  const add = (): void => {
    setError(null);
    api.saveRemoteSource({ name: form.name, kind: form.kind, url: form.url, ...(form.token ? { token: form.token } : {}) }).then(() => {
      setForm({ name: '', kind: form.kind, url: '', token: '' });
      load();
    }, fail);
  };
  const search = (): void => {
    setError(null);
    setBusy(true);
    api
      .searchRemote({ sourceId: query.source, lookbackMinutes: query.lookbackMinutes, ...(query.service ? { service: query.service } : {}) })
      .then((r) => {
        setResults(r);
        setChosen(new Set(r.map((t) => t.traceId)));
      }, fail)
      .finally(() => setBusy(false));
  };
  const pull = (): void => {
    setBusy(true);
    api
      .pullRemote({ sourceId: query.source, traceIds: [...chosen] })
      .then((r) => {
        if (r.pulled.length === 0) setError(`nothing pulled: ${r.failed[0]?.error ?? ''}`);
        else navigate(`/?dataset=${r.datasetId}`);
      }, fail)
      .finally(() => setBusy(false));
  };

  return (
    <section className="remote-page" data-testid="remote-page">
      <p className="hint">
        Search a Jaeger, Tempo or Zipkin server you already run and pull the traces you choose into a dataset of their own, to explore them here offline.
      </p>
      {error && (
        <div className="error-banner" data-testid="remote-error">
          {error}
        </div>
      )}
      {sources.length > 0 && (
        <table className="trace-table" data-testid="remote-sources-table">
          <thead>
            <tr>
              <th>Source</th>
              <th>Kind</th>
              <th>URL</th>
              <th>Credentials</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => (
              <tr key={s.id} data-testid="remote-source-row">
                <td>{s.name}</td>
                <td>{KINDS.find(([k]) => k === s.kind)?.[1]}</td>
                <td className="mono">{s.url}</td>
                <td>{s.hasCredentials ? 'bearer token' : 'none'}</td>
                <td>
                  <button onClick={() => void api.deleteRemoteSource({ sourceId: s.id }).then(load, fail)}>Remove</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Add a source</h2>
      <form
        className="form-row remote-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (form.name && form.url) add();
        }}
      >
        <label className="form-field">
          <span className="form-label">Name</span>
          <input placeholder="team jaeger" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="remote-name-input" />
        </label>
        <label className="form-field">
          <span className="form-label">Kind</span>
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as Kind })} data-testid="remote-kind-select">
            {KINDS.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="form-field">
          <span className="form-label">Base URL</span>
          <input
            placeholder="http://jaeger:16686"
            value={form.url}
            onChange={(e) => setForm({ ...form, url: e.target.value })}
            data-testid="remote-url-input"
            size={32}
          />
        </label>
        <label className="form-field">
          <span className="form-label">Bearer token (optional)</span>
          <input type="password" autoComplete="off" value={form.token} onChange={(e) => setForm({ ...form, token: e.target.value })} />
        </label>
        <button type="submit" disabled={!form.name || !form.url} data-testid="remote-add-button">
          Add source
        </button>
      </form>

      {sources.length > 0 && (
        <>
          <h2>Search</h2>
          <form
            className="form-row remote-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!busy && query.source) search();
            }}
          >
            <label className="form-field">
              <span className="form-label">Source</span>
              <select value={query.source} onChange={(e) => setQuery({ ...query, source: Number(e.target.value) })} data-testid="remote-source-select">
                {sources.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="form-field">
              <span className="form-label">Service</span>
              <input
                placeholder="any"
                value={query.service}
                onChange={(e) => setQuery({ ...query, service: e.target.value })}
                data-testid="remote-service-input"
              />
            </label>
            <label className="form-field">
              <span className="form-label">Look back (minutes)</span>
              <input
                type="number"
                min={1}
                value={query.lookbackMinutes}
                onChange={(e) => setQuery({ ...query, lookbackMinutes: Number(e.target.value) || 60 })}
                style={{ width: 90 }}
              />
            </label>
            <button type="submit" disabled={busy || !query.source} data-testid="remote-search-button">
              Search
            </button>
          </form>
        </>
      )}
      {results && (
        <>
          <table className="trace-table" data-testid="remote-results-table">
            <thead>
              <tr>
                <th />
                <th>Trace</th>
                <th>Service</th>
                <th>Root operation</th>
                <th>Start</th>
                <th className="num">Duration</th>
              </tr>
            </thead>
            <tbody>
              {results.map((t) => (
                <tr key={t.traceId} data-testid="remote-result-row">
                  <td>
                    <input
                      type="checkbox"
                      checked={chosen.has(t.traceId)}
                      onChange={(e) => setChosen((c) => (e.target.checked ? new Set(c).add(t.traceId) : new Set([...c].filter((x) => x !== t.traceId))))}
                    />
                  </td>
                  <td className="mono">{t.traceId}</td>
                  <td>{t.rootServiceName ?? '—'}</td>
                  <td>{t.rootSpanName ?? '—'}</td>
                  <td className="mono">{t.startTimeMs !== undefined ? formatTime(t.startTimeMs) : '—'}</td>
                  <td className="num mono">{t.durationMs !== undefined ? formatDurationMs(t.durationMs) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {results.length === 0 ? (
            <p className="hint">No traces found.</p>
          ) : (
            <button onClick={pull} disabled={busy || chosen.size === 0} data-testid="remote-pull-button">
              Pull {chosen.size} into a new dataset
            </button>
          )}
        </>
      )}
    </section>
  );
}
