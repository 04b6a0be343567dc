/**
 * One decode worker and what waits on it. A decoder that dies (out of memory on a hostile
 * body, a bug) is replaced at once with a new one wired to the writer, so no request can stop
 * ingest: the request it was decoding is answered 400 (it is what killed it, and SDKs must not
 * retry it forever), the others it had not handed over yet 503 (retry), and those already
 * handed to the writer are committed as usual.
 */
import { MessageChannel, Worker, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import type { DecodeWorkerInit, FromDecoder, IngestOutcome, ToDecoder, ToWriterControl } from './messages.js';
import { Admission } from './admission.js';

export interface LaneOptions {
  name: 'fast' | 'bulk';
  dbPath: string;
  nativeBinding?: string | undefined;
  resourceLimits?: ResourceLimits;
  admission: Admission;
  /** Hands the writer the receiving end of a new decoder's channel. */
  attachToWriter: (message: ToWriterControl, transfer: MessagePort[]) => void;
  /** A result for a request (from the decoder, or made up here when it died). */
  onResult: (id: number, outcome: IngestOutcome) => void;
}

/** Restarts allowed per minute before the lane gives up (a decoder that cannot even start). */
const MAX_RESTARTS_PER_MINUTE = 20;

export class DecoderLane {
  private decoder!: Worker;
  /** Requests sent to the decoder and not yet handed to the writer, in order. */
  private readonly decoding = new Set<number>();
  private restarts: number[] = [];
  private closing = false;
  private dead: string | null = null;

  constructor(readonly options: LaneOptions) {
    this.spawn();
  }

  get admission(): Admission {
    return this.options.admission;
  }

  /** Why the lane cannot take requests, or null. */
  get failure(): string | null {
    return this.dead;
  }

  private spawn(): void {
    const channel = new MessageChannel();
    this.options.attachToWriter({ type: 'port', port: channel.port2 }, [channel.port2]);
    const init: DecodeWorkerInit = { writerPort: channel.port1, dbPath: this.options.dbPath, nativeBinding: this.options.nativeBinding };
    const decoder = new Worker(new URL('./decode-worker.js', import.meta.url), {
      workerData: init,
      transferList: [channel.port1],
      ...(this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {}),
    });
    decoder.on('message', (m: FromDecoder) => {
      if (m.type === 'handedOver') this.decoding.delete(m.id);
      else {
        this.decoding.delete(m.id);
        this.options.onResult(m.id, m.outcome);
      }
    });
    let reported = false;
    const down = (why: string): void => {
      if (reported || this.closing) return;
      reported = true;
      this.replace(why);
    };
    decoder.on('error', (e) => down(e.message));
    decoder.on('exit', (code) => down(`exit code ${code}`));
    this.decoder = decoder;
  }

  private replace(why: string): void {
    const [culprit, ...others] = this.decoding;
    this.decoding.clear();
    if (culprit !== undefined)
      this.options.onResult(culprit, { status: 'invalid', message: `this request stopped the ${this.options.name} decoder (${why}); it was not stored` });
    for (const id of others) this.options.onResult(id, { status: 'unavailable', message: `the ${this.options.name} decoder restarted; retry` });
    const now = Date.now();
    this.restarts = [...this.restarts.filter((t) => now - t < 60_000), now];
    if (this.restarts.length > MAX_RESTARTS_PER_MINUTE) {
      this.dead = `the ${this.options.name} decoder keeps stopping (${why})`;
      return;
    }
    process.stderr.write(`sightline: the ${this.options.name} decoder stopped (${why}); a new one takes over\n`);
    this.spawn();
  }

  send(message: Extract<ToDecoder, { type: 'decode' }>, transfer: ArrayBuffer[]): void {
    this.decoding.add(message.id);
    this.decoder.postMessage(message, transfer);
  }

  /** Asks the decoder to pass on what it has and tell the writer it is done. */
  close(): void {
    this.closing = true;
    this.decoder.postMessage({ type: 'close' } satisfies ToDecoder);
  }

  terminate(): Promise<number> {
    this.closing = true;
    return this.decoder.terminate();
  }
}
