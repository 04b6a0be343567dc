/** Alert rules and redaction rules: kept in the store, applied by the core. */
import { z } from 'zod';
import { ALERT_KINDS } from '../../model/alerts.js';
import { datasetId } from './common.js';

/** One alert rule (see shared/model/alerts.ts). */
export const alertRuleSchema = z
  .object({
    name: z.string().min(1).max(100),
    kind: z.enum(ALERT_KINDS),
    service: z.string().min(1).optional(),
    span: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    threshold: z.number().finite(),
    forSeconds: z.number().min(0).max(86_400).default(0),
    windowSeconds: z.number().min(1).max(86_400).default(300),
  })
  .strict()
  .refine((r) => r.kind !== 'drift' || r.model !== undefined, 'a drift rule names its model')
  .refine((r) => r.kind !== 'error_rate' || (r.threshold >= 0 && r.threshold <= 1), 'an error_rate threshold is a fraction between 0 and 1');

/**
 * One redaction rule (see shared/model/redaction.ts). A value pattern must compile here; the
 * core also refuses, when rules are saved, a pattern its linear-time engine (RE2) cannot run
 * (backreferences, lookaround), naming the rule. The messages are written for people: the
 * Settings form shows them at the field, the core in its answer.
 */
export const redactionRuleSchema = z
  .object({
    name: z.string().min(1, 'a rule needs a name').max(100, 'a rule name is at most 100 characters'),
    kind: z.enum(['key', 'value']),
    pattern: z.string().min(1, 'a rule needs a pattern').max(500, 'a pattern is at most 500 characters'),
    check: z.enum(['luhn']).optional(),
    action: z.enum(['replace', 'pseudonymise']).optional(),
    label: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,15}$/, 'a pseudonym label is 1-16 lower-case letters, digits, _ or -, starting with a letter')
      .optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.kind === 'key') return;
    try {
      new RegExp(r.pattern, 'g');
    } catch (e) {
      ctx.addIssue({
        code: 'custom',
        path: ['pattern'],
        message: `rule "${r.name}": the value pattern must be a valid regular expression (${(e as Error).message})`,
      });
    }
  });

export const redactionRulesSchema = z.array(redactionRuleSchema).max(100, 'at most 100 redaction rules');

/** Said of a rule whose name another rule has (counts and reports name rules). */
export const DUPLICATE_RULE_NAME = 'another rule has this name';

export const settingsSchemas = {
  /** Alert rules with their current state, and the history of changes (newest first). */
  listAlerts: z.object({}).strict(),
  /**
   * What a rule would have done on a dataset's stored data (default live): its value over
   * time through the same state machine as the live rules, the periods it would have fired.
   */
  previewAlertRule: z.object({ rule: alertRuleSchema, datasetId: datasetId.optional() }).strict(),
  /** Replaces all alert rules (the rules file); unchanged rules keep their state. */
  saveAlertRules: z
    .object({ rules: z.array(alertRuleSchema).max(200) })
    .strict()
    .refine((r) => new Set(r.rules.map((x) => x.name)).size === r.rules.length, 'rule names must be unique'),
  /** The redaction rules in force and how often each fired. */
  getRedaction: z.object({}).strict(),
  /** Replaces the redaction rules (applied to everything stored from then on, and at export). */
  saveRedaction: z
    .object({ rules: redactionRulesSchema })
    .strict()
    .superRefine((r, ctx) => {
      const seen = new Set<string>();
      r.rules.forEach((rule, i) => {
        if (seen.has(rule.name)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'name'], message: `${DUPLICATE_RULE_NAME} ("${rule.name}")` });
        seen.add(rule.name);
      });
    }),
};
