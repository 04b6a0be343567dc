/**
 * The BatchSink that commits on a writer thread (import-writer-thread.ts): batches cross
 * packed (ingest/batch-transfer.ts: decoded rows, not parsed object graphs: the first two-thread
 * import sent parsed JSON and its memory grew with the file), at most `maxInFlight` groups
 * at a time. The first failed commit stops the import: `ready()` and `finish()` reject with it,
 * and groups after it are not committed.
 */
import { Worker } from 'node:worker_threads';
import type { DecodedBatch } from '../otlp/model.js';
import type { WriteTotals } from '../store/batch-writer.js';
import type { BatchSink } from './batch-sink.js';
import { packBatches, type PackedBatches } from '../ingest/batch-transfer.js';
import { WRITER_THREAD_HEAP } from '../ingest/writer-heap.js';
import type { FromImportWriter, ImportWriterInit, ToImportWriter } from './import-writer-messages.js';

/** Groups between the stages: two keeps the writer fed while the next one is parsed. */
const DEFAULT_MAX_IN_FLIGHT = 2;

export class WriterThreadSink implements BatchSink {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, (totals: WriteTotals) => void>();
  private failure: Error | null = null;
  /** Woken whenever a group is answered (or the thread fails). */
  private readonly waiters: (() => void)[] = [];
  private closed: Promise<void> | null = null;
  private exited = false;
  private group: PackedBatches[] = [];
  private transfer: ArrayBuffer[] = [];

  constructor(
    init: ImportWriterInit,
    private readonly maxInFlight = DEFAULT_MAX_IN_FLIGHT,
  ) {
    this.worker = new Worker(new URL('./import-writer-thread.js', import.meta.url), { workerData: init, resourceLimits: WRITER_THREAD_HEAP });
    this.worker.on('message', (m: FromImportWriter) => {
      if (m.type === 'committed') {
        const done = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        done?.(m.totals);
      } else if (m.type === 'failed') {
        this.waiting.delete(m.id);
        this.failure ??= new Error(m.message);
      } else if (m.type === 'fatal') this.failure ??= new Error(m.message);
      this.wakeAll();
    });
    this.worker.on('error', (e) => {
      this.failure ??= e;
      this.wakeAll();
    });
    this.worker.on('exit', (code) => {
      this.exited = true;
      if (this.closed === null) this.failure ??= new Error(`the import's writer thread stopped (exit code ${code})`);
      this.waiting.clear();
      this.wakeAll();
    });
  }

  /** Packs the batch at once: until its group leaves it is a few flat strings and typed arrays (batch-sink.ts). */
  add(batch: DecodedBatch): void {
    const { packed, transfer } = packBatches([batch]);
    this.group.push(packed);
    this.transfer.push(...transfer);
  }

  submit(onCommitted: (totals: WriteTotals) => void): void {
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    this.waiting.set(id, onCommitted);
    const group = this.group;
    const transfer = this.transfer;
    this.group = [];
    this.transfer = [];
    this.worker.postMessage({ type: 'write', id, group } satisfies ToImportWriter, transfer);
  }

  ready(): Promise<void> {
    return this.until(() => this.waiting.size < this.maxInFlight);
  }

  finish(): Promise<void> {
    return this.until(() => this.waiting.size === 0);
  }

  /** Stops the thread (after finish, or to give up); safe to call more than once. */
  close(): Promise<void> {
    this.closed ??= this.exited
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          this.worker.once('exit', () => resolve());
          this.worker.postMessage({ type: 'close' } satisfies ToImportWriter);
        });
    return this.closed;
  }

  private wakeAll(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async until(done: () => boolean): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (done()) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}
