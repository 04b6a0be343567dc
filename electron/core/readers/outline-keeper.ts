/**
 * When a running core keeps huge traces' outlines in the store (store/stored-outlines.ts): a
 * pass soon after it starts (stores written before, or by an import in another process), then
 * after spans arrive, once the store has been quiet for `quietMs`, or at the latest `maxWaitMs`
 * after the first arrival while they keep coming (a trace that still grows is kept again on a
 * later pass). One pass at a time. A pass that left traces to read again (a page's read went
 * first, the store was busy, spans changed under it) is followed by another after `maxWaitMs`; a
 * failed one is logged, and the next spans bring the next pass. `stop` ends a pass between
 * traces.
 */
import type { KeepPass } from '../store/stored-outlines.js';

export interface KeeperTiming {
  /** From the core's start to the first pass. */
  startMs: number;
  quietMs: number;
  maxWaitMs: number;
}

export const KEEPER_TIMING: KeeperTiming = { startMs: 1000, quietMs: 5000, maxWaitMs: 60_000 };

/**
 * The timing SIGHTLINE_OUTLINE_KEEP_MS sets (one number: every wait that long, for tests), or
 * null when it says "off" (nothing is kept).
 */
export function keeperTimingFromEnv(value: string | undefined): KeeperTiming | null {
  if (value === 'off') return null;
  const ms = Number(value);
  return value !== undefined && Number.isFinite(ms) && ms >= 0 ? { startMs: ms, quietMs: ms, maxWaitMs: ms } : KEEPER_TIMING;
}

export class OutlineKeeper {
  private timer: NodeJS.Timeout | null = null;
  private firstPokeMs: number | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** Outlines stored so far (for tests and the log). */
  kept = 0;

  constructor(
    private readonly keepStale: (stopping: () => boolean) => Promise<KeepPass>,
    private readonly timing: KeeperTiming = KEEPER_TIMING,
    private readonly log: (message: string) => void = (m) => console.warn(m),
  ) {
    this.schedule(timing.startMs);
  }

  /** Spans arrived. */
  poke(): void {
    if (this.stopped) return;
    const now = Date.now();
    this.firstPokeMs ??= now;
    this.schedule(Math.max(0, Math.min(this.timing.quietMs, this.firstPokeMs + this.timing.maxWaitMs - now)));
  }

  /** Waits for a running pass; no pass starts afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pass(), ms);
    // A pending pass does not keep the process alive.
    this.timer.unref();
  }

  private pass(): void {
    this.timer = null;
    if (this.stopped) return;
    if (this.running) {
      // Spans came during a pass: one more after it.
      this.again = true;
      return;
    }
    this.firstPokeMs = null;
    let retry = false;
    this.running = this.keepStale(() => this.stopped)
      .then(
        (pass) => {
          this.kept += pass.kept;
          retry = pass.again;
        },
        (e: unknown) => this.log(`sightline: keeping huge traces' outlines failed (tried again after the next spans): ${(e as Error).message}`),
      )
      .finally(() => {
        this.running = null;
        if (this.stopped) return;
        if (this.again) this.schedule(this.timing.quietMs);
        else if (retry) this.schedule(this.timing.maxWaitMs);
        this.again = false;
      });
  }
}
