/**
 * The write end of the ingest pipeline (decode → redact → write → index). Decoding and
 * redaction happen before a batch gets here (the decode worker for the receivers, the import
 * thread for archives); this writer commits the batch's rows through the store's BatchWriter
 * and, in the same transaction:
 *  - redacts any batch nobody redacted (remote pulls, direct callers, a decode worker that could
 *    not read the store yet): the safety net, with the rules re-read once per transaction;
 *  - adds the batches' per-rule redaction counts to `redaction_counts`;
 *  - keeps the ML index (predictions, actuals, factors) in step with the stored spans and logs,
 *    with the attribute mapping re-read once per transaction.
 * So a reader never sees data without its counts and index, and a rollback drops all of it.
 * Every writer of telemetry goes through here: the writer worker, imports, remote pulls.
 */
import type { Db } from '../store/db.js';
import { BatchWriter, LIVE_DATASET_ID, type WriteTotals } from '../store/batch-writer.js';
import type { DecodedBatch } from '../otlp/model.js';
import { MlIndexWriter } from '../ml/ml-index-writer.js';
import { StoreRedactor } from '../redaction/redaction-settings.js';
// Opening a store older than the ML tables fills them (the upgrade step registers itself).
import '../ml/refill-old-stores.js';

export class IngestWriter {
  private readonly rows: BatchWriter;

  constructor(db: Db) {
    const ml = new MlIndexWriter(db);
    const redaction = new StoreRedactor(db);
    this.rows = new BatchWriter(db, {
      beforeRows: (batches) => {
        ml.refreshMapping();
        // Batches come redacted from the decode worker or the import thread; this is the safety net.
        redaction.redactUnredacted(batches);
      },
      index: ml,
      beforeCommit: (batches) => redaction.flushCounts(batches),
    });
  }

  /** Commits all batches into dataset `datasetId` in one transaction and returns what was added. */
  write(batches: DecodedBatch[], datasetId = LIVE_DATASET_ID): WriteTotals {
    return this.rows.write(batches, datasetId);
  }

  /** Forget cached row IDs (after retention deleted rows). */
  clearCaches(): void {
    this.rows.clearCaches();
  }
}
