/**
 * The decode worker's redaction: its own read-only connection to the store, opened on first
 * use, and the rules row re-read once per request (one indexed lookup, a few microseconds), so
 * a request sent after the rules were saved is redacted with them, whichever process saved
 * them. Pushing changes from the main thread would save that lookup but miss rules saved by
 * another process on the same store. While the store cannot be read (not made yet), batches go
 * on unredacted and the writer redacts them (its safety net).
 */
import type { Db } from '../store/db.js';
import { openReader } from '../store/open-store.js';
import { BatchRedaction, settingsRulesReader } from '../redaction/batch-redaction.js';
import { storePseudonymKey } from '../redaction/pseudonym-key.js';
import type { DecodedBatch } from '../otlp/model.js';

export class DecoderRedaction {
  private db: Db | null = null;
  private redaction: BatchRedaction | null = null;

  constructor(
    private readonly dbPath: string,
    private readonly nativeBinding: string | undefined,
  ) {}

  /** The rules in force now, or null while the store cannot be read. */
  forRequest(): ((batch: DecodedBatch) => void) | null {
    try {
      if (!this.redaction) {
        this.db = openReader(this.dbPath, this.nativeBinding ? { nativeBinding: this.nativeBinding } : {});
        this.redaction = new BatchRedaction(settingsRulesReader(this.db), storePseudonymKey(this.dbPath));
      }
      this.redaction.refresh();
    } catch {
      this.close();
      return null;
    }
    const r = this.redaction;
    return (batch) => {
      try {
        r.redact(batch);
      } catch {
        // Left unredacted (no flag): the writer tries again, and refuses the request if it fails too.
      }
    };
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.redaction = null;
  }
}
