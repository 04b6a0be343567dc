/**
 * Turns a trace's spans into waterfall rows: depth-first in start order, children under
 * their parent, orphans (parent not received) at the top level so nothing is hidden.
 * Pure and independent of React, so it is unit-tested and reused by later views.
 *
 * It works on span positions (parents as positions, span-links.ts; children as offsets into one
 * Int32Array) rather than maps and lists keyed by span ID, and it is written as sliced work
 * (sliced.ts): at 200,000 spans it yields every few thousand spans, so the page that brings
 * the last spans is laid out between frames instead of in one long task.
 */
import type { SpanView } from '../../../shared/model/telemetry.js';
import { SpanIndex } from './span-index.js';
import { linksById, type SpanLinks } from './span-links.js';
import { runToEnd, type Sliced } from './sliced.js';

export interface WaterfallRow {
  span: SpanView;
  depth: number;
  childCount: number;
  /** Offset of the span's start from the trace start, in ms. */
  offsetMs: number;
}

/** The parent → children structure of a span list, on positions in it. */
export interface SpanTree {
  /** canon[i]: the position of the span that spans[i]'s ID names (i, unless the ID repeats). */
  canon: Int32Array;
  /** Children of the span at canonical position p: kids[first[p] … first[p + 1]), by start. */
  first: Int32Array;
  kids: Int32Array;
  /** Spans without a received parent (or their own parent), by start. */
  roots: Int32Array;
  traceStartMs: number;
  traceEndMs: number;
}

/** Yield to the slicer after this many spans (a fraction of a millisecond of work). */
const STEP = 4096;

/** Sorts `ids[from…to)` by start time, ties in their given order (skipped when already sorted). */
function sortByStart(ids: Int32Array, from: number, to: number, spans: readonly SpanView[]): void {
  for (let i = from + 1; i < to; i++) {
    if (spans[ids[i - 1]!]!.startTimeMs > spans[ids[i]!]!.startTimeMs) {
      ids.subarray(from, to).sort((a, b) => spans[a]!.startTimeMs - spans[b]!.startTimeMs || a - b);
      return;
    }
  }
}

/** The tree of `spans`, whose parents `links` gives. */
export function* spanTree(spans: readonly SpanView[], links: SpanLinks): Sliced<SpanTree> {
  const n = spans.length;
  const { canon, parent } = links;
  const childCount = new Int32Array(n);
  let traceStart = Infinity;
  let traceEnd = -Infinity;
  let rootCount = 0;
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    if (s.startTimeMs < traceStart) traceStart = s.startTimeMs;
    if (s.startTimeMs + s.durationMs > traceEnd) traceEnd = s.startTimeMs + s.durationMs;
    const p = parent[i]!;
    if (p < 0) rootCount++;
    else childCount[p] = childCount[p]! + 1;
    if ((i & (STEP - 1)) === STEP - 1) yield;
  }
  const first = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) first[i + 1] = first[i]! + childCount[i]!;
  const kids = new Int32Array(n - rootCount);
  const roots = new Int32Array(rootCount);
  const filled = first.slice(0, n);
  for (let i = 0, r = 0; i < n; i++) {
    const p = parent[i]!;
    if (p < 0) roots[r++] = i;
    else kids[filled[p]!++] = i;
  }
  yield;
  if (!links.inStartOrder) {
    sortByStart(roots, 0, rootCount, spans);
    for (let p = 0; p < n; p++) {
      if (childCount[p]! > 1) sortByStart(kids, first[p]!, first[p + 1]!, spans);
      if ((p & (STEP - 1)) === STEP - 1) yield;
    }
  }
  return { canon, first, kids, roots, traceStartMs: n ? traceStart : 0, traceEndMs: n ? traceEnd : 0 };
}

/** The rows, depth-first; rowSpan[r] is the position in `spans` of row r's span. */
export function* treeRows(spans: readonly SpanView[], tree: SpanTree): Sliced<{ rows: WaterfallRow[]; rowSpan: Int32Array }> {
  const n = spans.length;
  const { canon, first, kids, roots } = tree;
  const rows: WaterfallRow[] = [];
  const rowSpan = new Int32Array(n);
  const visited = new Uint8Array(n);
  // Iterative DFS: traces can be deep enough to overflow a recursive walk.
  const stack = new Int32Array(n);
  const depthOf = new Int32Array(n);
  let top = 0;
  for (let r = roots.length - 1; r >= 0; r--) stack[top++] = roots[r]!;
  while (top > 0) {
    const i = stack[--top]!;
    const c = canon[i]!;
    if (visited[c]) continue;
    visited[c] = 1;
    const depth = depthOf[i]!;
    // The children of the span that its ID names.
    const from = first[c]!;
    const to = first[c + 1]!;
    const span = spans[i]!;
    rowSpan[rows.length] = i;
    rows.push({ span, depth, childCount: to - from, offsetMs: span.startTimeMs - tree.traceStartMs });
    for (let k = to - 1; k >= from; k--) {
      const child = kids[k]!;
      depthOf[child] = depth + 1;
      stack[top++] = child;
    }
    if ((rows.length & (STEP - 1)) === 0) yield;
  }
  return { rows, rowSpan: rowSpan.subarray(0, rows.length) };
}

/** Every span of the list in a new index. */
export function* indexSpans(spans: readonly SpanView[]): Sliced<SpanIndex> {
  const index = new SpanIndex(spans);
  for (let i = 0; i < spans.length; i++) {
    index.add(i);
    if ((i & (STEP - 1)) === STEP - 1) yield;
  }
  return index;
}

/** All at once: the tree of a span list, its parents found by ID. */
export function spanTreeAtOnce(spans: readonly SpanView[]): SpanTree {
  return runToEnd(spanTree(spans, runToEnd(linksById(spans, runToEnd(indexSpans(spans))))));
}

/** All at once: the rows of a span list, with the trace's start and duration. */
export function buildWaterfallRows(spans: SpanView[]): { rows: WaterfallRow[]; traceStartMs: number; traceDurationMs: number } {
  const tree = spanTreeAtOnce(spans);
  const { rows } = runToEnd(treeRows(spans, tree));
  return { rows, traceStartMs: tree.traceStartMs, traceDurationMs: Math.max(tree.traceEndMs - tree.traceStartMs, 0) };
}
