/**
 * Settings › Model attributes: for each thing a prediction carries (model name, version, score,
 * label…), the user's attribute names, tried before the defaults shown beside them. Checked as
 * typed with the core's schema; saving re-extracts predictions from the stored spans. The
 * mapping is also a JSON file to edit by hand, import and export.
 */
import { formatCount } from '../app/format.js';
import { useCallback, useEffect, useState } from 'react';
import { DEFAULT_ML_MAPPING, ML_MAPPING_FIELDS } from '../../../shared/model/ml-mapping.js';
import { useApi } from '../app/ApiContext.js';
import { JsonFilePanel } from '../components/JsonFilePanel.js';
import { StatusMessage, type StatusText } from '../components/StatusMessage.js';
import { draftOfMapping, MAPPING_FIELD_LABELS, mappingOfDraft, mappingProblems, type MappingDraft } from './mapping-draft.js';

const asText = (draft: MappingDraft): string => JSON.stringify(mappingOfDraft(draft), null, 2);

export function MlMappingEditor() {
  const api = useApi();
  // Null until the stored mapping is in: typing before would be overwritten by it.
  const [draft, setDraft] = useState<MappingDraft | null>(null);
  const [text, setText] = useState('');
  const [message, setMessage] = useState<StatusText | null>(null);
  const [saving, setSaving] = useState(false);
  const load = useCallback(
    (): void =>
      void api.getMlMapping({}).then((m) => {
        const stored = draftOfMapping(m.user);
        setDraft(stored);
        setText(asText(stored));
      }),
    [api],
  );
  useEffect(load, [load]);
  const mapping = draft ? mappingOfDraft(draft) : {};
  const problems = mappingProblems(mapping);
  const valid = Object.keys(problems).length === 0;

  const edit = (change: Partial<MappingDraft>): void => {
    if (!draft) return;
    const next = { ...draft, ...change };
    setDraft(next);
    setText(asText(next));
    setMessage(null);
  };
  const takeText = (): void => {
    let parsed: unknown;
    try {
      parsed = text.trim() ? JSON.parse(text) : {};
    } catch (e) {
      setMessage({ error: true, text: `Not JSON: ${(e as Error).message}` });
      return;
    }
    const wrong = mappingProblems(parsed);
    if (Object.keys(wrong).length) {
      setMessage({
        error: true,
        text: Object.entries(wrong)
          .map(([field, why]) => (field === 'form' ? why : `${field}: ${why}`))
          .join('; '),
      });
      return;
    }
    setDraft(draftOfMapping(parsed as Parameters<typeof draftOfMapping>[0]));
    setMessage({ error: false, text: 'The file is in the form: check it and save.' });
  };
  const save = (): void => {
    if (!valid) return;
    setSaving(true);
    setMessage(null);
    api.saveMlMapping({ mapping }).then(
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

  return (
    <div className="mapping-editor" data-testid="settings-mapping">
      <p className="hint">
        Sightline reads predictions from <span className="mono">ml.*</span> attributes and common aliases. Name your own attributes here, separated by commas;
        they are tried first, in order, and the first one a span has wins.
      </p>
      <form
        className="mapping-form"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <div className="mapping-fields" data-testid="settings-mapping-effective">
          {ML_MAPPING_FIELDS.map((f) => (
            <label key={f} className="form-field mapping-field" data-field={f}>
              <span className="form-label">{MAPPING_FIELD_LABELS[f]}</span>
              <input
                className="mono"
                value={draft?.[f] ?? ''}
                disabled={!draft}
                onChange={(e) => edit({ [f]: e.target.value })}
                placeholder="your attribute names"
                spellCheck={false}
                aria-invalid={!!problems[f]}
                data-testid={`settings-mapping-field-${f}`}
              />
              {problems[f] ? (
                <span className="form-problem" role="alert" data-testid={`settings-mapping-problem-${f}`}>
                  {problems[f]}
                </span>
              ) : (
                <span className="hint small mono mapping-defaults">then {DEFAULT_ML_MAPPING[f].join(', ')}</span>
              )}
            </label>
          ))}
        </div>
        {problems.form && (
          <div className="form-problem" role="alert">
            {problems.form}
          </div>
        )}
        <div className="toolbar">
          <button type="submit" className="primary-button" disabled={!draft || !valid || saving} data-testid="settings-mapping-save">
            {saving ? 'Re-extracting…' : 'Save and re-extract'}
          </button>
        </div>
      </form>
      <JsonFilePanel
        summary="Mapping as a file (JSON: import, export, edit by hand)"
        label="Model attribute mapping (JSON)"
        text={text}
        onText={setText}
        applyLabel="Put in the form"
        onApply={takeText}
        fileName="sightline-ml-mapping.json"
        disabled={!draft}
        testId="settings-mapping-file"
      />
      <StatusMessage message={message} testId="settings-mapping-message" />
    </div>
  );
}
