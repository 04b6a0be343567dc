/**
 * Alerts: each rule with its state (inactive, pending, firing) and last value, the rules as a
 * JSON file to edit, import and export, and the history of state changes.
 */
import { formatTimestamp } from '../app/format.js';
import { useCallback, useEffect, useState } from 'react';
import type { AlertEvent, AlertRule, AlertStatus } from '../../../shared/model/alerts.js';
import { useApi } from '../app/ApiContext.js';
import { saveFile } from '../app/save-file.js';

const EXAMPLE: AlertRule[] = [
  { name: 'slow feature reads', kind: 'latency_p95', span: 'feature-store.read', threshold: 300, forSeconds: 120, windowSeconds: 300 },
  { name: 'ranker drift', kind: 'drift', model: 'ranker', threshold: 1, forSeconds: 600, windowSeconds: 600 },
];

function condition(r: AlertRule): string {
  const target = r.kind === 'drift' ? `model ${r.model}` : `${r.span ?? 'any span'}${r.service ? ` in ${r.service}` : ''}`;
  const unit = r.kind.startsWith('latency_p') ? ' ms' : '';
  return `${r.kind} of ${target} > ${r.threshold}${unit} over ${r.windowSeconds} s, for ${r.forSeconds} s`;
}

function formatValue(r: AlertRule, v: number | null): string {
  if (v === null) return '—';
  if (r.kind.startsWith('latency_p')) return `${v.toFixed(1)} ms`;
  if (r.kind === 'error_rate') return `${(v * 100).toFixed(1)}%`;
  return v.toFixed(2);
}

export function AlertsPage() {
  const api = useApi();
  const [statuses, setStatuses] = useState<AlertStatus[]>([]);
  const [history, setHistory] = useState<AlertEvent[]>([]);
  const [text, setText] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const apply = (r: { statuses: AlertStatus[]; history: AlertEvent[] }): void => {
    setStatuses(r.statuses);
    setHistory(r.history);
  };
  const load = useCallback(() => {
    void api.listAlerts({}).then((r) => {
      apply(r);
      setText((t) => t || (r.statuses.length ? JSON.stringify({ rules: r.statuses.map((s) => s.rule) }, null, 2) : ''));
    });
  }, [api]);
  useEffect(() => {
    load();
    return api.subscribe((e) => (e.type === 'alert' || e.type === 'ingest') && load());
  }, [api, load]);

  const save = (): void => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text || '{"rules": []}');
    } catch (e) {
      setMessage({ error: true, text: `Not JSON: ${(e as Error).message}` });
      return;
    }
    const rules = Array.isArray(parsed) ? parsed : (parsed as { rules?: unknown }).rules;
    api.saveAlertRules({ rules: rules as AlertRule[] }).then(
      (r) => (apply(r), setMessage({ error: false, text: `Saved ${r.statuses.length} rule(s).` })),
      (e: Error) => setMessage({ error: true, text: e.message }),
    );
  };
  const download = (): void => saveFile('sightline-alert-rules.json', JSON.stringify({ rules: statuses.map((s) => s.rule) }, null, 2), 'application/json');

  return (
    <section className="alerts-page" data-testid="alerts-page">
      <h2>Alert rules</h2>
      {statuses.length === 0 ? (
        <p className="hint" data-testid="alerts-empty">
          No rules yet. Rules watch latency percentiles, error rates, latency anomalies (median and MAD) and model drift, in the data's own time, and fire after
          their condition held for a while.
        </p>
      ) : (
        <table className="trace-table" data-testid="alerts-rules-table">
          <thead>
            <tr>
              <th>State</th>
              <th>Rule</th>
              <th>Condition</th>
              <th className="num">Value</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            {statuses.map((s) => (
              <tr key={s.rule.name} data-testid="alerts-rule-row" data-state={s.state}>
                <td>
                  <span className={`state-chip state-${s.state}`}>{s.state}</span>
                </td>
                <td>{s.rule.name}</td>
                <td className="mono small">{condition(s.rule)}</td>
                <td className="num mono">{formatValue(s.rule, s.value)}</td>
                <td className="mono small">{s.sinceMs ? formatTimestamp(s.sinceMs) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Rules file</h3>
      <textarea
        aria-label="Alert rules (JSON)"
        className="mono rules-editor"
        rows={10}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={JSON.stringify({ rules: EXAMPLE }, null, 2)}
        spellCheck={false}
        data-testid="alerts-rules-input"
      />
      <div className="toolbar">
        <button className="primary-button" onClick={save} data-testid="alerts-save-button">
          Save rules
        </button>
        <button onClick={download} data-testid="alerts-export-button">
          Export file
        </button>
        <label className="file-label">
          Import file{' '}
          <input
            type="file"
            accept=".json,application/json"
            hidden
            data-testid="alerts-import-input"
            onChange={(e) => void e.target.files?.[0]?.text().then(setText)}
          />
        </label>
      </div>
      {message && (
        <div className={message.error ? 'error-banner' : 'hint'} data-testid="alerts-message">
          {message.text}
        </div>
      )}
      <h3>History</h3>
      {history.length === 0 ? (
        <p className="hint">Nothing has happened yet.</p>
      ) : (
        <table className="trace-table compact" data-testid="alerts-history-table">
          <thead>
            <tr>
              <th>Data time</th>
              <th>State</th>
              <th>What</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h, i) => (
              <tr key={i} data-testid="alerts-history-row">
                <td className="mono small">{formatTimestamp(h.atMs)}</td>
                <td>
                  <span className={`state-chip state-${h.state}`}>{h.state}</span>
                </td>
                <td>{h.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
