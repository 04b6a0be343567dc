/**
 * The decode worker's one read-only connection to the store, opened on first use and shared by
 * what the worker reads per request (the redaction rules: decoder-redaction.ts; the ML
 * attribute mapping: decoder-ml-facts.ts). Null while the store cannot be read (not made yet):
 * the writer then does that work itself.
 */
import type { Db } from '../store/db.js';
import { openReader } from '../store/open-store.js';

export class DecoderStore {
  private db: Db | null = null;

  constructor(
    private readonly dbPath: string,
    private readonly nativeBinding: string | undefined,
  ) {}

  /** The connection, opened if need be; null when the store cannot be opened. */
  reader(): Db | null {
    if (!this.db) {
      try {
        this.db = openReader(this.dbPath, this.nativeBinding ? { nativeBinding: this.nativeBinding } : {});
      } catch {
        return null;
      }
    }
    return this.db;
  }

  /** Closes the connection (after a failed read; the next use opens it again). */
  close(): void {
    this.db?.close();
    this.db = null;
  }
}
