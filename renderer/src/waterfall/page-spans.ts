/**
 * Adds a getTraceSpans page to the spans the UI holds: whole spans (a small trace) as they
 * are, outline columns made into SpanViews a few thousand at a time (sliced work, so a page of
 * 25,000 outline spans never holds the UI thread for long), each registered in the SpanIndex.
 */
import type { SpanView, TraceSpansPage } from '../../../shared/model/telemetry.js';
import { outlineSpans } from '../../../shared/model/outline-spans.js';
import type { SpanIndex } from './span-index.js';
import type { Sliced } from './sliced.js';

const PART = 4096;

export function* addPage(page: TraceSpansPage, spans: SpanView[], index: SpanIndex): Sliced<void> {
  const add = (part: SpanView[]): void => {
    for (const s of part) index.add(spans.push(s) - 1);
  };
  if (!page.outline) return add(page.spans);
  const n = page.outline.startUs.length;
  for (let from = 0; from < n; from += PART) {
    add(outlineSpans(page.outline, from, Math.min(n, from + PART)));
    yield;
  }
}
