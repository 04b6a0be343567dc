/**
 * The writer's side of the span chunk hashes (content-chunks.ts): it hashes each span's line as
 * the row is inserted (span-content.ts) and, when the last row ID of a chunk has been handed
 * out, stores the chunk's SHA-256 in the same transaction. A report then reads ten million
 * spans' worth of hashes as 153 rows.
 *
 * Its running hash covers the newest chunk's rows up to the last one inserted. At the start of
 * each write transaction it checks that against the store:
 *   - rows another writer appended since (an import beside the live writer) are hashed from the
 *     store and the running hash goes on; if they are more than a chunk, it starts afresh;
 *   - a span rewritten (span_changes.rewrites), or a delete that took rows of the running chunk,
 *     makes it re-read the chunk's rows from the store (≤ 65,536, about 0.16 s), as does the first
 *     write after the writer opens or after a rolled-back transaction.
 * A line the JavaScript side cannot promise to make exactly as SQLite does (text with a lone
 * surrogate, an integer beyond 2^53) is read back from the row just inserted instead.
 */
import crypto from 'node:crypto';
import type { Db } from './db.js';
import type { SpanRecord } from '../otlp/model.js';
import { writeSpanContent } from './span-content.js';
import { HashedBytes } from './hashed-bytes.js';
import { hasLoneSurrogate } from './read-back-text.js';
import {
  ANY_TIME_NS,
  CHUNK_IDS,
  CONTENT_SECTIONS,
  ChunkHashTable,
  SECTION_SPANS,
  chunkOf,
  datasetOfChunk,
  hashLines,
  type ChunkFacts,
} from './content-chunks.js';

const SPANS = CONTENT_SECTIONS.find((s) => s.section === SECTION_SPANS)!;

interface RunningChunk {
  chunk: number;
  /** The row ID the next inserted span must have. */
  nextId: number;
  hash: crypto.Hash;
  /** Lines on their way into `hash`. */
  bytes: HashedBytes;
  rows: number;
  /** Every row's dataset, null once two differ (or one is unknown), undefined before the first row. */
  datasetId: number | null | undefined;
  minStart: bigint;
  maxStart: bigint;
}

export class SpanContentHasher {
  private running: RunningChunk | null = null;
  private deletesSeen = -1;
  private rewritesSeen = -1;
  private readonly stmt;
  private readonly hashes: ChunkHashTable;

  constructor(db: Db) {
    this.hashes = new ChunkHashTable(db);
    this.stmt = {
      maxId: db.prepare('SELECT ifnull(max(id), 0) FROM spans').pluck(),
      changes: db.prepare('SELECT deletes, rewrites FROM span_changes WHERE id = 1'),
      rowsIn: db.prepare('SELECT count(*) FROM spans WHERE id >= ? AND id < ?').pluck(),
      lines: db.prepare(SPANS.lines).pluck(),
      facts: db.prepare(SPANS.facts).safeIntegers(true),
    };
  }

  /** At the start of each write transaction: bring the running hash level with the store. */
  beginTransaction(): void {
    const maxId = this.stmt.maxId.get() as number;
    const { deletes, rewrites } = this.stmt.changes.get() as { deletes: number; rewrites: number };
    let r = this.running;
    if (r && rewrites !== this.rewritesSeen) r = null;
    if (r && (r.nextId > maxId + 1 || maxId + 1 - r.nextId > CHUNK_IDS)) r = null;
    if (r && deletes !== this.deletesSeen && (this.stmt.rowsIn.get(r.chunk * CHUNK_IDS, r.nextId) as number) !== r.rows) r = null;
    this.deletesSeen = deletes;
    this.rewritesSeen = rewrites;
    if (r) this.running = this.catchUp(r, maxId + 1);
    else {
      const chunk = chunkOf(maxId + 1);
      this.running = this.catchUp(fresh(chunk, chunk * CHUNK_IDS), maxId + 1);
    }
  }

  /** A span was inserted as row `rowId` of dataset `datasetId`. */
  onSpan(rowId: number, datasetId: number, span: SpanRecord, resourceFingerprint: string, scopeFingerprint: string): void {
    const r = this.running;
    if (!r) return;
    if (rowId !== r.nextId) {
      this.running = null; // not the row expected (an ID given explicitly): re-read at the next transaction
      return;
    }
    if (sameInJs(span)) writeSpanContent(r.bytes, span, resourceFingerprint, scopeFingerprint);
    else r.bytes.text(this.lineOfRow(rowId));
    note(r, 1, span.startTimeUnixNano, span.startTimeUnixNano, datasetId);
    r.nextId++;
    if (r.nextId === (r.chunk + 1) * CHUNK_IDS) this.running = this.complete(r);
  }

  /** The transaction rolled back: what was hashed may not be in the store. */
  reset(): void {
    this.running = null;
  }

  /** Hashes the store's rows in [r.nextId, endId) into the running hash, storing each chunk it completes. */
  private catchUp(start: RunningChunk, endId: number): RunningChunk {
    let r = start;
    while (r.nextId < endId) {
      const to = Math.min(endId, (r.chunk + 1) * CHUNK_IDS);
      const f = this.stmt.facts.get(r.nextId, to) as Omit<ChunkFacts, 'rows'> & { rows: bigint };
      const rows = Number(f.rows);
      if (rows > 0) {
        flush(r);
        hashLines(r.hash, this.stmt.lines.iterate(r.nextId, to, ANY_TIME_NS[0], ANY_TIME_NS[1], null, null));
        note(r, rows, f.minTime!, f.maxTime!, datasetOfChunk({ ...f, rows }));
      }
      r.nextId = to;
      if (to === (r.chunk + 1) * CHUNK_IDS) r = this.complete(r);
    }
    return r;
  }

  /** Stores a full chunk's hash; returns the running hash of the next chunk. */
  private complete(r: RunningChunk): RunningChunk {
    flush(r);
    if (r.rows > 0) this.hashes.put(SECTION_SPANS, r.chunk, r.rows, r.datasetId ?? null, r.minStart, r.maxStart, r.hash.digest('hex'));
    return fresh(r.chunk + 1, (r.chunk + 1) * CHUNK_IDS);
  }

  private lineOfRow(rowId: number): string {
    return this.stmt.lines.get(rowId, rowId + 1, ANY_TIME_NS[0], ANY_TIME_NS[1], null, null) as string;
  }
}

/** Whether writeSpanContent makes exactly the bytes SQLite will make from the stored row. */
function sameInJs(span: SpanRecord): boolean {
  return (
    Number.isSafeInteger(span.kind) &&
    Number.isSafeInteger(span.statusCode) &&
    Number.isSafeInteger(span.flags) &&
    Number.isSafeInteger(span.droppedAttributesCount) &&
    Number.isSafeInteger(span.droppedEventsCount) &&
    Number.isSafeInteger(span.droppedLinksCount) &&
    !hasLoneSurrogate(span.name) &&
    !hasLoneSurrogate(span.statusMessage) &&
    !hasLoneSurrogate(span.traceState)
  );
}

function fresh(chunk: number, nextId: number): RunningChunk {
  const hash = crypto.createHash('sha256');
  return { chunk, nextId, hash, bytes: new HashedBytes(hash), rows: 0, datasetId: undefined, minStart: 0n, maxStart: 0n };
}

function flush(r: RunningChunk): void {
  r.bytes.flush();
}

/** Adds `rows` rows with start times in [minStart, maxStart] of dataset `datasetId` (null: several or unknown). */
function note(r: RunningChunk, rows: number, minStart: bigint, maxStart: bigint, datasetId: number | null): void {
  if (r.rows === 0 || minStart < r.minStart) r.minStart = minStart;
  if (r.rows === 0 || maxStart > r.maxStart) r.maxStart = maxStart;
  r.datasetId = r.datasetId === undefined || r.datasetId === datasetId ? datasetId : null;
  r.rows += rows;
}
