/**
 * The spans of a trace as its getTraceSpans pages arrive, with what the tree needs to find each
 * span's parent (span-links.ts): the core's parent positions while every outline page starts
 * where the list ends and the trace keeps its span count, an index by ID otherwise (whole
 * traces; or spans that arrived between pages, which move the core's positions, when the index
 * is made from all spans so far).
 */
import type { SpanView, TraceSpansPage } from '../../../shared/model/telemetry.js';
import { outlineSpans } from '../../../shared/model/outline-spans.js';
import { SpanIndex } from './span-index.js';
import { linksById, linksByPosition, type SpanLinks } from './span-links.js';
import type { Sliced } from './sliced.js';

/** SpanViews made, and yielded after, this many at a time. */
const PART = 4096;

export class SpanList {
  readonly spans: SpanView[] = [];
  /** Parent positions from the core, for spans[0 … spans.length); null once the list is by ID. */
  private positions: Int32Array | null = new Int32Array(0);
  private index: SpanIndex | null = null;
  /** The trace's span count when the last page was read: the version of the core's positions. */
  private version: number | null = null;

  /** Adds a page: whole spans as they are, outline columns made into SpanViews a part at a time. */
  *add(page: TraceSpansPage): Sliced<void> {
    const outline = page.outline;
    const version = page.summary.spanCount;
    // Positions hold within one version of the trace, and only if this page continues the list.
    const changed = this.version !== null && this.version !== version;
    this.version = version;
    if (!outline || changed || outline.offset !== this.spans.length) yield* this.byId();
    if (!outline) return this.push(page.spans, null, 0);
    const n = outline.startUs.length;
    for (let from = 0; from < n; from += PART) {
      const to = Math.min(n, from + PART);
      this.push(outlineSpans(outline, from, to), outline.parentIndex, from);
      yield;
    }
  }

  /** The links of `spans`, a copy of the list as it is now (a layout's own, which later pages leave alone). */
  *links(spans: readonly SpanView[]): Sliced<SpanLinks> {
    if (this.index) return yield* linksById(spans, this.index);
    return yield* linksByPosition(spans, this.positions!.slice(0, spans.length));
  }

  private push(part: SpanView[], parentIndex: readonly number[] | null, from: number): void {
    const start = this.spans.length;
    for (const s of part) this.spans.push(s);
    if (this.index) {
      for (let i = start; i < this.spans.length; i++) this.index.add(i);
      return;
    }
    let positions = this.positions!;
    if (positions.length < this.spans.length) {
      const grown = new Int32Array(Math.max(this.spans.length, positions.length * 2));
      grown.set(positions);
      this.positions = positions = grown;
    }
    for (let k = 0; k < part.length; k++) positions[start + k] = parentIndex![from + k]!;
  }

  /** From now on by ID: an index of every span so far. */
  private *byId(): Sliced<void> {
    if (this.index) return;
    const index = new SpanIndex(this.spans);
    for (let i = 0; i < this.spans.length; i++) {
      index.add(i);
      if ((i & (PART - 1)) === PART - 1) yield;
    }
    this.index = index;
    this.positions = null;
  }
}
