/**
 * Where an import's decoded batches go. An import is two stages: reading, parsing and decoding
 * (the import thread), then redacting, indexing and committing. On one thread they took
 * turns; `WriterThreadSink` runs the second stage on a thread of its own, so both cores
 * work, with at most `maxInFlight` groups between the stages: memory stays flat however big
 * the file (the parse side waits in `ready()` when the writer falls behind). `InThreadSink`
 * commits at once on the calling thread (tests, and callers that hold an IngestWriter).
 *
 * Batches are handed over one at a time as they are decoded, and a group leaves with
 * `submit`: a sink may pack each batch at once (WriterThreadSink does), so what waits for
 * its group is a few flat strings and typed arrays rather than thousands of small strings
 * that every young-generation GC on the parsing thread would copy again.
 */
import type { DecodedBatch } from '../otlp/model.js';
import type { WriteTotals } from '../store/batch-writer.js';
import type { IngestWriter } from '../ingest/ingest-writer.js';

export interface BatchSink {
  /** Takes one batch into the group being gathered. */
  add(batch: DecodedBatch): void;
  /** Hands over the gathered batches as one transaction; `onCommitted` gets its totals once it commits. */
  submit(onCommitted: (totals: WriteTotals) => void): void;
  /** Resolves when another group may be submitted; rejects with the first failed commit. */
  ready(): Promise<void>;
  /** Resolves once every submitted group is committed; rejects with the first failed commit. */
  finish(): Promise<void>;
}

export class InThreadSink implements BatchSink {
  private group: DecodedBatch[] = [];

  constructor(
    private readonly writer: IngestWriter,
    private readonly datasetId: number,
  ) {}

  add(batch: DecodedBatch): void {
    this.group.push(batch);
  }

  submit(onCommitted: (totals: WriteTotals) => void): void {
    const batches = this.group;
    this.group = [];
    onCommitted(this.writer.write(batches, this.datasetId));
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  finish(): Promise<void> {
    return Promise.resolve();
  }
}
