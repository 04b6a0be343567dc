/**
 * Reports: choose a scope and a format, make a sealed report (in a worker; the page shows it is
 * working), preview it, save it, and see every report made from this store with its hash and
 * the hash of the one before (a gap in that chain shows a missing report).
 */
import { formatPeriod, formatTimestamp } from '../app/format.js';
import { useState } from 'react';
import { useQuery } from '../app/use-query.js';
import type { ReportHistoryEntry } from '../../../shared/model/report.js';
import { routeParams, useRoute } from '../app/router.js';
import { useDataContext } from '../app/DataContextProvider.js';
import { contextRequest } from '../app/data-context.js';
import { useApi } from '../app/ApiContext.js';
import { saveFile } from '../app/save-file.js';

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function ReportsPage() {
  const api = useApi();
  const route = useRoute();
  const { context, dataset } = useDataContext();
  const scope = contextRequest(context);

  // A link ("Report this finding") may name the model and service; the data context gives the rest.
  const params = routeParams(route);
  const [form, setForm] = useState({ model: params.get('model') ?? '', service: params.get('service') ?? '', format: 'html' as 'html' | 'pdf' });
  const [busy, setBusy] = useState(false);
  const [actionError, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ id: number; html: string } | null>(null);
  const reports = useQuery('reports', () => api.listReports({}));
  const history: ReportHistoryEntry[] = reports.data ?? [];
  const error = actionError ?? reports.error;
  const load = reports.reload;

  const showPreview = (entry: ReportHistoryEntry): void => {
    if (entry.format !== 'html') return setPreview(null);
    void api.getReportFile({ id: entry.id }).then(
      (f) => setPreview({ id: entry.id, html: new TextDecoder().decode(decode(f.base64)) }),
      (e: Error) => setError(e.message),
    );
  };
  const save = (entry: ReportHistoryEntry): void => {
    void api.getReportFile({ id: entry.id }).then(
      (f) => saveFile(f.name, decode(f.base64), f.mime),
      (e: Error) => setError(e.message),
    );
  };
  const create = (): void => {
    setBusy(true);
    setError(null);
    api
      .createReport({
        format: form.format,
        ...scope,
        ...(form.model ? { model: form.model } : {}),
        ...(form.service ? { service: form.service } : {}),
      })
      .then(
        (entry) => {
          setBusy(false);
          load();
          showPreview(entry);
        },
        (e: Error) => (setBusy(false), setError(e.message)),
      );
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  return (
    <section className="reports-page" data-testid="reports-page">
      <h2>New report</h2>
      <p className="hint">
        A self-contained HTML file or a PDF: scope, sources, latency per model version, drift findings with their ranked causes and counterfactuals, alert
        history, exemplar traces and methodology, sealed with SHA-256 and an Ed25519 signature (<span className="mono">sightline verify FILE</span> checks it).
      </p>
      <div className="report-form">
        <p className="report-scope" data-testid="reports-scope">
          Scope: <strong>{dataset ? dataset.name : 'all datasets'}</strong>,{' '}
          {scope.fromMs !== undefined || scope.toMs !== undefined ? (
            <strong>{formatPeriod(scope.fromMs ?? 0, scope.toMs ?? Date.now())}</strong>
          ) : (
            <strong>all time</strong>
          )}{' '}
          <span className="hint">(the data context above)</span>
        </p>
        <label>
          Model <input value={form.model} onChange={set('model')} placeholder="all models" data-testid="reports-model-input" />
        </label>
        <label>
          Service <input value={form.service} onChange={set('service')} placeholder="all services" data-testid="reports-service-input" />
        </label>
        <label>
          Format{' '}
          <select value={form.format} onChange={set('format')} data-testid="reports-format-select">
            <option value="html">HTML</option>
            <option value="pdf">PDF</option>
          </select>
        </label>
        <button className="primary-button" onClick={create} disabled={busy} data-testid="reports-create-button">
          {busy ? 'Analysing, rendering, signing…' : 'Create report'}
        </button>
      </div>
      {busy && <progress className="report-progress" data-testid="reports-progress" />}
      {error && (
        <div className="error-banner" data-testid="reports-error">
          {error}
        </div>
      )}
      {preview && (
        <div className="report-preview">
          <iframe title="Report preview" sandbox="" srcDoc={preview.html} data-testid="reports-preview" />
        </div>
      )}
      <h2>History</h2>
      {history.length === 0 ? (
        <p className="hint">No report yet.</p>
      ) : (
        <table className="trace-table compact" data-testid="reports-history-table">
          <thead>
            <tr>
              <th>Created</th>
              <th>Format</th>
              <th>Scope</th>
              <th>SHA-256</th>
              <th>Previous report</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.id} data-testid="reports-history-row">
                <td className="mono small">{formatTimestamp(h.createdAtMs)}</td>
                <td>{h.format.toUpperCase()}</td>
                <td className="small">{[h.query.datasetName, h.query.model, h.query.service].filter(Boolean).join(' · ') || 'everything'}</td>
                <td className="mono small" title={h.sha256}>
                  {h.sha256.slice(0, 16)}…
                </td>
                <td className="mono small" title={h.previousSha256 ?? ''}>
                  {h.previousSha256 ? `${h.previousSha256.slice(0, 16)}…` : 'first'}
                </td>
                <td>
                  {h.format === 'html' && <button onClick={() => showPreview(h)}>Preview</button>}{' '}
                  <button onClick={() => save(h)} data-testid="reports-save-button">
                    Save…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
