/**
 * The main thread's handle on ingest: request bodies go to the decode worker (transferred,
 * not copied where possible), which hands decoded batches to the writer worker over a
 * MessageChannel; each caller is answered when its transaction commits (or when its payload
 * is refused). It pushes back when too much is waiting, so receivers can answer 503 /
 * UNAVAILABLE with Retry-After instead of growing memory without bound.
 *
 *   main ──body──▶ decode worker ──DecodedBatch──▶ writer worker ──result──▶ main
 *
 * Two decode workers, two lanes: bodies up to BULK_LANE_BYTES go to the fast lane, bigger
 * ones to the bulk lane, each with its own admission control. A huge or pathological request
 * (tens of MiB of text to redact takes seconds, linear as it is) then occupies the bulk lane
 * alone, and ordinary requests beside it are answered in their usual time.
 */
import { Worker } from 'node:worker_threads';
import type { Signal } from '../otlp/model.js';
import type { WriteTotals } from '../store/batch-writer.js';
import type { Encoding, FromWriter, IngestOutcome, WriterInit } from './messages.js';
import { Admission } from './admission.js';
import { DecoderLane } from './decoder-lane.js';
import { WRITER_THREAD_HEAP } from './writer-heap.js';

export interface IngestQueueOptions extends WriterInit {
  /** Bytes of request bodies allowed to wait for the writer before new ones are refused. */
  maxQueuedBytes: number;
  /** Admit only what the pipeline is measured to commit within this time (default 500 ms). */
  maxQueueWaitMs?: number | undefined;
  /** Old-generation heap of the fast lane's decoder, MiB (default 96). */
  decoderHeapMb?: number | undefined;
}

export class QueueFullError extends Error {
  override name = 'QueueFullError';
  constructor(
    message: string,
    /** When to try again, from the measured drain rate. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

interface Waiter {
  bytes: number;
  lane: DecoderLane;
  resolve: (o: IngestOutcome) => void;
}

/** Bodies above this size take the bulk lane. */
export const BULK_LANE_BYTES = 1024 * 1024;
/** The bulk decoder's heap: a 32 MiB protobuf body needs about 100 MB to decode. */
const BULK_DECODER_HEAP_MB = 384;

export class IngestQueue {
  private readonly worker: Worker;
  private readonly lanes: DecoderLane[];
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 1;
  private closed = false;
  private failure: string | null = null;
  private readonly committedListeners = new Set<(t: WriteTotals) => void>();
  private closeResolve: (() => void) | null = null;
  readonly ready: Promise<void>;

  constructor(private readonly options: IngestQueueOptions) {
    const init: WriterInit = { dbPath: options.dbPath, retention: options.retention, nativeBinding: options.nativeBinding };
    this.worker = new Worker(new URL('./writer-worker.js', import.meta.url), { workerData: init, resourceLimits: WRITER_THREAD_HEAP });
    const waitMs = options.maxQueueWaitMs ?? 500;
    this.lanes = (['fast', 'bulk'] as const).map(
      (name) =>
        new DecoderLane({
          name,
          dbPath: options.dbPath,
          nativeBinding: options.nativeBinding,
          // Bounded heaps bound memory: fast-lane bodies are at most 1 MiB; the bulk lane decodes
          // bodies up to the body limit (a hostile one that needs more is refused alone).
          resourceLimits:
            name === 'fast'
              ? { maxOldGenerationSizeMb: options.decoderHeapMb ?? 96, maxYoungGenerationSizeMb: 16 }
              : { maxOldGenerationSizeMb: BULK_DECODER_HEAP_MB },
          // The byte cap is shared out: the bulk lane holds the big requests, the fast lane the rest.
          admission: new Admission({
            maxQueuedBytes: name === 'fast' ? Math.max(BULK_LANE_BYTES * 4, options.maxQueuedBytes / 4) : options.maxQueuedBytes,
            maxWaitMs: waitMs,
          }),
          attachToWriter: (message, transfer) => this.worker.postMessage(message, transfer),
          onResult: (id, outcome) => this.onMessage({ type: 'result', id, outcome }),
        }),
    );
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (m: FromWriter) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'fatal') {
          this.failure = m.message;
          reject(new Error(m.message));
        } else this.onMessage(m);
      });
      this.worker.on('error', (e) => {
        this.failure = `the store writer stopped: ${e.message}`;
        reject(e);
        this.failAll();
      });
      this.worker.on('exit', () => {
        if (!this.closed) {
          this.failure ??= 'the store writer exited';
          this.failAll();
        }
        this.closeResolve?.();
      });
    });
  }

  private onMessage(m: FromWriter | { type: 'result'; id: number; outcome: IngestOutcome }): void {
    if (m.type === 'result') {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      w.lane.admission.done(w.bytes);
      w.resolve(m.outcome);
    } else if (m.type === 'committed') {
      for (const l of this.committedListeners) l(m.totals);
    } else if (m.type === 'closed') {
      this.closeResolve?.();
    }
  }

  private failAll(): void {
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.resolve({ status: 'unavailable', message: this.failure ?? 'the store writer stopped' });
    }
    for (const lane of this.lanes) lane.admission.reset();
  }

  /** Bytes waiting for the writer. */
  get backlogBytes(): number {
    return this.lanes.reduce((n, l) => n + l.admission.queuedBytes, 0);
  }

  /**
   * Queues one request body; resolves once it is committed or refused. Throws QueueFullError
   * when the backlog is over the limit (the caller answers "retry later").
   */
  submit(signal: Signal, encoding: Encoding, body: Buffer): Promise<IngestOutcome> {
    if (this.failure) return Promise.resolve({ status: 'unavailable', message: this.failure });
    if (this.closed) return Promise.resolve({ status: 'unavailable', message: 'Sightline is shutting down' });
    const lane = this.laneFor(body.length);
    if (lane.failure) return Promise.resolve({ status: 'unavailable', message: lane.failure });
    const full = this.refusal(body.length);
    if (full) throw full;
    const admission = lane.admission;
    const id = this.nextId++;
    admission.added(body.length);
    // Transfer the bytes when the Buffer owns its whole ArrayBuffer; copy otherwise (pooled slices).
    const owns = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && !(body.buffer instanceof SharedArrayBuffer);
    const bytes = owns ? new Uint8Array(body.buffer, 0, body.byteLength) : new Uint8Array(body);
    return new Promise((resolve) => {
      this.waiting.set(id, { bytes: body.length, lane, resolve });
      lane.send({ type: 'decode', id, signal, encoding, body: bytes }, owns ? [bytes.buffer as ArrayBuffer] : []);
    });
  }

  private laneFor(bytes: number): DecoderLane {
    return this.lanes[bytes > BULK_LANE_BYTES ? 1 : 0]!;
  }

  /**
   * The error `submit` would throw for a body of `bytes` now, or null when it would be admitted.
   * Receivers ask with a request's declared length before reading its body: under overload a
   * refused body is then never read into memory (bench:overload offers three times what can be
   * committed, so two requests in three are refused).
   */
  refusal(bytes: number): QueueFullError | null {
    const admission = this.laneFor(bytes).admission;
    if (admission.admits(bytes)) return null;
    return new QueueFullError(
      `the write queue is full (${(admission.queuedBytes / 1048576).toFixed(1)} MiB waiting, about ${admission.retryAfterSeconds()} s of work)`,
      admission.retryAfterSeconds(),
    );
  }

  onCommitted(listener: (totals: WriteTotals) => void): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  /** Commits what is queued, closes the store cleanly, and stops the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.failure) {
      await Promise.all([this.worker.terminate(), ...this.lanes.map((l) => l.terminate())]);
      return;
    }
    const done = new Promise<void>((resolve) => (this.closeResolve = resolve));
    // The decoder forwards the close after every batch it already passed on; the writer
    // commits them, closes the store and says 'closed'.
    for (const lane of this.lanes) lane.close();
    await Promise.race([done, new Promise((r) => setTimeout(r, 10_000).unref())]);
    await Promise.all([this.worker.terminate(), ...this.lanes.map((l) => l.terminate())]);
  }
}
