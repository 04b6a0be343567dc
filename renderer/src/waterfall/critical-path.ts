/**
 * The critical path: the spans whose time the trace's end waited for. From the root, take the
 * child that ended last (but before the parent ended); the part of the parent before that
 * child's start is explained by the child that ended last before *that*, and so on; recurse
 * into every child taken. Children running in parallel with a longer sibling are not on it.
 */
import type { SpanView } from '../../../shared/model/telemetry.js';

export function criticalPath(spans: SpanView[]): Set<string> {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map<string, SpanView[]>();
  const roots: SpanView[] = [];
  for (const s of spans) {
    if (s.parentSpanId && byId.has(s.parentSpanId) && s.parentSpanId !== s.spanId) {
      const list = children.get(s.parentSpanId) ?? [];
      list.push(s);
      children.set(s.parentSpanId, list);
    } else roots.push(s);
  }
  const end = (s: SpanView): number => s.startTimeMs + s.durationMs;
  const onPath = new Set<string>();
  if (roots.length === 0) return onPath;
  // The trace's critical path starts at the root that ends last.
  const root = roots.reduce((a, b) => (end(b) > end(a) ? b : a));
  const stack: SpanView[] = [root];
  while (stack.length) {
    const span = stack.pop()!;
    if (onPath.has(span.spanId)) continue;
    onPath.add(span.spanId);
    const kids = (children.get(span.spanId) ?? []).slice().sort((a, b) => end(b) - end(a));
    let cursor = end(span);
    for (const k of kids) {
      if (end(k) <= cursor + 1e-9 && end(k) > span.startTimeMs) {
        stack.push(k);
        cursor = k.startTimeMs;
      }
    }
  }
  return onPath;
}
