/**
 * The redaction rules in the store's settings, the running counts, and the writer's side: it
 * adds the counts each batch carries in the batch's transaction, and redacts (as a safety net)
 * any batch handed to it that nobody redacted.
 */
import type { Db } from '../store/db.js';
import type { RedactionRule } from '../../../shared/model/redaction.js';
import type { DecodedBatch } from '../otlp/model.js';
import { checkRedactionRules, parseRedactionRules, REDACTION_RULES_KEY } from './redaction-rules.js';
import { BatchRedaction, settingsRulesReader } from './batch-redaction.js';
import { storePseudonymKey } from './pseudonym-key.js';

export { checkRedactionRules, parseRedactionRules, REDACTION_RULES_KEY, RedactionRuleError, redactionRulesProblem } from './redaction-rules.js';

export function readRedactionRules(db: Db): RedactionRule[] {
  return parseRedactionRules(settingsRulesReader(db)());
}

/** Saves the rules; throws RedactionRuleError (naming the rule) for a pattern RE2 cannot run. */
export function writeRedactionRules(db: Db, rules: RedactionRule[]): void {
  checkRedactionRules(rules);
  db.prepare('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    REDACTION_RULES_KEY,
    JSON.stringify(rules),
  );
}

export function readRedactionCounts(db: Db): Record<string, number> {
  const rows = db.prepare('SELECT rule, count FROM redaction_counts ORDER BY rule').all() as { rule: string; count: number }[];
  return Object.fromEntries(rows.map((r) => [r.rule, r.count]));
}

/** A BatchRedaction for a store connection (the import thread's, the writer's), with the store's pseudonym key. */
export function storeBatchRedaction(db: Db): BatchRedaction {
  return new BatchRedaction(settingsRulesReader(db), storePseudonymKey(db.name));
}

/** The writer's part: counts into `redaction_counts`, and redaction of batches that arrive unredacted. */
export class StoreRedactor {
  private readonly redaction: BatchRedaction;
  private readonly bump;

  constructor(db: Db) {
    this.redaction = storeBatchRedaction(db);
    this.bump = db.prepare('INSERT INTO redaction_counts(rule, count) VALUES (?, ?) ON CONFLICT(rule) DO UPDATE SET count = count + excluded.count');
  }

  /** The safety net for callers that build batches themselves (tests, remote pulls): the rules re-read once. */
  redactUnredacted(batches: DecodedBatch[]): void {
    if (batches.some((b) => !b.redacted)) this.redaction.redactAll(batches);
  }

  /** Adds the batches' counts to the store (inside the writer's transaction). */
  flushCounts(batches: DecodedBatch[]): void {
    const total = new Map<string, number>();
    for (const b of batches) for (const [rule, n] of Object.entries(b.redactionCounts ?? {})) total.set(rule, (total.get(rule) ?? 0) + n);
    for (const [rule, n] of total) this.bump.run(rule, n);
  }
}
