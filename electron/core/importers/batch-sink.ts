/**
 * Where an import's decoded batches go. An import is two stages: reading, parsing and decoding
 * (the import thread), then redacting, indexing and committing. On one thread they took
 * turns; `WriterThreadSink` runs the second stage on a thread of its own, so both cores
 * work, with at most `maxInFlight` groups between the stages: memory stays flat however big
 * the file (the parse side waits in `ready()` when the writer falls behind). `InThreadSink`
 * commits at once on the calling thread (tests, and callers that hold an IngestWriter).
 */
import type { DecodedBatch } from '../otlp/model.js';
import type { WriteTotals } from '../store/batch-writer.js';
import type { IngestWriter } from '../ingest/ingest-writer.js';

export interface BatchSink {
  /** Hands over one transaction's batches; `onCommitted` gets its totals once it commits. */
  submit(batches: DecodedBatch[], onCommitted: (totals: WriteTotals) => void): void;
  /** Resolves when another group may be submitted; rejects with the first failed commit. */
  ready(): Promise<void>;
  /** Resolves once every submitted group is committed; rejects with the first failed commit. */
  finish(): Promise<void>;
}

export class InThreadSink implements BatchSink {
  constructor(
    private readonly writer: IngestWriter,
    private readonly datasetId: number,
  ) {}

  submit(batches: DecodedBatch[], onCommitted: (totals: WriteTotals) => void): void {
    onCommitted(this.writer.write(batches, this.datasetId));
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  finish(): Promise<void> {
    return Promise.resolve();
  }
}
