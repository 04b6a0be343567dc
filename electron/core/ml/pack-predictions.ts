/**
 * Packs predictions into column blocks (prediction-block-format.ts) as they are written, so the
 * analysis reads blocks instead of rows. The writer counts each model's new predictions; once a
 * model has a block's worth after its last block, they are read back (by rowid, the tail of the
 * table) and packed in the same transaction. A language model's predictions are not packed:
 * their quality signals are joined from other tables at read time (model-data.ts).
 *
 * A block also holds the factor observations of its predictions' traces. A late span can add
 * one after the block is packed, so the newest quarter-block of a model's predictions is left
 * unpacked (most late spans then land in rows), and the migration's triggers drop the blocks
 * whose trace range it falls in.
 *
 * Blocks are an index, not the data: the triggers also drop a model's blocks when any of its
 * predictions is updated or deleted, and the rows after the last block are always read as
 * rows, so a missing block costs time, never an answer.
 */
import type { Db } from '../store/db.js';
import { encodeFactorBlock, encodePredictionBlock, type PackedPredictionRow } from './prediction-block-format.js';

/** Rows per block: large enough that per-block work vanishes, small enough to pack in a few ms. */
export const PREDICTION_BLOCK_ROWS = 16_384;
/** At most this many blocks per transaction, so a store being re-packed does not stall ingest. */
const MAX_BLOCKS_PER_FLUSH = 2;

/** SIGHTLINE_PREDICTION_BLOCK_ROWS: tests pack small stores with a small block. */
export function blockRowsSetting(): number {
  const n = Number(process.env['SIGHTLINE_PREDICTION_BLOCK_ROWS']);
  return Number.isInteger(n) && n > 0 ? n : PREDICTION_BLOCK_ROWS;
}

type StoredRow = [number, number, number, number, string, number | null, string | null, number | null, string | null, string, string | null, number];

/** A prediction as the writer inserted it (its features not yet JSON), and whether it is a language model call's. */
export type InsertedPrediction = PackedPredictionRow & { genAi: boolean };

interface ModelTail {
  datasetId: number;
  model: string;
  /** Predictions after the last block (at least: rows from before this writer are counted when a block is due). */
  count: number;
  /**
   * Those predictions as inserted, oldest first, when this writer knows all of them: packing
   * them then needs no read-back or JSON parse. Null: read them back from the table.
   */
  rows: InsertedPrediction[] | null;
}

function fromStored(r: StoredRow): InsertedPrediction {
  return {
    id: r[0],
    timeMs: r[1],
    timeRemNs: r[2],
    traceSeq: r[3],
    version: r[4],
    score: r[5],
    label: r[6],
    confidence: r[7],
    host: r[8],
    service: r[9],
    features: r[10],
    genAi: r[11] === 1,
  };
}

export class PredictionPacker {
  private readonly tails = new Map<string, ModelTail>();
  private readonly unpackable = new Set<string>();
  private changesSeen: number | undefined;
  private readonly stmt;

  constructor(
    private readonly db: Db,
    private readonly blockRows = blockRowsSetting(),
  ) {
    this.stmt = {
      packedEnd: db.prepare('SELECT max(last_id) FROM prediction_blocks WHERE dataset_id = ? AND model_name = ?').pluck(),
      changes: db.prepare('SELECT count FROM prediction_changes WHERE id = 1').pluck(),
      // By rowid (the unary + keeps SQLite off the model index): the tail is the table's end.
      tailCount: db.prepare('SELECT count(*) FROM predictions WHERE id > ? AND +dataset_id = ? AND +model_name = ?').pluck(),
      tail: db
        .prepare(
          `SELECT id, time_unix_nano / 1000000, time_unix_nano % 1000000, trace_seq, model_version, score, label, confidence, host, service_name, features,
             quality IS NOT NULL
           FROM predictions WHERE id > ? AND +dataset_id = ? AND +model_name = ? ORDER BY id LIMIT ?`,
        )
        .raw(true),
      factors: db.prepare('SELECT trace_seq, observations FROM trace_factors WHERE trace_seq BETWEEN ? AND ?').raw(true),
      insert: db.prepare(
        `INSERT INTO prediction_blocks(dataset_id, model_name, first_id, last_id, rows, min_time_unix_nano, max_time_unix_nano, min_trace_seq, max_trace_seq,
           columns, factors)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  private packedEnd(datasetId: number, model: string): number {
    return (this.stmt.packedEnd.get(datasetId, model) as number | null) ?? 0;
  }

  private exactTail(datasetId: number, model: string): number {
    return this.stmt.tailCount.get(this.packedEnd(datasetId, model), datasetId, model) as number;
  }

  /** One prediction of this model was inserted in the current transaction (call after the insert). */
  noteInsert(datasetId: number, model: string, row: InsertedPrediction): void {
    const key = `${datasetId}\u0000${model}`;
    const tail = this.tails.get(key);
    if (tail) {
      tail.count++;
      tail.rows?.push(row);
    } else {
      // Rows from before this writer may precede it: counted and read back when a block is due.
      this.tails.set(key, { datasetId, model, count: 1, rows: null });
    }
  }

  /** Packs the full blocks that are due; call inside the write transaction, after the inserts. Never throws. */
  packDue(): void {
    // A prediction updated or deleted (a re-extraction, retention, on any connection): what
    // this writer remembers of the unpacked rows may be out of date.
    const changes = this.stmt.changes.get() as number;
    if (this.changesSeen !== undefined && changes !== this.changesSeen) {
      this.tails.clear();
      this.unpackable.clear();
    }
    this.changesSeen = changes;
    let budget = MAX_BLOCKS_PER_FLUSH;
    for (const [key, tail] of this.tails) {
      if (this.unpackable.has(key)) continue;
      // A quarter-block of the newest predictions stays rows: their traces may still be arriving.
      while (tail.count >= this.blockRows + Math.floor(this.blockRows / 4) && budget > 0) {
        budget--;
        if (!this.packDueBlock(tail)) {
          this.unpackable.add(key);
          tail.rows = null;
          break;
        }
      }
    }
  }

  /** One block of the model's tail, in a savepoint: packing must never fail the ingest transaction around it. */
  private packDueBlock(tail: ModelTail): boolean {
    this.db.exec('SAVEPOINT pack_predictions');
    try {
      // Counted exactly: the tail may hold rows from before this writer.
      tail.count = this.exactTail(tail.datasetId, tail.model);
      if (tail.rows && tail.rows.length !== tail.count) tail.rows = null;
      if (tail.count < this.blockRows) {
        this.db.exec('RELEASE pack_predictions');
        return true;
      }
      const known = tail.rows ? tail.rows.slice(0, this.blockRows) : undefined;
      if (this.packNext(tail.datasetId, tail.model, known) === null) {
        this.db.exec('RELEASE pack_predictions');
        return false;
      }
      tail.rows?.splice(0, this.blockRows);
      tail.count = this.exactTail(tail.datasetId, tail.model);
      // Read back once; from then on this writer knows the whole tail.
      if (!tail.rows && tail.count <= 2 * this.blockRows)
        tail.rows = (this.stmt.tail.all(this.packedEnd(tail.datasetId, tail.model), tail.datasetId, tail.model, tail.count) as StoredRow[]).map(fromStored);
      this.db.exec('RELEASE pack_predictions');
      return true;
    } catch {
      // A row that cannot be packed (damaged features text, a block over SQLite's size limit):
      // the model stays rows for this writer, and the batch is stored as ever.
      this.db.exec('ROLLBACK TO pack_predictions');
      this.db.exec('RELEASE pack_predictions');
      return false;
    }
  }

  /** Packs every full block of every model (an upgraded store, a test); returns the blocks written. */
  packAll(): number {
    const models = this.db.prepare('SELECT DISTINCT dataset_id, model_name FROM predictions').raw(true).all() as [number, string][];
    let blocks = 0;
    for (const [datasetId, model] of models) while (this.packNext(datasetId, model) !== null) blocks++;
    return blocks;
  }

  /**
   * Packs the next block of the model, from `known` (the oldest rows of its tail, as inserted)
   * or read back; null when its rows cannot be packed (too few, or a language model's).
   */
  private packNext(datasetId: number, model: string, known?: InsertedPrediction[]): number | null {
    const end = this.packedEnd(datasetId, model);
    const rows = known ?? (this.stmt.tail.all(end, datasetId, model, this.blockRows) as StoredRow[]).map(fromStored);
    if (rows.length < this.blockRows || rows.some((r) => r.genAi) || rows[0]!.id <= end) return null;
    let min = Infinity;
    let max = -Infinity;
    let minSeq = Infinity;
    let maxSeq = -Infinity;
    for (const r of rows) {
      if (r.timeMs < min) min = r.timeMs;
      if (r.timeMs > max) max = r.timeMs;
      if (r.traceSeq < minSeq) minSeq = r.traceSeq;
      if (r.traceSeq > maxSeq) maxSeq = r.traceSeq;
    }
    // Whole milliseconds bound the block: min floors and max + 1 ms ceils its nanoseconds.
    this.stmt.insert.run(
      datasetId,
      model,
      end + 1,
      rows[rows.length - 1]!.id,
      rows.length,
      BigInt(min) * 1_000_000n,
      BigInt(max) * 1_000_000n + 999_999n,
      minSeq,
      maxSeq,
      encodePredictionBlock(rows),
      // The factor observations of the block's traces, as the analysis would read them per trace.
      encodeFactorBlock(
        rows.map((r) => r.traceSeq),
        this.stmt.factors.iterate(minSeq, maxSeq) as Iterable<[number, Buffer]>,
      ),
    );
    return rows.length;
  }

  clear(): void {
    this.tails.clear();
    this.unpackable.clear();
  }
}
