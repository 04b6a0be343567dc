/**
 * Coalesces commit notifications from the writer into at most a few live events per second,
 * so a UI watching 100k spans/s repaints a handful of times, not thousands.
 */
import type { LiveEvent } from '../../../shared/api/events.js';
import type { WriteTotals } from '../store/batch-writer.js';

export class LiveEvents {
  private readonly listeners = new Set<(e: LiveEvent) => void>();
  private pending: WriteTotals | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs = 250) {}

  add(totals: WriteTotals): void {
    if (!this.pending) this.pending = { ...totals };
    else {
      this.pending.spans += totals.spans;
      this.pending.traces += totals.traces;
      this.pending.metricPoints += totals.metricPoints;
      this.pending.logRecords += totals.logRecords;
    }
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  private flush(): void {
    this.timer = null;
    const p = this.pending;
    this.pending = null;
    if (!p) return;
    const event: LiveEvent = { type: 'ingest', spans: p.spans, traces: p.traces, metricPoints: p.metricPoints, logRecords: p.logRecords };
    for (const l of this.listeners) l(event);
  }

  /** Sends an event now (imports throttle their own progress). */
  emit(event: LiveEvent): void {
    for (const l of this.listeners) l(event);
  }

  subscribe(listener: (e: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
  }
}
