/**
 * Packs predictions into column blocks (prediction-block-format.ts) as they are written, so the
 * analysis reads blocks instead of rows. The writer counts each model's new predictions; once a
 * model has a block's worth after its last block, they are read back (by rowid, the tail of the
 * table) and packed in the same transaction. A language model's predictions are not packed:
 * their quality signals are joined from other tables at read time (model-data.ts).
 *
 * Blocks are an index, not the data: the migration's triggers drop a model's blocks when any of
 * its predictions is updated or deleted, and the rows after the last block are always read as
 * rows, so a missing block costs time, never an answer.
 */
import type { Db } from '../store/db.js';
import { encodePredictionBlock, type PackedPredictionRow } from './prediction-block-format.js';

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

export class PredictionPacker {
  /** Predictions after the last block, per model (dataset \0 model); counted exactly when first seen. */
  private readonly unpacked = new Map<string, { datasetId: number; model: string; count: number }>();
  private readonly unpackable = new Set<string>();
  private readonly stmt;

  constructor(
    private readonly db: Db,
    private readonly blockRows = blockRowsSetting(),
  ) {
    this.stmt = {
      packedEnd: db.prepare('SELECT max(last_id) FROM prediction_blocks WHERE dataset_id = ? AND model_name = ?').pluck(),
      // By rowid (the unary + keeps SQLite off the model index): the tail is the table's end.
      tailCount: db.prepare('SELECT count(*) FROM predictions WHERE id > ? AND +dataset_id = ? AND +model_name = ?').pluck(),
      tail: db
        .prepare(
          `SELECT id, time_unix_nano / 1000000, time_unix_nano % 1000000, trace_seq, model_version, score, label, confidence, host, service_name, features,
             quality IS NOT NULL
           FROM predictions WHERE id > ? AND +dataset_id = ? AND +model_name = ? ORDER BY id LIMIT ?`,
        )
        .raw(true),
      insert: db.prepare(
        `INSERT INTO prediction_blocks(dataset_id, model_name, first_id, last_id, rows, min_time_unix_nano, max_time_unix_nano, columns)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  private packedEnd(datasetId: number, model: string): number {
    return (this.stmt.packedEnd.get(datasetId, model) as number | null) ?? 0;
  }

  /** One prediction of this model was inserted in the current transaction. */
  noteInsert(datasetId: number, model: string): void {
    const key = `${datasetId}\u0000${model}`;
    const entry = this.unpacked.get(key);
    if (entry) entry.count++;
    else
      this.unpacked.set(key, {
        datasetId,
        model,
        count: this.stmt.tailCount.get(this.packedEnd(datasetId, model), datasetId, model) as number,
      });
  }

  /** Packs the full blocks that are due; call inside the write transaction, after the inserts. */
  packDue(): void {
    let budget = MAX_BLOCKS_PER_FLUSH;
    for (const [key, entry] of this.unpacked) {
      if (this.unpackable.has(key)) continue;
      while (entry.count >= this.blockRows && budget > 0) {
        budget--;
        const packed = this.packNext(entry.datasetId, entry.model);
        if (packed === null) {
          this.unpackable.add(key);
          break;
        }
        // Recounted after each block: a trigger may have dropped blocks meanwhile.
        entry.count = this.stmt.tailCount.get(this.packedEnd(entry.datasetId, entry.model), entry.datasetId, entry.model) as number;
      }
    }
  }

  /** Packs every full block of every model (an upgraded store, a test); returns the blocks written. */
  packAll(): number {
    const models = this.db.prepare('SELECT DISTINCT dataset_id, model_name FROM predictions').raw(true).all() as [number, string][];
    let blocks = 0;
    for (const [datasetId, model] of models) while (this.packNext(datasetId, model) !== null) blocks++;
    return blocks;
  }

  /** Packs the next block of the model; null when its rows cannot be packed (a language model's). */
  private packNext(datasetId: number, model: string): number | null {
    const end = this.packedEnd(datasetId, model);
    const raw = this.stmt.tail.all(end, datasetId, model, this.blockRows) as StoredRow[];
    if (raw.length < this.blockRows || raw.some((r) => r[11] === 1)) return null;
    const rows: PackedPredictionRow[] = raw.map((r) => ({
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
    }));
    let min = Infinity;
    let max = -Infinity;
    for (const r of rows) {
      if (r.timeMs < min) min = r.timeMs;
      if (r.timeMs > max) max = r.timeMs;
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
      encodePredictionBlock(rows),
    );
    return rows.length;
  }

  clear(): void {
    this.unpacked.clear();
    this.unpackable.clear();
  }
}
