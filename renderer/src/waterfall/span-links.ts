/**
 * Who is whose parent, as positions in a trace's span list: what the tree (span-tree.ts) is
 * built from. Two ways to get them. By ID, through a SpanIndex of every span: for whole traces
 * and as a fallback. By position, from the core: a huge trace's outline pages say where each
 * span's parent is in the trace's keyset order (span-outline.ts `parentIndex`), which is the
 * order of the UI's list, so 200,000 IDs need not be hashed into a map (about 150 ms of the
 * UI thread). A first page's span whose parent was not in that page is looked up by ID, among
 * the few such parents only.
 */
import { PARENT_NOT_IN_PAGE } from '../../../shared/model/span-outline.js';
import type { SpanView } from '../../../shared/model/telemetry.js';
import type { SpanIndex } from './span-index.js';
import type { Sliced } from './sliced.js';

export interface SpanLinks {
  /** parent[i]: the position of spans[i]'s parent, -1 when it has none among the spans. */
  parent: Int32Array;
  /** canon[i]: the position of the span that spans[i]'s ID names (i, unless the ID repeats). */
  canon: Int32Array;
  /** The spans are listed by start time (outline pages): siblings found in list order need no sort. */
  inStartOrder: boolean;
}

/** Yield to the slicer after this many spans. */
const STEP = 4096;

/** Links found by ID; `index` holds every span. A span naming itself as parent has none. */
export function* linksById(spans: readonly SpanView[], index: SpanIndex): Sliced<SpanLinks> {
  const n = spans.length;
  const canon = new Int32Array(n);
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    // The index may hold spans added after this copy of the list was taken: not among these.
    const c = index.repeats === 0 ? i : index.get(s.spanId);
    canon[i] = c < n ? c : i;
    const p = s.parentSpanId && s.parentSpanId !== s.spanId ? index.get(s.parentSpanId) : -1;
    parent[i] = p < n ? p : -1;
    if ((i & (STEP - 1)) === STEP - 1) yield;
  }
  return { parent, canon, inStartOrder: false };
}

/**
 * Links from the core's parent positions (`positions[i]` for spans[i]; IDs are unique within a
 * stored trace). A position not yet received counts as no parent until its page is in. Such
 * spans come in keyset order, which is start order.
 */
export function* linksByPosition(spans: readonly SpanView[], positions: Int32Array): Sliced<SpanLinks> {
  const n = spans.length;
  const parent = new Int32Array(n);
  const canon = new Int32Array(n);
  /** Parent ID → the spans waiting for it. */
  let wanted: Map<string, number[]> | null = null;
  for (let i = 0; i < n; i++) {
    const p = positions[i]!;
    canon[i] = i;
    parent[i] = p >= 0 && p < n ? p : -1;
    if (p === PARENT_NOT_IN_PAGE && spans[i]!.parentSpanId) {
      wanted ??= new Map();
      const id = spans[i]!.parentSpanId!;
      const waiting = wanted.get(id);
      if (waiting) waiting.push(i);
      else wanted.set(id, [i]);
    }
    if ((i & (STEP - 1)) === STEP - 1) yield;
  }
  if (wanted) {
    for (let i = 0; i < n; i++) {
      const waiting = wanted.get(spans[i]!.spanId);
      if (waiting) for (const child of waiting) if (child !== i) parent[child] = i;
      if ((i & (STEP - 1)) === STEP - 1) yield;
    }
  }
  return { parent, canon, inStartOrder: true };
}
