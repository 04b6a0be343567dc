/**
 * Sorted outlines of the huge traces being paged through, so the pages after the first cost a
 * slice instead of a query. An entry is the outline's build, started once the first page has
 * been read (so it runs while that page travels and is drawn) and awaited by the pages after it.
 * Bounded: an entry is dropped when its last page has been served or its build failed, and the
 * least recently used go when the entries together pass MAX_SPANS (a client that stops halfway
 * leaves one behind until then). An entry belongs to one version of the trace (its span count
 * in the summary): when spans arrive, the next page builds a new one.
 */
import type { TraceOutline } from './trace-outline.js';

const MAX_SPANS = 1_000_000;

interface Entry {
  /** The trace's span count when the build started: its version, and its size. */
  version: number;
  outline: Promise<TraceOutline>;
  /** Pages waiting for it now. */
  pages: { waiting: number };
}

export class TraceOutlineCache {
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly maxSpans = MAX_SPANS) {}

  /**
   * The outline of trace `seq` at `version`: cached, or the one `build` starts (then cached).
   * `wait` when a page waits for it (counted until it settles: `build`'s `awaited` tells);
   * otherwise it is asked for ahead of need.
   */
  get(seq: number, version: number, build: (awaited: () => boolean) => Promise<TraceOutline>, wait = false): Promise<TraceOutline> {
    const hit = this.entries.get(seq);
    this.entries.delete(seq);
    let entry = hit;
    if (!entry || entry.version !== version) {
      const pages = { waiting: 0 };
      const made: Entry = { version, outline: build(() => pages.waiting > 0), pages };
      entry = made;
      // A failed (or superseded) build is not kept: the next page asks again.
      made.outline.catch(() => this.entries.get(seq) === made && this.entries.delete(seq));
    }
    this.entries.set(seq, entry);
    this.evict(seq);
    if (!wait) return entry.outline;
    const { pages } = entry;
    pages.waiting++;
    return entry.outline.finally(() => pages.waiting--);
  }

  /** Caches `outline` as trace `seq`'s at `version` (one loaded whole), in place of any build of it. */
  put(seq: number, version: number, outline: TraceOutline): void {
    this.entries.delete(seq);
    this.entries.set(seq, { version, outline: Promise.resolve(outline), pages: { waiting: 0 } });
    this.evict(seq);
  }

  /** Drops the least recently used entries past the bound; `newest` (the one just used) stays. */
  private evict(newest: number): void {
    let total = 0;
    for (const e of this.entries.values()) total += e.version;
    // Oldest first (Map order is insertion order).
    for (const [k, e] of this.entries) {
      if (total <= this.maxSpans || k === newest) break;
      this.entries.delete(k);
      total -= e.version;
    }
  }

  /** Drops trace `seq`'s outline of `version` (not one of a newer version, built since). */
  drop(seq: number, version: number): void {
    if (this.entries.get(seq)?.version === version) this.entries.delete(seq);
  }
}
