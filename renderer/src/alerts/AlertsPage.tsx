/**
 * Alerts: each rule with its state (inactive, pending, firing) and last value, a form to add
 * or edit one (with a preview on stored data), the rules as a JSON file to import and export,
 * and the history of state changes.
 */
import { formatTimestamp } from '../app/format.js';
import { useCallback, useEffect, useState } from 'react';
import type { AlertEvent, AlertRule, AlertStatus } from '../../../shared/model/alerts.js';
import { useApi } from '../app/ApiContext.js';
import { JsonFilePanel } from '../components/JsonFilePanel.js';
import { StatusMessage, type StatusText } from '../components/StatusMessage.js';
import { condition, draftOf, EMPTY_DRAFT, formatRuleValue, type RuleDraft } from './rule-text.js';
import { AlertRuleForm } from './AlertRuleForm.js';

const EXAMPLE: AlertRule[] = [
  { name: 'slow feature reads', kind: 'latency_p95', span: 'feature-store.read', threshold: 300, forSeconds: 120, windowSeconds: 300 },
  { name: 'ranker drift', kind: 'drift', model: 'ranker', threshold: 1, forSeconds: 600, windowSeconds: 600 },
];

export function AlertsPage() {
  const api = useApi();
  const [statuses, setStatuses] = useState<AlertStatus[]>([]);
  const [history, setHistory] = useState<AlertEvent[]>([]);
  const [text, setText] = useState('');
  const [message, setMessage] = useState<StatusText | null>(null);
  /** The rule in the form: a new one, or the one being edited (by its name). */
  const [editing, setEditing] = useState<{ name: string | null; draft: RuleDraft } | null>(null);
  const saveRules = (rules: AlertRule[], done: string): Promise<void> =>
    api.saveAlertRules({ rules }).then((r) => {
      apply(r);
      setText(JSON.stringify({ rules: r.statuses.map((x) => x.rule) }, null, 2));
      setMessage({ error: false, text: done });
    });
  const current = statuses.map((x) => x.rule);
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
              <th aria-label="Actions" />
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
                <td className="num mono">{formatRuleValue(s.rule, s.value)}</td>
                <td className="mono small">{s.sinceMs ? formatTimestamp(s.sinceMs) : ''}</td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => setEditing({ name: s.rule.name, draft: draftOf(s.rule) })}
                    data-testid="alerts-edit-button"
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() =>
                      window.confirm(`Delete the rule "${s.rule.name}"?`) &&
                      void saveRules(
                        current.filter((r) => r.name !== s.rule.name),
                        `Deleted ${s.rule.name}.`,
                      ).catch((e: Error) => setMessage({ error: true, text: e.message }))
                    }
                    data-testid="alerts-delete-button"
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? (
        <AlertRuleForm
          key={editing.name ?? 'new'}
          initial={editing.draft}
          otherNames={current.map((r) => r.name).filter((n) => n !== editing.name)}
          onCancel={() => setEditing(null)}
          onSave={(rule) =>
            saveRules(editing.name === null ? [...current, rule] : current.map((r) => (r.name === editing.name ? rule : r)), `Saved ${rule.name}.`).then(() =>
              setEditing(null),
            )
          }
        />
      ) : (
        <p>
          <button className="primary-button" onClick={() => setEditing({ name: null, draft: EMPTY_DRAFT })} data-testid="alerts-new-rule-button">
            New rule…
          </button>
        </p>
      )}
      <JsonFilePanel
        summary="Rules as a file (JSON: import, export, edit by hand)"
        label="Alert rules (JSON)"
        text={text}
        onText={setText}
        applyLabel="Save rules"
        onApply={save}
        fileName="sightline-alert-rules.json"
        exportText={() => JSON.stringify({ rules: statuses.map((s) => s.rule) }, null, 2)}
        placeholder={JSON.stringify({ rules: EXAMPLE }, null, 2)}
        disabled={false}
        testId="alerts-rules"
      />
      <StatusMessage message={message} testId="alerts-message" />
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
