/**
 * The SHA-256 of the store's contents in a report's scope, so an auditor can tell whether the
 * data behind a report is the data still in the store. It covers every stored field of:
 *   1. each span that starts in the range (IDs, name, kind, times, status, attributes, events,
 *      links, and the fingerprints of its resource and scope),
 *   2. each prediction in the range (model, version, time, score, label, confidence, ID),
 *   3. each log record and 4. each metric point whose time is in the range,
 * all of the dataset in scope (or every dataset), one line per row with fields joined by '|'.
 *
 * Rows are hashed in chunks of row IDs (store/content-chunks.ts): the writer keeps each full
 * chunk's hash, so a report over a month reads a few hundred stored hashes and hashes from rows
 * (about 2 µs a row) only the chunks its range cuts through or that have no stored hash; it
 * runs on a second thread (report-side-thread.ts) while the report's analysis runs. `verify --db`
 * hashes every chunk from its rows, so a stored hash is never taken on trust when the store
 * itself is checked.
 */
import crypto from 'node:crypto';
import type { Db } from '../store/db.js';
import { CHUNK_IDS, CONTENT_SECTIONS, chunkOf, hashLines, type ContentSection } from '../store/content-chunks.js';

/** Recorded in a report's provenance beside the hash, and the hash's first line. */
export const STORE_HASH_FORMAT = 'sightline-store-content/2';

/**
 * SHA-256 (hex) over the spans, predictions, log records and metric points in [fromNs, toNs) of
 * the dataset (or all): section by section, one line per chunk with rows in scope (its number
 * and the hash of those rows' lines). With `storedChunkHashes`, a chunk wholly in scope whose
 * hash the writer stored is not read again; without it (verify --db), every chunk is hashed
 * from its rows.
 */
export function storeContentSha256(db: Db, fromNs: bigint, toNs: bigint, datasetId: number | undefined, storedChunkHashes = true): string {
  const hash = crypto.createHash('sha256');
  hash.update(`${STORE_HASH_FORMAT}\n`);
  // One read transaction: the bounds, the stored hashes and the rows from one snapshot.
  db.transaction(() => {
    for (const section of CONTENT_SECTIONS) {
      hash.update(`${section.name}\n`);
      for (const c of chunkHashes(db, section, fromNs, toNs, datasetId, storedChunkHashes)) hash.update(`${c.chunk} ${c.sha256}\n`);
    }
  })();
  return hash.digest('hex');
}

interface StoredChunk {
  chunk: bigint;
  dataset_id: bigint | null;
  min_time_unix_nano: bigint;
  max_time_unix_nano: bigint;
  sha256: string;
}

/** Each chunk of a section with rows in scope, in order, and the SHA-256 of those rows' lines. */
function* chunkHashes(
  db: Db,
  section: ContentSection,
  fromNs: bigint,
  toNs: bigint,
  datasetId: number | undefined,
  storedChunkHashes: boolean,
): Generator<{ chunk: number; sha256: string }> {
  const bounds = db.prepare(section.bounds).get() as { first: number | null; last: number };
  if (bounds.first === null) return;
  const stored = new Map<number, StoredChunk>();
  if (storedChunkHashes) {
    const rows = db
      .prepare('SELECT chunk, dataset_id, min_time_unix_nano, max_time_unix_nano, sha256 FROM chunk_hashes WHERE section = ?')
      .safeIntegers(true)
      .all(section.section) as StoredChunk[];
    for (const r of rows) stored.set(Number(r.chunk), r);
  }
  const dataset = datasetId === undefined ? null : BigInt(datasetId);
  const lines = db.prepare(section.lines).pluck();
  for (let chunk = chunkOf(bounds.first); chunk <= chunkOf(bounds.last); chunk++) {
    const s = stored.get(chunk);
    if (s) {
      const otherDataset = dataset !== null && s.dataset_id !== dataset;
      if (s.max_time_unix_nano < fromNs || s.min_time_unix_nano >= toNs || (otherDataset && s.dataset_id !== null)) continue;
      if (s.min_time_unix_nano >= fromNs && s.max_time_unix_nano < toNs && !otherDataset) {
        yield { chunk, sha256: s.sha256 };
        continue;
      }
    }
    const h = crypto.createHash('sha256');
    const rows = hashLines(h, lines.iterate(chunk * CHUNK_IDS, (chunk + 1) * CHUNK_IDS, fromNs, toNs, dataset, dataset));
    if (rows > 0) yield { chunk, sha256: h.digest('hex') };
  }
}
