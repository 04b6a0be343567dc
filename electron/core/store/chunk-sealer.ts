/**
 * Stores the hash of each chunk of predictions, log records and metric points the writer fills
 * (content-chunks.ts), at the end of the write transaction in which the chunk's last row ID was
 * handed out: read back from the rows (about 2 µs a row, once per 65,536 rows; their lines have
 * REAL columns, which only SQLite prints as SQLite does, so they are not made from the values in
 * hand as span lines are).
 *
 * It seals only chunks filled while it watched: chunks completed before the writer opened (a
 * store from before schema 7) or by another connection meanwhile (a re-extraction that put the
 * predictions back under reused IDs) keep no stored hash, and a report hashes them from rows.
 */
import type Database from 'better-sqlite3';
import type { Db } from './db.js';
import { CONTENT_SECTIONS, ChunkHashTable, SECTION_SPANS, chunkOf, type ContentSection } from './content-chunks.js';

export class ChunkSealer {
  private readonly sections: { section: ContentSection; bounds: Database.Statement<unknown[]> }[];
  private readonly hashes: ChunkHashTable;
  /** Per section: chunks below this one were complete when last looked at. */
  private readonly completeBelow = new Map<number, number>();

  constructor(db: Db) {
    this.sections = CONTENT_SECTIONS.filter((s) => s.section !== SECTION_SPANS).map((section) => ({
      section,
      bounds: db.prepare(section.bounds),
    }));
    this.hashes = new ChunkHashTable(db);
  }

  /** At the start of a write transaction: where the sections stand, the first time it looks. */
  beginTransaction(): void {
    for (const { section, bounds } of this.sections) {
      if (!this.completeBelow.has(section.section)) this.completeBelow.set(section.section, this.completeChunks(bounds));
    }
  }

  /** Inside the write transaction, after its rows: hash the chunks that became complete. */
  sealCompleted(): void {
    for (const { section, bounds } of this.sections) {
      const complete = this.completeChunks(bounds);
      const from = this.completeBelow.get(section.section) ?? complete;
      for (let chunk = from; chunk < complete; chunk++) {
        if (!this.hashes.has(section.section, chunk)) this.hashes.sealFromRows(section, chunk);
      }
      this.completeBelow.set(section.section, complete);
    }
  }

  /** Chunks below this one are complete: their last row ID has been handed out. */
  private completeChunks(bounds: Database.Statement<unknown[]>): number {
    return chunkOf((bounds.get() as { last: number }).last + 1);
  }

  /** The transaction rolled back: look afresh next time. */
  reset(): void {
    this.completeBelow.clear();
  }
}
