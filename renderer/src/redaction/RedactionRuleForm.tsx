/**
 * One redaction rule as a form: what it matches (attribute keys by a glob, or text inside any
 * value by a regular expression), what a match becomes, each field checked as it is typed with
 * the core's own schema and RE2 check, so Save is offered only for a rule the core will take.
 */
import { useState, type ReactNode } from 'react';
import type { RedactionRule } from '../../../shared/model/redaction.js';
import { draftProblems, EMPTY_REDACTION_DRAFT, replacementOf, ruleOfDraft, type RedactionDraft } from './rule-draft.js';

export function RedactionRuleForm({
  initial,
  others,
  onSave,
  onCancel,
}: {
  initial: RedactionDraft;
  /** The other rules, saved with this one (names must differ). */
  others: readonly RedactionRule[];
  onSave: (rule: RedactionRule) => Promise<void>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<RedactionDraft>(initial);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [visited, setVisited] = useState<ReadonlySet<keyof RedactionDraft>>(new Set());
  const rule = ruleOfDraft(draft);
  const problems = draftProblems(others, rule);
  const valid = Object.keys(problems).length === 0;
  const edit = (change: Partial<RedactionDraft>): void => (setDraft({ ...draft, ...change }), setSaveError(null));
  // A field's problem shows once it holds something or was left; the others are listed by Save.
  const shown = (k: keyof RedactionDraft): string | undefined => (draft[k] !== EMPTY_REDACTION_DRAFT[k] || visited.has(k) ? problems[k] : undefined);
  const unshown = (Object.keys(problems) as (keyof RedactionDraft | 'form')[]).filter((k) => k !== 'form' && !shown(k)).map((k) => problems[k]);
  const field = (k: keyof RedactionDraft, label: string, input: ReactNode, hint?: ReactNode) => (
    <label className="form-field" onBlur={() => setVisited(new Set([...visited, k]))}>
      <span className="form-label">{label}</span>
      {input}
      {shown(k) ? (
        <span className="form-problem" role="alert" data-testid={`redaction-form-problem-${k}`}>
          {shown(k)}
        </span>
      ) : hint ? (
        <span className="hint small">{hint}</span>
      ) : null}
    </label>
  );
  const save = (): void => {
    if (!valid) return;
    setSaving(true);
    onSave(rule).then(
      () => setSaving(false),
      (e: Error) => (setSaving(false), setSaveError(e.message)),
    );
  };
  return (
    <form
      className="rule-form"
      data-testid="redaction-rule-form"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="form-grid redaction-form-grid">
        {field(
          'name',
          'Name',
          <input value={draft.name} onChange={(e) => edit({ name: e.target.value })} aria-invalid={!!shown('name')} data-testid="redaction-form-name" />,
        )}
        {field(
          'kind',
          'Matches',
          <select value={draft.kind} onChange={(e) => edit({ kind: e.target.value as RedactionDraft['kind'] })} data-testid="redaction-form-kind">
            <option value="value">text inside any value</option>
            <option value="key">attributes by their key</option>
          </select>,
          draft.kind === 'key' ? 'the whole value of each attribute whose key matches' : 'every stored string: attribute values, log bodies, event texts',
        )}
        <span className="redaction-pattern-field">
          {field(
            'pattern',
            draft.kind === 'key' ? 'Attribute keys (glob)' : 'Regular expression (RE2)',
            <input
              className="mono"
              value={draft.pattern}
              onChange={(e) => edit({ pattern: e.target.value })}
              placeholder={draft.kind === 'key' ? '*customer?ssn*' : '\\bACME-\\d{6}\\b'}
              spellCheck={false}
              aria-invalid={!!shown('pattern')}
              data-testid="redaction-form-pattern"
            />,
            draft.kind === 'key'
              ? '* any run of characters, ? one character; case-insensitive'
              : 'JavaScript syntax without backreferences or lookaround, so it runs in time linear in the text',
          )}
        </span>
        {field(
          'action',
          'Replace with',
          <select value={draft.action} onChange={(e) => edit({ action: e.target.value as RedactionDraft['action'] })} data-testid="redaction-form-action">
            <option value="replace">a marker (erase)</option>
            <option value="pseudonymise">a pseudonym (keyed hash)</option>
          </select>,
        )}
        {draft.action === 'pseudonymise' &&
          field(
            'label',
            'Pseudonym label',
            <input
              value={draft.label}
              onChange={(e) => edit({ label: e.target.value })}
              placeholder="anon"
              aria-invalid={!!shown('label')}
              data-testid="redaction-form-label"
            />,
          )}
        {draft.kind === 'value' && (
          <label className="form-field form-check">
            <span className="form-label">Check</span>
            <span>
              <input type="checkbox" checked={draft.luhn} onChange={(e) => edit({ luhn: e.target.checked })} data-testid="redaction-form-luhn" /> only digits
              that pass the Luhn check (card numbers)
            </span>
          </label>
        )}
      </div>
      <p className="hint" data-testid="redaction-form-replacement">
        A match becomes <code className="mono">{replacementOf(rule)}</code>
        {rule.action === 'pseudonymise' ? ', a keyed hash: equal values stay equal, distinct ones distinct' : ''}. Rules apply to what is stored from now on and
        to exports, not to what is already stored.
      </p>
      {problems.form && (
        <div className="form-problem" role="alert">
          {problems.form}
        </div>
      )}
      <div className="toolbar">
        <button type="submit" className="primary-button" disabled={!valid || saving} data-testid="redaction-form-save-button">
          {saving ? 'Saving…' : 'Save rule'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        {unshown.length > 0 && <span className="hint small">Still needed: {unshown.join('; ')}</span>}
      </div>
      {saveError && <div className="error-banner">{saveError}</div>}
    </form>
  );
}
