/**
 * The decode worker's redaction: the worker's read-only connection to the store
 * (decoder-store.ts), and the rules row re-read once per request (one indexed lookup, a few microseconds), so
 * a request sent after the rules were saved is redacted with them, whichever process saved
 * them. Pushing changes from the main thread would save that lookup but miss rules saved by
 * another process on the same store. While the store cannot be read (not made yet), batches go
 * on unredacted and the writer redacts them (its safety net).
 */
import type { Db } from '../store/db.js';
import type { DecoderStore } from './decoder-store.js';
import { BatchRedaction, settingsRulesReader } from '../redaction/batch-redaction.js';
import { storePseudonymKey } from '../redaction/pseudonym-key.js';
import type { DecodedBatch } from '../otlp/model.js';

export class DecoderRedaction {
  private redaction: { db: Db; batches: BatchRedaction } | null = null;

  constructor(private readonly store: DecoderStore) {}

  /** The rules in force now, or null while the store cannot be read. */
  forRequest(): ((batch: DecodedBatch) => void) | null {
    try {
      const db = this.store.reader();
      if (!db) return null;
      if (this.redaction?.db !== db) this.redaction = { db, batches: new BatchRedaction(settingsRulesReader(db), storePseudonymKey(db.name)) };
      this.redaction.batches.refresh();
    } catch {
      this.close();
      return null;
    }
    const r = this.redaction.batches;
    return (batch) => {
      try {
        r.redact(batch);
      } catch {
        // Left unredacted (no flag): the writer tries again, and refuses the request if it fails too.
      }
    };
  }

  close(): void {
    this.store.close();
    this.redaction = null;
  }
}
