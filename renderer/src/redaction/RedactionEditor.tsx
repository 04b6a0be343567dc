/**
 * Settings › Redaction: the rules in force and how often each fired, a form to add or edit one
 * (checked as it is typed), deleting, and the rules as JSON to edit by hand, import and export.
 * Everything is editable only once the stored rules are in, so an early edit is not overwritten.
 */
import { useCallback, useEffect, useState } from 'react';
import type { RedactionRule } from '../../../shared/model/redaction.js';
import { useApi } from '../app/ApiContext.js';
import { formatCount } from '../app/format.js';
import { JsonFilePanel } from '../components/JsonFilePanel.js';
import { StatusMessage, type StatusText } from '../components/StatusMessage.js';
import { RedactionRuleForm } from './RedactionRuleForm.js';
import { draftOfRule, EMPTY_REDACTION_DRAFT, replacementOf, type RedactionDraft } from './rule-draft.js';

type Stored = { rules: RedactionRule[]; counts: Record<string, number> };

export function RedactionEditor() {
  const api = useApi();
  const [stored, setStored] = useState<Stored | null>(null);
  const [text, setText] = useState('');
  const [message, setMessage] = useState<StatusText | null>(null);
  /** The rule in the form: a new one, or the one being edited (by its name). */
  const [editing, setEditing] = useState<{ name: string | null; draft: RedactionDraft } | null>(null);
  const apply = useCallback((r: Stored): void => {
    setStored(r);
    setText(JSON.stringify(r.rules, null, 2));
  }, []);
  useEffect(() => void api.getRedaction({}).then(apply), [api, apply]);
  const rules = stored?.rules ?? [];

  const saveRules = (next: RedactionRule[], done: string): Promise<void> =>
    api.saveRedaction({ rules: next }).then((r) => {
      apply(r);
      setMessage({ error: false, text: `${done} The rules apply to everything stored from now on, and to exports.` });
    });
  const saveText = (): void => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      setMessage({ error: true, text: `Not JSON: ${(e as Error).message}` });
      return;
    }
    // The core checks the rules with the same schema as the form does.
    saveRules(parsed as RedactionRule[], 'Saved the rules from the text.').catch((e: Error) => setMessage({ error: true, text: e.message }));
  };
  const remove = (rule: RedactionRule): void => {
    if (!window.confirm(`Delete the redaction rule "${rule.name}"?`)) return;
    saveRules(
      rules.filter((r) => r !== rule),
      `Deleted ${rule.name}.`,
    ).catch((e: Error) => setMessage({ error: true, text: e.message }));
  };

  return (
    <div className="mapping-editor" data-testid="settings-redaction">
      <p className="hint">
        Secrets and personal data are removed before anything is written. A rule matches attributes by their key (the whole value goes) or text inside any value
        by a regular expression, and puts a marker or a pseudonym in its place: a keyed hash stable in this store, so equal values stay equal (peers&apos; IP
        addresses). Rules apply in the order listed. Reports list the rules and how often each fired, never the values.
      </p>
      <table className="trace-table compact redaction-rules" data-testid="settings-redaction-counts">
        <thead>
          <tr>
            <th>Rule</th>
            <th>Matches</th>
            <th>Pattern</th>
            <th>Becomes</th>
            <th className="num">Fired</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.name} data-testid="settings-redaction-row" data-rule={r.name}>
              <td>{r.name}</td>
              <td>{r.kind === 'key' ? 'keys' : 'text'}</td>
              <td className="mono small redaction-pattern" title={r.pattern}>
                {r.pattern}
              </td>
              <td className="mono small">{replacementOf(r)}</td>
              <td className="num mono" data-testid="settings-redaction-count">
                {formatCount(stored?.counts[r.name] ?? 0)}
              </td>
              <td className="row-actions">
                <button
                  type="button"
                  className="link-button"
                  onClick={() => setEditing({ name: r.name, draft: draftOfRule(r) })}
                  data-testid="settings-redaction-edit"
                >
                  Edit
                </button>
                <button type="button" className="link-button" onClick={() => remove(r)} data-testid="settings-redaction-delete">
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing ? (
        <RedactionRuleForm
          key={editing.name ?? 'new'}
          initial={editing.draft}
          others={rules.filter((r) => r.name !== editing.name)}
          onCancel={() => setEditing(null)}
          onSave={(rule) =>
            saveRules(editing.name === null ? [...rules, rule] : rules.map((r) => (r.name === editing.name ? rule : r)), `Saved ${rule.name}.`).then(() =>
              setEditing(null),
            )
          }
        />
      ) : (
        <p>
          <button
            className="primary-button"
            disabled={!stored}
            onClick={() => (setEditing({ name: null, draft: EMPTY_REDACTION_DRAFT }), setMessage(null))}
            data-testid="settings-redaction-new"
          >
            New rule…
          </button>
        </p>
      )}
      <JsonFilePanel
        summary="Rules as a file (JSON: import, export, edit by hand)"
        label="Redaction rules (JSON)"
        text={text}
        onText={setText}
        applyLabel="Save rules"
        onApply={saveText}
        fileName="sightline-redaction-rules.json"
        disabled={!stored}
        testId="settings-redaction-file"
      />
      <StatusMessage message={message} testId="settings-redaction-message" />
    </div>
  );
}
