/**
 * Fills in the attribute Bloom filter (attribute-bloom.ts) of traces stored before it existed
 * (NULL columns, found through a partial index that new traces never enter), a slice at a time
 * in IMMEDIATE transactions, so the writer can do it between batches and a second writer
 * (an import) can share the file. Until a trace is filled in, searches test it exactly.
 */
import type { Db } from './db.js';
import { addAttributes, bloomColumns, emptyBloom } from './attribute-bloom.js';

/** Fills up to `maxTraces` traces; returns how many (0: nothing left). */
export function backfillAttributeBlooms(db: Db, maxTraces = 500): number {
  const pick = db.prepare('SELECT trace_seq FROM traces WHERE attr_bloom_0 IS NULL ORDER BY trace_seq LIMIT ?').pluck();
  const spans = db.prepare('SELECT attributes FROM spans WHERE trace_seq = ?').pluck();
  const update = db.prepare('UPDATE traces SET attr_bloom_0 = ?, attr_bloom_1 = ?, attr_bloom_2 = ?, attr_bloom_3 = ? WHERE trace_seq = ?');
  return db
    .transaction(() => {
      const seqs = pick.all(maxTraces) as number[];
      for (const seq of seqs) {
        const bloom = emptyBloom();
        for (const attributes of spans.iterate(seq)) addAttributes(bloom, attributes as string);
        update.run(...bloomColumns(bloom), seq);
      }
      return seqs.length;
    })
    .immediate();
}
