/**
 * A rule as a form: each field checked as it is typed (the reason beside it), the threshold's
 * unit named for the kind, and a preview of what the rule would have done on a dataset's
 * stored data before it is saved.
 */
import { useState } from 'react';
import { useApi } from '../app/ApiContext.js';
import { useQuery } from '../app/use-query.js';
import { ALERT_KINDS, type AlertKind, type AlertRule } from '../../../shared/model/alerts.js';
import type { AlertPreview } from '../../../shared/model/alert-preview.js';
import { EMPTY_DRAFT, KIND_LABELS, ruleOf, THRESHOLD_UNITS, type RuleDraft } from './rule-text.js';
import { AlertPreviewChart } from './AlertPreviewChart.js';

export function AlertRuleForm({
  initial,
  otherNames,
  onSave,
  onCancel,
}: {
  initial: RuleDraft;
  otherNames: readonly string[];
  onSave: (rule: AlertRule) => Promise<void>;
  onCancel: () => void;
}) {
  const api = useApi();
  const [draft, setDraft] = useState<RuleDraft>(initial);
  const [touched, setTouched] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const datasets = useQuery('datasets', () => api.listDatasets({})).data ?? [];
  const withTraces = datasets.filter((d) => d.traces > 0);
  const [previewDataset, setPreviewDataset] = useState<number | null>(null);
  const datasetId = previewDataset ?? withTraces[0]?.id ?? 1;
  const services = useQuery(`services/${datasetId}`, () => api.listServices({ datasetId })).data ?? [];
  const [preview, setPreview] = useState<{ rule: AlertRule; result: AlertPreview } | { error: string } | 'running' | null>(null);
  const { rule, problems } = ruleOf(draft, otherNames);
  const set =
    (k: keyof RuleDraft) =>
    (e: { target: { value: string } }): void => {
      setDraft({ ...draft, [k]: e.target.value });
      setPreview(null);
    };
  const problem = (k: keyof RuleDraft): string | undefined => (touched || draft[k] !== EMPTY_DRAFT[k] ? problems[k] : undefined);
  const field = (k: keyof RuleDraft, label: string, input: React.ReactNode, hint?: string) => (
    <label className="form-field">
      <span className="form-label">{label}</span>
      {input}
      {problem(k) ? (
        <span className="form-problem" role="alert" data-testid={`alerts-form-problem-${k}`}>
          {problem(k)}
        </span>
      ) : hint ? (
        <span className="hint small">{hint}</span>
      ) : null}
    </label>
  );
  const runPreview = (): void => {
    setTouched(true);
    if (!rule) return;
    setPreview('running');
    api.previewAlertRule({ rule, datasetId }).then(
      (result) => setPreview({ rule, result }),
      (e: Error) => setPreview({ error: e.message }),
    );
  };
  const save = (): void => {
    setTouched(true);
    if (!rule) return;
    onSave(rule).then(
      () => setSaveError(null),
      (e: Error) => setSaveError(e.message),
    );
  };
  return (
    <form
      className="rule-form"
      data-testid="alerts-rule-form"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="form-grid">
        {field('name', 'Name', <input value={draft.name} onChange={set('name')} data-testid="alerts-form-name" />)}
        {field(
          'kind',
          'Watch',
          <select
            value={draft.kind}
            onChange={(e) => (setDraft({ ...draft, kind: e.target.value as AlertKind }), setPreview(null))}
            data-testid="alerts-form-kind"
          >
            {ALERT_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>,
        )}
        {draft.kind === 'drift'
          ? field('model', 'Model', <input value={draft.model} onChange={set('model')} data-testid="alerts-form-model" />)
          : [
              <span key="service">
                {field(
                  'service',
                  'Service',
                  <select value={draft.service} onChange={set('service')} data-testid="alerts-form-service">
                    <option value="">any service</option>
                    {[...new Set([...services, ...(draft.service ? [draft.service] : [])])].map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>,
                )}
              </span>,
              <span key="span">
                {field('span', 'Span name', <input value={draft.span} onChange={set('span')} placeholder="any span" data-testid="alerts-form-span" />)}
              </span>,
            ]}
        {field(
          'threshold',
          'Fires above',
          <input value={draft.threshold} onChange={set('threshold')} inputMode="decimal" data-testid="alerts-form-threshold" />,
          THRESHOLD_UNITS[draft.kind],
        )}
        {field(
          'windowSeconds',
          'Over the last (s)',
          <input value={draft.windowSeconds} onChange={set('windowSeconds')} inputMode="numeric" data-testid="alerts-form-window" />,
        )}
        {field(
          'forSeconds',
          'For at least (s)',
          <input value={draft.forSeconds} onChange={set('forSeconds')} inputMode="numeric" data-testid="alerts-form-for" />,
        )}
      </div>
      <div className="toolbar">
        <label>
          Preview on{' '}
          <select value={datasetId} onChange={(e) => (setPreviewDataset(Number(e.target.value)), setPreview(null))} data-testid="alerts-form-preview-dataset">
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={runPreview} disabled={preview === 'running'} data-testid="alerts-form-preview-button">
          {preview === 'running' ? 'Replaying the stored data…' : 'Preview'}
        </button>
        <button type="submit" className="primary-button" data-testid="alerts-form-save-button">
          Save rule
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {saveError && <div className="error-banner">{saveError}</div>}
      {preview &&
        preview !== 'running' &&
        ('error' in preview ? <div className="error-banner">{preview.error}</div> : <AlertPreviewChart preview={preview.result} rule={preview.rule} />)}
    </form>
  );
}
