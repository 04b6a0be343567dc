/**
 * The main thread's handle on ingest: request bodies go to the decode worker (transferred,
 * not copied where possible), which hands decoded batches to the writer worker over a
 * MessageChannel; each caller is answered when its transaction commits (or when its payload
 * is refused). It pushes back when too much is waiting, so receivers can answer 503 /
 * UNAVAILABLE with Retry-After instead of growing memory without bound.
 *
 *   main ──body──▶ decode worker ──DecodedBatch──▶ writer worker ──result──▶ main
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { Signal } from '../otlp/model.js';
import type { WriteTotals } from '../store/batch-writer.js';
import type { Encoding, FromDecoder, FromWriter, IngestOutcome, ToDecoder, WriterInit } from './messages.js';

export interface IngestQueueOptions extends WriterInit {
  /** Bytes of request bodies allowed to wait for the writer before new ones are refused. */
  maxQueuedBytes: number;
}

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

interface Waiter {
  bytes: number;
  resolve: (o: IngestOutcome) => void;
}

export class IngestQueue {
  private readonly worker: Worker;
  private readonly decoder: Worker;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 1;
  private queuedBytes = 0;
  private closed = false;
  private failure: string | null = null;
  private readonly committedListeners = new Set<(t: WriteTotals) => void>();
  private closeResolve: (() => void) | null = null;
  readonly ready: Promise<void>;

  constructor(private readonly options: IngestQueueOptions) {
    const channel = new MessageChannel();
    const init: WriterInit = { dbPath: options.dbPath, retention: options.retention, nativeBinding: options.nativeBinding, batchPort: channel.port2 };
    this.worker = new Worker(new URL('./writer-worker.js', import.meta.url), { workerData: init, transferList: [channel.port2] });
    this.decoder = new Worker(new URL('./decode-worker.js', import.meta.url), { workerData: { writerPort: channel.port1 }, transferList: [channel.port1] });
    this.decoder.on('message', (m: FromDecoder) => this.onMessage(m));
    const decoderDown = (why: string): void => {
      if (this.closed) return;
      this.failure ??= why;
      this.failAll();
    };
    this.decoder.on('error', (e) => decoderDown(`the decoder stopped: ${e.message}`));
    this.decoder.on('exit', () => decoderDown('the decoder exited'));
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

  private onMessage(m: FromWriter | FromDecoder): void {
    if (m.type === 'result') {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      this.queuedBytes -= w.bytes;
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
    this.queuedBytes = 0;
  }

  /** Bytes waiting for the writer. */
  get backlogBytes(): number {
    return this.queuedBytes;
  }

  /**
   * Queues one request body; resolves once it is committed or refused. Throws QueueFullError
   * when the backlog is over the limit (the caller answers "retry later").
   */
  submit(signal: Signal, encoding: Encoding, body: Buffer): Promise<IngestOutcome> {
    if (this.failure) return Promise.resolve({ status: 'unavailable', message: this.failure });
    if (this.closed) return Promise.resolve({ status: 'unavailable', message: 'Sightline is shutting down' });
    if (this.queuedBytes > 0 && this.queuedBytes + body.length > this.options.maxQueuedBytes) {
      throw new QueueFullError(`the write queue is full (${Math.round(this.queuedBytes / 1048576)} MiB waiting)`);
    }
    const id = this.nextId++;
    this.queuedBytes += body.length;
    // Transfer the bytes when the Buffer owns its whole ArrayBuffer; copy otherwise (pooled slices).
    const owns = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && !(body.buffer instanceof SharedArrayBuffer);
    const bytes = owns ? new Uint8Array(body.buffer, 0, body.byteLength) : new Uint8Array(body);
    return new Promise((resolve) => {
      this.waiting.set(id, { bytes: body.length, resolve });
      const msg: ToDecoder = { type: 'decode', id, signal, encoding, body: bytes };
      this.decoder.postMessage(msg, owns ? [bytes.buffer as ArrayBuffer] : []);
    });
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
      await Promise.all([this.worker.terminate(), this.decoder.terminate()]);
      return;
    }
    const done = new Promise<void>((resolve) => (this.closeResolve = resolve));
    // The decoder forwards the close after every batch it already passed on; the writer
    // commits them, closes the store and says 'closed'.
    this.decoder.postMessage({ type: 'close' } satisfies ToDecoder);
    await Promise.race([done, new Promise((r) => setTimeout(r, 10_000).unref())]);
    await Promise.all([this.worker.terminate(), this.decoder.terminate()]);
  }
}
