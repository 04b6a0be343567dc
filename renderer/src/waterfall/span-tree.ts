/**
 * Turns a trace's spans into waterfall rows: depth-first in start order, children under
 * their parent, orphans (parent not received) at the top level so nothing is hidden.
 * Pure and independent of React, so it is unit-tested and reused by later views.
 */
import type { SpanView } from '../../../shared/model/telemetry.js';

export interface WaterfallRow {
  span: SpanView;
  depth: number;
  childCount: number;
  /** Offset of the span's start from the trace start, in ms. */
  offsetMs: number;
}

export function buildWaterfallRows(spans: SpanView[]): { rows: WaterfallRow[]; traceStartMs: number; traceDurationMs: number } {
  if (spans.length === 0) return { rows: [], traceStartMs: 0, traceDurationMs: 0 };
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map<string, SpanView[]>();
  const roots: SpanView[] = [];
  for (const s of spans) {
    if (s.parentSpanId && byId.has(s.parentSpanId) && s.parentSpanId !== s.spanId) {
      const list = children.get(s.parentSpanId);
      if (list) list.push(s);
      else children.set(s.parentSpanId, [s]);
    } else roots.push(s);
  }
  const byStart = (a: SpanView, b: SpanView): number => a.startTimeMs - b.startTimeMs;
  let start = Infinity;
  let end = -Infinity;
  for (const s of spans) {
    start = Math.min(start, s.startTimeMs);
    end = Math.max(end, s.startTimeMs + s.durationMs);
  }
  const rows: WaterfallRow[] = [];
  const visited = new Set<string>();
  // Iterative DFS: traces can be deep enough to overflow a recursive walk.
  const stack: { span: SpanView; depth: number }[] = roots
    .sort(byStart)
    .reverse()
    .map((span) => ({ span, depth: 0 }));
  while (stack.length > 0) {
    const { span, depth } = stack.pop()!;
    if (visited.has(span.spanId)) continue;
    visited.add(span.spanId);
    const kids = (children.get(span.spanId) ?? []).sort(byStart);
    rows.push({ span, depth, childCount: kids.length, offsetMs: span.startTimeMs - start });
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i]!, depth: depth + 1 });
  }
  return { rows, traceStartMs: start, traceDurationMs: Math.max(end - start, 0) };
}
