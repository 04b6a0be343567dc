/**
 * Redaction where batches are decoded, off the writer: the receivers' decode worker and the
 * import thread hold one of these. It keeps a Redactor for the rules in the store's settings,
 * rebuilt only when the saved text changes, and stamps each batch it redacts with `redacted`
 * and the per-rule counts, which the writer adds to `redaction_counts` in the batch's own
 * transaction. The writer's safety net (redaction-settings.ts) uses the same class for batches
 * nobody redacted.
 */
import type { DecodedBatch } from '../otlp/model.js';
import type { Db } from '../store/db.js';
import { parseRedactionRules, REDACTION_RULES_KEY } from './redaction-rules.js';
import { redactBatch } from './redact-batch.js';
import { Redactor } from './redactor.js';

export class BatchRedaction {
  private text: string | undefined | null = null;
  private redactor: Redactor | null = null;

  /** `readRulesText` returns the saved rules (JSON text) or undefined for the defaults. */
  constructor(
    private readonly readRulesText: () => string | undefined,
    private readonly pseudonymSecret: () => Buffer,
  ) {}

  /** Re-reads the saved rules (one indexed lookup); a new Redactor only when they changed. */
  refresh(): void {
    const text = this.readRulesText();
    if (text === this.text && this.redactor) return;
    this.redactor = new Redactor(parseRedactionRules(text), this.pseudonymSecret);
    this.text = text;
  }

  /** Redacts in place with the rules of the last refresh, then stamps the flag and the counts. */
  redact(batch: DecodedBatch): void {
    if (!this.redactor) this.refresh();
    const r = this.redactor!;
    try {
      redactBatch(batch, r);
    } catch (e) {
      r.take(); // counts of a half-done batch belong to nobody
      throw e;
    }
    const counts = r.take();
    if (counts.size > 0) {
      const into = (batch.redactionCounts ??= {});
      for (const [rule, n] of counts) into[rule] = (into[rule] ?? 0) + n;
    }
    batch.redacted = true;
  }

  /** Refreshes once, then redacts every batch (an import's transaction). */
  redactAll(batches: DecodedBatch[]): void {
    this.refresh();
    for (const b of batches) if (!b.redacted) this.redact(b);
  }
}

/** Reads the saved rules text from a store connection (prepared once). */
export function settingsRulesReader(db: Db): () => string | undefined {
  const read = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
  return () => read.get(REDACTION_RULES_KEY) as string | undefined;
}
