/**
 * Reports: choose a scope and a format, make a sealed report (in a worker; the page shows it is
 * working), preview it, save it, and see every report made from this store with its hash and
 * the hash of the one before (a gap in that chain shows a missing report).
 */
import { useCallback, useEffect, useState } from 'react';
import type { ReportHistoryEntry } from '../../../shared/model/report.js';
import type { DatasetInfo } from '../../../shared/model/telemetry.js';
import { useApi } from '../app/ApiContext.js';
import { saveFile } from '../app/save-file.js';

function toMs(local: string): number | undefined {
  if (!local) return undefined;
  const ms = Date.parse(local);
  return Number.isFinite(ms) ? ms : undefined;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function ReportsPage() {
  const api = useApi();
  const [datasets, setDatasets] = useState<DatasetInfo[]>([]);
  const [history, setHistory] = useState<ReportHistoryEntry[]>([]);
  const [form, setForm] = useState({ dataset: '', model: '', service: '', from: '', to: '', format: 'html' as 'html' | 'pdf' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ id: number; html: string } | null>(null);
  const load = useCallback(() => void api.listReports({}).then(setHistory, (e: Error) => setError(e.message)), [api]);
  useEffect(() => {
    load();
    void api.listDatasets({}).then(setDatasets);
  }, [api, load]);

  const showPreview = (entry: ReportHistoryEntry): void => {
    if (entry.format !== 'html') return setPreview(null);
    void api.getReportFile({ id: entry.id }).then((f) => setPreview({ id: entry.id, html: new TextDecoder().decode(decode(f.base64)) }), (e: Error) => setError(e.message));
  };
  const save = (entry: ReportHistoryEntry): void => {
    void api.getReportFile({ id: entry.id }).then((f) => saveFile(f.name, decode(f.base64), f.mime), (e: Error) => setError(e.message));
  };
  const create = (): void => {
    setBusy(true);
    setError(null);
    api
      .createReport({
        format: form.format,
        ...(form.dataset ? { datasetId: Number(form.dataset) } : {}),
        ...(form.model ? { model: form.model } : {}),
        ...(form.service ? { service: form.service } : {}),
        ...(toMs(form.from) !== undefined ? { fromMs: toMs(form.from)! } : {}),
        ...(toMs(form.to) !== undefined ? { toMs: toMs(form.to)! } : {}),
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
      <p className="hint">A self-contained HTML file or a PDF: scope, sources, latency per model version, drift findings with their ranked causes and counterfactuals, alert history, exemplar traces and methodology, sealed with SHA-256 and an Ed25519 signature (<span className="mono">sightline verify FILE</span> checks it).</p>
      <div className="report-form">
        <label>Dataset <select value={form.dataset} onChange={set('dataset')} data-testid="reports-dataset-select"><option value="">all</option>{datasets.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}</select></label>
        <label>Model <input value={form.model} onChange={set('model')} placeholder="all" data-testid="reports-model-input" /></label>
        <label>Service <input value={form.service} onChange={set('service')} placeholder="all" /></label>
        <label>From <input type="datetime-local" value={form.from} onChange={set('from')} /></label>
        <label>To <input type="datetime-local" value={form.to} onChange={set('to')} /></label>
        <label>Format <select value={form.format} onChange={set('format')} data-testid="reports-format-select"><option value="html">HTML</option><option value="pdf">PDF</option></select></label>
        <button className="primary-button" onClick={create} disabled={busy} data-testid="reports-create-button">{busy ? 'Analysing, rendering, signing…' : 'Create report'}</button>
      </div>
      {busy && <progress className="report-progress" data-testid="reports-progress" />}
      {error && <div className="error-banner" data-testid="reports-error">{error}</div>}
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
          <thead><tr><th>Created</th><th>Format</th><th>Scope</th><th>SHA-256</th><th>Previous report</th><th /></tr></thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.id} data-testid="reports-history-row">
                <td className="mono small">{new Date(h.createdAtMs).toLocaleString()}</td>
                <td>{h.format.toUpperCase()}</td>
                <td className="small">{[h.query.datasetName, h.query.model, h.query.service].filter(Boolean).join(' · ') || 'everything'}</td>
                <td className="mono small" title={h.sha256}>{h.sha256.slice(0, 16)}…</td>
                <td className="mono small" title={h.previousSha256 ?? ''}>{h.previousSha256 ? `${h.previousSha256.slice(0, 16)}…` : 'first'}</td>
                <td>
                  {h.format === 'html' && <button onClick={() => showPreview(h)}>Preview</button>} <button onClick={() => save(h)} data-testid="reports-save-button">Save…</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
