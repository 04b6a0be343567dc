/** Settings › Redaction: the rules in force (JSON), how often each fired, saving new rules. */
import { useCallback, useEffect, useState } from 'react';
import type { RedactionRule } from '../../../shared/model/redaction.js';
import { useApi } from '../app/ApiContext.js';

export function RedactionEditor() {
  const api = useApi();
  const [text, setText] = useState('');
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [rules, setRules] = useState<RedactionRule[]>([]);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  // Editable once the stored rules are in: typing before would be overwritten by them.
  const [loaded, setLoaded] = useState(false);
  const apply = useCallback((r: { rules: RedactionRule[]; counts: Record<string, number> }): void => {
    setLoaded(true);
    setRules(r.rules);
    setCounts(r.counts);
    setText(JSON.stringify(r.rules, null, 2));
  }, []);
  useEffect(() => void api.getRedaction({}).then(apply), [api, apply]);
  const save = (): void => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      setMessage({ error: true, text: `Not JSON: ${(e as Error).message}` });
      return;
    }
    api.saveRedaction({ rules: parsed as RedactionRule[] }).then(
      (r) => (apply(r), setMessage({ error: false, text: `Saved ${r.rules.length} rules; they apply to everything stored from now on, and to exports.` })),
      (e: Error) => setMessage({ error: true, text: e.message }),
    );
  };
  return (
    <div className="mapping-editor" data-testid="settings-redaction">
      <p className="hint">
        Secrets and personal data are removed before anything is written: key rules (globs over attribute keys) act on the whole value, value rules (regular
        expressions in RE2 syntax: no backreferences or lookaround) on what they match in any string. A rule's <code>action</code> is <code>"replace"</code>{' '}
        (erase; the default) or <code>"pseudonymise"</code> (a keyed hash stable in this store, <code>label:3fa2b1c09d4e</code>, so equal values stay equal,
        e.g. peers' IP addresses). Reports list the rules, their actions and these counts, never the values.
      </p>
      <div className="mapping-grid">
        <textarea
          disabled={!loaded}
          aria-label="Redaction rules (JSON)"
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={12}
          spellCheck={false}
          className="mono"
          data-testid="settings-redaction-input"
        />
        <table className="trace-table compact" data-testid="settings-redaction-counts">
          <tbody>
            {rules.map((r) => (
              <tr key={r.name}>
                <td>{r.name}</td>
                <td className="mono small">{r.kind}</td>
                <td className="mono small">{r.action === 'pseudonymise' ? 'pseudonymise' : 'replace'}</td>
                <td className="num mono">{counts[r.name] ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="toolbar">
        <button className="primary-button" onClick={save} data-testid="settings-redaction-save">
          Save rules
        </button>
      </div>
      {message && (
        <div className={message.error ? 'error-banner' : 'hint'} data-testid="settings-redaction-message">
          {message.text}
        </div>
      )}
    </div>
  );
}
