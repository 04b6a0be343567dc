/**
 * The critical path: the spans whose time the trace's end waited for. From the root, take the
 * child that ended last (but before the parent ended); the part of the parent before that
 * child's start is explained by the child that ended last before *that*, and so on; recurse
 * into every child taken. Children running in parallel with a longer sibling are not on it.
 * It walks the span tree of span-tree.ts (positions, not IDs) as sliced work.
 */
import type { SpanView } from '../../../shared/model/telemetry.js';
import { spanTreeAtOnce, type SpanTree } from './span-tree.js';
import { runToEnd, type Sliced } from './sliced.js';

/** onPath[p] = 1 for each canonical span position p on the critical path. */
export function* criticalPathIn(spans: readonly SpanView[], tree: SpanTree): Sliced<Uint8Array> {
  const onPath = new Uint8Array(spans.length);
  const end = (i: number): number => spans[i]!.startTimeMs + spans[i]!.durationMs;
  if (tree.roots.length === 0) return onPath;
  // The trace's critical path starts at the root that ends last (the first in list order on a tie).
  let root = tree.roots[0]!;
  for (const r of tree.roots) if (end(r) > end(root) || (end(r) === end(root) && r < root)) root = r;
  const stack = [tree.canon[root]!];
  for (let steps = 1; stack.length; steps++) {
    const p = stack.pop()!;
    if (onPath[p]) continue;
    onPath[p] = 1;
    const kids = Array.from(tree.kids.subarray(tree.first[p]!, tree.first[p + 1]!)).sort((a, b) => end(b) - end(a) || a - b);
    let cursor = end(p);
    for (const k of kids) {
      if (end(k) <= cursor + 1e-9 && end(k) > spans[p]!.startTimeMs) {
        stack.push(tree.canon[k]!);
        cursor = spans[k]!.startTimeMs;
      }
    }
    if ((steps & 1023) === 0) yield;
  }
  return onPath;
}

/** All at once: the IDs of the spans on the critical path. */
export function criticalPath(spans: SpanView[]): Set<string> {
  const tree = spanTreeAtOnce(spans);
  const onPath = runToEnd(criticalPathIn(spans, tree));
  return new Set(spans.filter((_, i) => onPath[i]).map((s) => s.spanId));
}
