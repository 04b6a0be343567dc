/**
 * The store's content in chunks, for the store hash a report carries (reports/store-hash.ts).
 * Each of the four kinds of rows a report covers (a section: spans, predictions, log records,
 * metric points) is cut into chunks of 65,536 row IDs (chunk k holds the rows with id >> 16 =
 * k), and a chunk's hash is the SHA-256 of its rows' lines in row order: every stored field,
 * joined by '|'. The writer stores the hash of each chunk it fills (`chunk_hashes`, migration 7):
 * spans as it inserts them (span-content-hasher.ts), the others from their rows once the chunk's
 * last ID is handed out (chunk-sealer.ts). A report takes the stored hash of each chunk wholly
 * inside its scope and hashes from rows only the chunks its scope cuts through or that have no
 * stored hash, so a month of data costs a few hundred stored hashes instead of millions of lines.
 */
import crypto from 'node:crypto';
import type { Db } from './db.js';
import { sql, type SqlText } from './sql-text.js';
import { SPAN_CONTENT_LINE_SQL } from './span-content.js';

export const CHUNK_ID_BITS = 16;
export const CHUNK_IDS = 2 ** CHUNK_ID_BITS;

export function chunkOf(rowId: number): number {
  return Math.floor(rowId / CHUNK_IDS);
}

export const SECTION_SPANS = 1;

export interface ContentSection {
  /** chunk_hashes.section */
  section: number;
  name: string;
  /** The lines of one chunk's rows in scope, in row order. Parameters: first and end row ID, time from and to, the dataset twice (NULL: any). */
  lines: SqlText;
  /** ChunkFacts of the rows with first ≤ id < end. */
  facts: SqlText;
  /** The section's largest row ID (0 when empty) and its smallest (NULL when empty); one subquery each, as SQLite finds a lone min() or max() in the index but scans the table for both at once. */
  bounds: SqlText;
}

const PREDICTION_LINE = sql`model_name || '|' || model_version || '|' || time_unix_nano || '|' || ifnull(score, '') || '|' || ifnull(label, '')
  || '|' || ifnull(confidence, '') || '|' || ifnull(prediction_id, '') || char(10)`;

const LOG_LINE = sql`l.time_unix_nano || '|' || l.observed_time_unix_nano || '|' || l.severity_number || '|' || l.severity_text || '|' || l.body
  || '|' || l.attributes || '|' || ifnull(hex(l.trace_id), '') || '|' || ifnull(hex(l.span_id), '') || '|' || l.event_name || '|' || r.fingerprint || char(10)`;

const POINT_LINE = sql`m.fingerprint || '|' || r.fingerprint || '|' || p.start_time_unix_nano || '|' || p.time_unix_nano || '|' || p.attributes || '|' || p.flags
  || '|' || ifnull(p.value_double, '') || '|' || ifnull(p.value_int, '') || '|' || ifnull(p.count, '') || '|' || ifnull(p.sum, '')
  || '|' || ifnull(p.min, '') || '|' || ifnull(p.max, '') || '|' || ifnull(p.buckets, '') || char(10)`;

const FACTS = sql`count(*) AS rows, min(time) AS minTime, max(time) AS maxTime, min(dataset) AS minDataset, max(dataset) AS maxDataset, count(dataset) AS withDataset`;

export const CONTENT_SECTIONS: readonly ContentSection[] = [
  {
    section: SECTION_SPANS,
    name: 'spans',
    lines: sql`SELECT ${SPAN_CONTENT_LINE_SQL}
      FROM spans s JOIN resources r ON r.id = s.resource_id JOIN scopes sc ON sc.id = s.scope_id
      WHERE s.id >= ? AND s.id < ? AND s.start_time_unix_nano >= ? AND s.start_time_unix_nano < ?
        AND (? IS NULL OR (SELECT t.dataset_id FROM traces t WHERE t.trace_seq = s.trace_seq) = ?)
      ORDER BY s.id`,
    facts: sql`SELECT ${FACTS} FROM (SELECT s.start_time_unix_nano AS time, (SELECT t.dataset_id FROM traces t WHERE t.trace_seq = s.trace_seq) AS dataset
      FROM spans s WHERE s.id >= ? AND s.id < ?)`,
    bounds: sql`SELECT (SELECT ifnull(max(id), 0) FROM spans) AS last, (SELECT min(id) FROM spans) AS first`,
  },
  {
    section: 2,
    name: 'predictions',
    lines: sql`SELECT ${PREDICTION_LINE} FROM predictions
      WHERE id >= ? AND id < ? AND time_unix_nano >= ? AND time_unix_nano < ? AND (? IS NULL OR dataset_id = ?) ORDER BY id`,
    facts: sql`SELECT ${FACTS} FROM (SELECT time_unix_nano AS time, dataset_id AS dataset FROM predictions WHERE id >= ? AND id < ?)`,
    bounds: sql`SELECT (SELECT ifnull(max(id), 0) FROM predictions) AS last, (SELECT min(id) FROM predictions) AS first`,
  },
  {
    section: 3,
    name: 'log records',
    lines: sql`SELECT ${LOG_LINE} FROM log_records l JOIN resources r ON r.id = l.resource_id
      WHERE l.id >= ? AND l.id < ? AND l.time_unix_nano >= ? AND l.time_unix_nano < ? AND (? IS NULL OR r.dataset_id = ?) ORDER BY l.id`,
    facts: sql`SELECT ${FACTS} FROM (SELECT l.time_unix_nano AS time, r.dataset_id AS dataset
      FROM log_records l JOIN resources r ON r.id = l.resource_id WHERE l.id >= ? AND l.id < ?)`,
    bounds: sql`SELECT (SELECT ifnull(max(id), 0) FROM log_records) AS last, (SELECT min(id) FROM log_records) AS first`,
  },
  {
    section: 4,
    name: 'metric points',
    lines: sql`SELECT ${POINT_LINE} FROM metric_points p JOIN resources r ON r.id = p.resource_id JOIN metrics m ON m.id = p.metric_id
      WHERE p.id >= ? AND p.id < ? AND p.time_unix_nano >= ? AND p.time_unix_nano < ? AND (? IS NULL OR r.dataset_id = ?) ORDER BY p.id`,
    facts: sql`SELECT ${FACTS} FROM (SELECT p.time_unix_nano AS time, r.dataset_id AS dataset
      FROM metric_points p JOIN resources r ON r.id = p.resource_id WHERE p.id >= ? AND p.id < ?)`,
    bounds: sql`SELECT (SELECT ifnull(max(id), 0) FROM metric_points) AS last, (SELECT min(id) FROM metric_points) AS first`,
  },
];

/** Every time there is (the widest scope). */
export const ANY_TIME_NS: readonly [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];

/** Lines joined before each hash update: one call per line costs a third more. */
export const LINES_PER_UPDATE = 256;

/** Feeds lines to a hash LINES_PER_UPDATE at a time; returns how many there were. */
export function hashLines(hash: crypto.Hash, lines: Iterable<unknown>): number {
  let pending: string[] = [];
  let n = 0;
  for (const line of lines) {
    pending.push(line as string);
    n++;
    if (pending.length === LINES_PER_UPDATE) {
      hash.update(pending.join(''));
      pending = [];
    }
  }
  if (pending.length) hash.update(pending.join(''));
  return n;
}

export interface ChunkFacts {
  rows: number;
  minTime: bigint | null;
  maxTime: bigint | null;
  minDataset: bigint | null;
  maxDataset: bigint | null;
  /** Rows whose dataset is known (a span's trace row may be missing). */
  withDataset: bigint;
}

/** The one dataset every row of the chunk belongs to, or null (several, or some unknown). */
export function datasetOfChunk(f: ChunkFacts): number | null {
  return f.minDataset !== null && f.minDataset === f.maxDataset && f.withDataset === BigInt(f.rows) ? Number(f.minDataset) : null;
}

/** A chunk's facts, and its hash over every row, from the rows (for the sealer and for tests). */
export function chunkFromRows(db: Db, s: ContentSection, chunk: number): { facts: ChunkFacts; sha256: string } {
  const first = chunk * CHUNK_IDS;
  const facts = db
    .prepare(s.facts)
    .safeIntegers(true)
    .get(first, first + CHUNK_IDS) as Omit<ChunkFacts, 'rows'> & { rows: bigint };
  const hash = crypto.createHash('sha256');
  hashLines(
    hash,
    db
      .prepare(s.lines)
      .pluck()
      .iterate(first, first + CHUNK_IDS, ANY_TIME_NS[0], ANY_TIME_NS[1], null, null),
  );
  return { facts: { ...facts, rows: Number(facts.rows) }, sha256: hash.digest('hex') };
}

/** The chunk_hashes table as the writers use it: whether a chunk has a stored hash, and storing one. */
export class ChunkHashTable {
  private readonly hasStmt;
  private readonly putStmt;

  constructor(private readonly db: Db) {
    this.hasStmt = db.prepare('SELECT 1 FROM chunk_hashes WHERE section = ? AND chunk = ?');
    this.putStmt = db.prepare(
      'INSERT OR REPLACE INTO chunk_hashes(section, chunk, rows, dataset_id, min_time_unix_nano, max_time_unix_nano, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  has(section: number, chunk: number): boolean {
    return this.hasStmt.get(section, chunk) !== undefined;
  }

  put(section: number, chunk: number, rows: number, datasetId: number | null, minTime: bigint | null, maxTime: bigint | null, sha256: string): void {
    this.putStmt.run(section, chunk, rows, datasetId, minTime, maxTime, sha256);
  }

  /** Hashes chunk `chunk` of `s` from its rows and stores the hash; false when the chunk has no rows. */
  sealFromRows(s: ContentSection, chunk: number): boolean {
    const { facts, sha256 } = chunkFromRows(this.db, s, chunk);
    if (facts.rows === 0) return false;
    this.put(s.section, chunk, facts.rows, datasetOfChunk(facts), facts.minTime, facts.maxTime, sha256);
    return true;
  }
}
