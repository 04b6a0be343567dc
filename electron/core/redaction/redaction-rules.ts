/**
 * The redaction rules as saved in the store's settings: parsing (defaults when none are saved or
 * the saved text is unusable) and the check made before saving, which refuses a value pattern
 * the linear-time engine cannot run and names the rule.
 */
import { DEFAULT_REDACTION_RULES, linearPatternMessage, type RedactionRule } from '../../../shared/model/redaction.js';
import { redactionRulesSchema } from '../../../shared/api/contract.js';
import { linearPatternProblem } from './linear-pattern.js';

export const REDACTION_RULES_KEY = 'redaction.rules';

export class RedactionRuleError extends Error {
  override name = 'RedactionRuleError';
}

/** Why these rules cannot be saved (the first value pattern RE2 cannot compile, by rule name), or null. */
export function redactionRulesProblem(rules: RedactionRule[]): string | null {
  for (const r of rules) {
    if (r.kind !== 'value') continue;
    const problem = linearPatternProblem(r.pattern);
    if (problem !== null) return linearPatternMessage(r.name, problem);
  }
  return null;
}

/** Throws RedactionRuleError when `redactionRulesProblem` finds one. */
export function checkRedactionRules(rules: RedactionRule[]): void {
  const problem = redactionRulesProblem(rules);
  if (problem !== null) throw new RedactionRuleError(problem);
}

/**
 * The saved rules, or the defaults when none are saved. Text that no longer passes (edited by
 * hand, or saved by a version that ran patterns RE2 cannot) also gives the defaults, so a
 * backtracking pattern never runs.
 */
export function parseRedactionRules(text: string | undefined): RedactionRule[] {
  if (!text) return DEFAULT_REDACTION_RULES;
  try {
    const r = redactionRulesSchema.safeParse(JSON.parse(text));
    if (!r.success) return DEFAULT_REDACTION_RULES;
    checkRedactionRules(r.data);
    return r.data;
  } catch {
    return DEFAULT_REDACTION_RULES;
  }
}
