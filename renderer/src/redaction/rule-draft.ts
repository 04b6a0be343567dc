/**
 * A redaction rule as the form holds it (text as typed), the rule it describes, and what is
 * wrong with it: checked with the contract's own saveRedaction schema over the whole list, so
 * the form's verdict is the core's, plus the core's RE2 check of a value pattern.
 */
import { requestSchemas } from '../../../shared/api/contract.js';
import { DEFAULT_PSEUDONYM_LABEL, linearPatternMessage, type RedactionAction, type RedactionRule } from '../../../shared/model/redaction.js';
import { problemsUnder } from '../app/schema-problems.js';
import { linearPatternProblem } from './linear-pattern.js';

export interface RedactionDraft {
  name: string;
  kind: RedactionRule['kind'];
  pattern: string;
  /** Value rules: a match must also pass the Luhn check (card numbers). */
  luhn: boolean;
  action: RedactionAction;
  label: string;
}

export type DraftProblems = Partial<Record<keyof RedactionDraft | 'form', string>>;

export const EMPTY_REDACTION_DRAFT: RedactionDraft = { name: '', kind: 'value', pattern: '', luhn: false, action: 'replace', label: '' };

export function draftOfRule(r: RedactionRule): RedactionDraft {
  return { name: r.name, kind: r.kind, pattern: r.pattern, luhn: r.check === 'luhn', action: r.action ?? 'replace', label: r.label ?? '' };
}

/** The rule a draft describes; fields that do not apply to its kind or action are left out. */
export function ruleOfDraft(d: RedactionDraft): RedactionRule {
  const rule: RedactionRule = { name: d.name.trim(), kind: d.kind, pattern: d.pattern };
  if (d.kind === 'value' && d.luhn) rule.check = 'luhn';
  if (d.action === 'pseudonymise') {
    rule.action = 'pseudonymise';
    if (d.label.trim()) rule.label = d.label.trim();
  }
  return rule;
}

/** What a match becomes, as the redactor writes it. */
export function replacementOf(rule: RedactionRule): string {
  if (rule.action === 'pseudonymise') return `${rule.label ?? DEFAULT_PSEUDONYM_LABEL}:<12 hex digits>`;
  return rule.kind === 'key' ? '[REDACTED]' : `[REDACTED:${rule.name || '<name>'}]`;
}

const FIELD_OF: Record<string, keyof RedactionDraft | 'form'> = {
  name: 'name',
  kind: 'kind',
  pattern: 'pattern',
  check: 'luhn',
  action: 'action',
  label: 'label',
  '': 'form',
};

/**
 * The problems of `rule` (the one in the form) when it is saved with `others`. It is checked
 * last in the list, where the schema flags a repeated name (it flags the second of two).
 */
export function draftProblems(others: readonly RedactionRule[], rule: RedactionRule): DraftProblems {
  const problems: DraftProblems = {};
  const parsed = requestSchemas.saveRedaction.safeParse({ rules: [...others, rule] });
  if (!parsed.success) {
    for (const [field, message] of Object.entries(problemsUnder(parsed.error.issues, ['rules', others.length])))
      problems[FIELD_OF[field] ?? 'form'] ??= message;
  }
  if (rule.kind === 'value' && !problems.pattern && rule.pattern) {
    const engine = linearPatternProblem(rule.pattern);
    if (engine !== null) problems.pattern = linearPatternMessage(rule.name, engine);
  }
  return problems;
}
