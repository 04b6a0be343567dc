/**
 * Chunk hashes for rows written before the writers kept them (a store from before schema 7, or
 * chunks completed by a connection that did not watch them: chunk-sealer.ts). A report on such a
 * store hashes those rows one by one, 48 s for a month of data; the live writer fills their hashes
 * in between batches, one chunk per call (about 0.2 s for 65,536 spans), like the attribute-Bloom
 * backfill.
 *
 * A chunk is sealed only while its last row ID is taken: no row can be added to it later (IDs go up
 * from the largest), and deleting any of its rows drops the hash again (migration 7's triggers).
 * Chunks whose last row is gone are left to be hashed from their rows.
 */
import type Database from 'better-sqlite3';
import type { Db } from './db.js';
import { CHUNK_IDS, CONTENT_SECTIONS, ChunkHashTable, chunkOf, type ContentSection } from './content-chunks.js';

interface SectionState {
  section: ContentSection;
  bounds: Database.Statement<unknown[]>;
  facts: Database.Statement<unknown[]>;
  /** Chunks below this one need nothing more. */
  doneBelow: number;
}

export class ChunkBackfill {
  private readonly sections: SectionState[];
  private readonly hashes: ChunkHashTable;

  constructor(private readonly db: Db) {
    this.sections = CONTENT_SECTIONS.map((section) => ({ section, bounds: db.prepare(section.bounds), facts: db.prepare(section.facts), doneBelow: 0 }));
    this.hashes = new ChunkHashTable(db);
  }

  /** Looks at every chunk again from the start (hashes dropped by edits since the last pass). */
  restart(): void {
    for (const s of this.sections) s.doneBelow = 0;
  }

  /** Seals the oldest chunk that has rows, its last row ID taken and no stored hash; false when there is none left. */
  sealOne(): boolean {
    return this.db
      .transaction(() => {
        for (const s of this.sections) {
          const { first, last } = s.bounds.get() as { first: number | null; last: number };
          if (first === null) continue;
          // Chunks below the first row have no rows; the chunk of the largest ID is still filling.
          const end = chunkOf(last + 1);
          for (let chunk = Math.max(s.doneBelow, chunkOf(first)); chunk < end; chunk++) {
            s.doneBelow = chunk + 1;
            if (this.hashes.has(s.section.section, chunk)) continue;
            const lastId = (chunk + 1) * CHUNK_IDS - 1;
            if (Number((s.facts.get(lastId, lastId + 1) as { rows: number | bigint }).rows) === 0) continue;
            if (this.hashes.sealFromRows(s.section, chunk)) return true;
          }
        }
        return false;
      })
      .immediate();
  }
}
