/**
 * Admission control for the write queue: how much may wait for the writer. A byte cap alone
 * bounds memory but not latency (at 3× the sustainable rate a 128 MiB queue means seconds of
 * waiting, past SDK timeouts), so the queue also measures how fast the pipeline drains
 * (bytes committed per second while it is busy) and admits only what it can commit within
 * `maxWaitMs`. Past that, receivers answer 503 / RESOURCE_EXHAUSTED with Retry-After at once,
 * and the SDKs retry later: nothing acknowledged is lost, nothing waits unboundedly.
 */

export interface AdmissionOptions {
  /** Hard cap on request bytes waiting (memory). */
  maxQueuedBytes: number;
  /** Target for the time an admitted request waits to be committed. */
  maxWaitMs: number;
  /** What may wait before the drain rate has been measured. */
  initialBytes?: number;
  now?: () => number;
}

/** How long a busy period must last to count as a rate sample. */
const SAMPLE_MS = 200;
/** The shortest busy period that counts as a sample when it ends. */
const MIN_SAMPLE_MS = 50;
/** Weight of a new rate sample (exponential moving average). */
const ALPHA = 0.3;

export class Admission {
  private queued = 0;
  /** Bytes committed per millisecond while busy; null until measured. */
  private rateBytesPerMs: number | null = null;
  private sampleStartMs: number | null = null;
  private sampleBytes = 0;
  private readonly now: () => number;

  constructor(private readonly options: AdmissionOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  get queuedBytes(): number {
    return this.queued;
  }

  /** The bytes that may wait now: the cap, or what drains within maxWaitMs. */
  get limitBytes(): number {
    const byRate = this.rateBytesPerMs === null ? (this.options.initialBytes ?? 16 * 1048576) : this.rateBytesPerMs * this.options.maxWaitMs;
    return Math.min(this.options.maxQueuedBytes, byRate);
  }

  /** Whether a request of `bytes` may join the queue (an empty queue takes any one request). */
  admits(bytes: number): boolean {
    return this.queued === 0 || this.queued + bytes <= this.limitBytes;
  }

  /** Seconds until the current backlog should have drained (for Retry-After), at least 1. */
  retryAfterSeconds(): number {
    if (this.rateBytesPerMs === null || this.rateBytesPerMs <= 0) return 1;
    return Math.max(1, Math.ceil(this.queued / this.rateBytesPerMs / 1000));
  }

  added(bytes: number): void {
    if (this.queued === 0) {
      this.sampleStartMs = this.now();
      this.sampleBytes = 0;
    }
    this.queued += bytes;
  }

  /** A request left the queue (committed or refused by the decoder or the writer). */
  done(bytes: number): void {
    this.queued = Math.max(0, this.queued - bytes);
    this.sampleBytes += bytes;
    const t = this.now();
    // A sample at least every SAMPLE_MS while busy, and at the end of a busy period that was
    // long enough to say something (fixed per-request costs make short ones read slow: safe).
    const elapsed = this.sampleStartMs === null ? 0 : t - this.sampleStartMs;
    if (this.sampleStartMs !== null && (elapsed >= SAMPLE_MS || (this.queued === 0 && elapsed >= MIN_SAMPLE_MS))) {
      const sample = this.sampleBytes / (t - this.sampleStartMs);
      this.rateBytesPerMs = this.rateBytesPerMs === null ? sample : ALPHA * sample + (1 - ALPHA) * this.rateBytesPerMs;
      this.sampleStartMs = t;
      this.sampleBytes = 0;
    }
    // An idle queue says nothing about capacity: the next busy period starts a new sample.
    if (this.queued === 0) this.sampleStartMs = null;
  }

  /** Everything waiting was dropped (the writer stopped). */
  reset(): void {
    this.queued = 0;
    this.sampleStartMs = null;
  }
}
