/** The redaction rules in the store's settings (defaults when none are saved) and the running counts. */
import type { Db } from '../store/db.js';
import { DEFAULT_REDACTION_RULES, type RedactionRule } from '../../../shared/model/redaction.js';
import { redactionRulesSchema } from '../../../shared/api/contract.js';
import { Redactor } from './redactor.js';

export const REDACTION_RULES_KEY = 'redaction.rules';

export function parseRedactionRules(text: string | undefined): RedactionRule[] {
  if (!text) return DEFAULT_REDACTION_RULES;
  try {
    const r = redactionRulesSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : DEFAULT_REDACTION_RULES;
  } catch {
    return DEFAULT_REDACTION_RULES;
  }
}

export function readRedactionRules(db: Db): RedactionRule[] {
  return parseRedactionRules(db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(REDACTION_RULES_KEY) as string | undefined);
}

export function writeRedactionRules(db: Db, rules: RedactionRule[]): void {
  db.prepare('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(REDACTION_RULES_KEY, JSON.stringify(rules));
}

export function readRedactionCounts(db: Db): Record<string, number> {
  const rows = db.prepare('SELECT rule, count FROM redaction_counts ORDER BY rule').all() as { rule: string; count: number }[];
  return Object.fromEntries(rows.map((r) => [r.rule, r.count]));
}

/** The writer's redactor, re-read when the rules in settings change (one lookup per transaction). */
export class StoreRedactor {
  private text: string | undefined | null = null;
  redactor: Redactor = new Redactor(DEFAULT_REDACTION_RULES);
  private readonly read;
  private readonly bump;

  constructor(db: Db) {
    this.read = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
    this.bump = db.prepare('INSERT INTO redaction_counts(rule, count) VALUES (?, ?) ON CONFLICT(rule) DO UPDATE SET count = count + excluded.count');
  }

  refresh(): void {
    const text = this.read.get(REDACTION_RULES_KEY) as string | undefined;
    if (text === this.text) return;
    this.text = text;
    this.redactor = new Redactor(parseRedactionRules(text));
  }

  /** Adds this transaction's counts to the store. */
  flushCounts(): void {
    for (const [rule, n] of this.redactor.take()) this.bump.run(rule, n);
  }
}
