/** How alert rules read in the UI: their condition, their values with units, their form checks. */
import type { AlertKind, AlertRule } from '../../../shared/model/alerts.js';

export const KIND_LABELS: Record<AlertKind, string> = {
  latency_p95: 'Latency p95',
  latency_p99: 'Latency p99',
  error_rate: 'Error rate',
  latency_anomaly: 'Latency anomaly',
  drift: 'Model drift',
};

/** What the threshold of each kind is measured in. */
export const THRESHOLD_UNITS: Record<AlertKind, string> = {
  latency_p95: 'ms',
  latency_p99: 'ms',
  error_rate: 'fraction of spans, 0–1',
  latency_anomaly: 'robust z of the median (3.5 is unusual)',
  drift: '× the drift threshold (1 = drifted)',
};

export function condition(r: AlertRule): string {
  const target = r.kind === 'drift' ? `model ${r.model}` : `${r.span ?? 'any span'}${r.service ? ` in ${r.service}` : ''}`;
  const unit = r.kind.startsWith('latency_p') ? ' ms' : '';
  return `${r.kind} of ${target} > ${r.threshold}${unit} over ${r.windowSeconds} s, for ${r.forSeconds} s`;
}

export function formatRuleValue(r: Pick<AlertRule, 'kind'>, v: number | null): string {
  if (v === null) return '—';
  if (r.kind.startsWith('latency_p')) return `${v.toFixed(1)} ms`;
  if (r.kind === 'error_rate') return `${(v * 100).toFixed(1)}%`;
  return v.toFixed(2);
}

export interface RuleDraft {
  name: string;
  kind: AlertKind;
  service: string;
  span: string;
  model: string;
  threshold: string;
  forSeconds: string;
  windowSeconds: string;
}

export const EMPTY_DRAFT: RuleDraft = {
  name: '',
  kind: 'latency_p95',
  service: '',
  span: '',
  model: '',
  threshold: '',
  forSeconds: '60',
  windowSeconds: '300',
};

export function draftOf(r: AlertRule): RuleDraft {
  return {
    name: r.name,
    kind: r.kind,
    service: r.service ?? '',
    span: r.span ?? '',
    model: r.model ?? '',
    threshold: String(r.threshold),
    forSeconds: String(r.forSeconds),
    windowSeconds: String(r.windowSeconds),
  };
}

/** The rule a draft describes, or the problem of each field that is not right. */
export function ruleOf(d: RuleDraft, otherNames: readonly string[]): { rule: AlertRule | null; problems: Partial<Record<keyof RuleDraft, string>> } {
  const problems: Partial<Record<keyof RuleDraft, string>> = {};
  const name = d.name.trim();
  if (!name) problems.name = 'a rule needs a name';
  else if (name.length > 100) problems.name = 'at most 100 characters';
  else if (otherNames.includes(name)) problems.name = 'another rule has this name';
  const threshold = Number(d.threshold);
  if (d.threshold.trim() === '' || !Number.isFinite(threshold)) problems.threshold = 'a number';
  else if (d.kind === 'error_rate' && (threshold < 0 || threshold > 1)) problems.threshold = 'a fraction between 0 and 1 (0.05 is 5%)';
  else if (d.kind.startsWith('latency_p') && threshold <= 0) problems.threshold = 'more than 0 ms';
  const forSeconds = Number(d.forSeconds);
  if (!Number.isFinite(forSeconds) || forSeconds < 0 || forSeconds > 86_400) problems.forSeconds = '0 to 86,400 seconds';
  const windowSeconds = Number(d.windowSeconds);
  if (!Number.isFinite(windowSeconds) || windowSeconds < 1 || windowSeconds > 86_400) problems.windowSeconds = '1 to 86,400 seconds';
  if (d.kind === 'drift' && !d.model.trim()) problems.model = 'a drift rule names its model';
  if (Object.keys(problems).length > 0) return { rule: null, problems };
  const rule: AlertRule = { name, kind: d.kind, threshold, forSeconds, windowSeconds };
  if (d.kind === 'drift') rule.model = d.model.trim();
  else {
    if (d.service) rule.service = d.service;
    if (d.span.trim()) rule.span = d.span.trim();
  }
  return { rule, problems };
}
