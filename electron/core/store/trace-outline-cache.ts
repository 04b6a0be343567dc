/**
 * Sorted outlines of the huge traces being paged through, so the pages after the first cost a
 * slice instead of a query. Bounded: an entry is dropped when its last page has been served,
 * and the least recently used go when the entries together pass MAX_SPANS (a client that
 * stops halfway leaves one behind until then). An entry belongs to one version of the trace
 * (its span count in the summary): when spans arrive, the next page builds a new one.
 */
import type { TraceOutline } from './trace-outline.js';

const MAX_SPANS = 1_000_000;

interface Entry {
  version: number;
  outline: TraceOutline;
}

export class TraceOutlineCache {
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly maxSpans = MAX_SPANS) {}

  /** The cached outline of trace `seq` at `version`, or the one `build` makes (then cached). */
  get(seq: number, version: number, build: () => TraceOutline): TraceOutline {
    const hit = this.entries.get(seq);
    this.entries.delete(seq);
    const entry = hit && hit.version === version ? hit : { version, outline: build() };
    this.entries.set(seq, entry);
    let total = 0;
    for (const e of this.entries.values()) total += e.outline.count;
    // Oldest first (Map order is insertion order); the newest always stays.
    for (const [k, e] of this.entries) {
      if (total <= this.maxSpans || k === seq) break;
      this.entries.delete(k);
      total -= e.outline.count;
    }
    return entry.outline;
  }

  drop(seq: number): void {
    this.entries.delete(seq);
  }
}
