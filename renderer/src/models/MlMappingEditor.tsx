/**
 * Settings › Model attributes: the user's attribute mapping as JSON (names tried before the
 * defaults), what is in effect, saving (which re-extracts predictions from stored spans), and
 * the mapping as a file to share.
 */
import { formatCount } from '../app/format.js';
import { useCallback, useEffect, useState } from 'react';
import type { MlAttributeMapping } from '../../../shared/model/ml-mapping.js';
import { useApi } from '../app/ApiContext.js';
import { saveFile } from '../app/save-file.js';

const EXAMPLE = '{\n  "modelName": ["svc.model"],\n  "score": ["risk_score"]\n}';

export function MlMappingEditor() {
  const api = useApi();
  const [text, setText] = useState('');
  const [effective, setEffective] = useState<MlAttributeMapping | null>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  // Editable once the stored mapping is in: typing before would be overwritten by it.
  const [loaded, setLoaded] = useState(false);
  const load = useCallback(
    (): void =>
      void api.getMlMapping({}).then((m) => {
        setText(Object.keys(m.user).length ? JSON.stringify(m.user, null, 2) : '');
        setEffective(m.effective);
        setLoaded(true);
      }),
    [api],
  );
  useEffect(load, [load]);

  const save = (): void => {
    let mapping: unknown;
    try {
      mapping = text.trim() ? JSON.parse(text) : {};
    } catch (e) {
      setMessage({ error: true, text: `Not JSON: ${(e as Error).message}` });
      return;
    }
    setSaving(true);
    setMessage(null);
    api.saveMlMapping({ mapping: mapping as Partial<MlAttributeMapping> }).then(
      (r) => {
        setSaving(false);
        setMessage({
          error: false,
          text: `Saved. Re-extracted ${formatCount(r.predictions)} predictions, ${formatCount(r.actuals)} ground-truth records and ${formatCount(r.factors)} infrastructure factors from the stored spans.`,
        });
        load();
      },
      (e: Error) => (setSaving(false), setMessage({ error: true, text: e.message })),
    );
  };
  const download = (): void => saveFile('sightline-ml-mapping.json', text || '{}', 'application/json');

  return (
    <div className="mapping-editor" data-testid="settings-mapping">
      <p className="hint">
        Sightline reads predictions from <span className="mono">ml.*</span> attributes and common aliases. Name your own attributes here; they are tried first.
        Example: <span className="mono">{EXAMPLE.replace(/\s+/g, ' ')}</span>
      </p>
      <div className="mapping-grid">
        <textarea
          disabled={!loaded}
          aria-label="Model attribute mapping (JSON)"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={EXAMPLE}
          rows={10}
          spellCheck={false}
          className="mono"
          data-testid="settings-mapping-input"
        />
        {effective && (
          <table className="trace-table compact" data-testid="settings-mapping-effective">
            <tbody>
              {Object.entries(effective).map(([field, names]) => (
                <tr key={field}>
                  <td>{field}</td>
                  <td className="mono small">{(names as string[]).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="toolbar">
        <button className="primary-button" onClick={save} disabled={saving} data-testid="settings-mapping-save">
          {saving ? 'Re-extracting…' : 'Save and re-extract'}
        </button>
        <button onClick={download}>Export file</button>
        <label className="file-label">
          Import file <input type="file" accept=".json,application/json" hidden onChange={(e) => void e.target.files?.[0]?.text().then(setText)} />
        </label>
      </div>
      {message && (
        <div className={message.error ? 'error-banner' : 'hint'} data-testid="settings-mapping-message">
          {message.text}
        </div>
      )}
    </div>
  );
}
