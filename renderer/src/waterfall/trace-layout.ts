/**
 * Everything the waterfall needs from a trace's spans that costs a pass over all of them: the
 * rows (span-tree.ts), the critical path by row (critical-path.ts), the spans that have
 * children (for "Collapse all") and the services (for colours). Made as one piece of sliced
 * work when pages arrive (useTraceSpans), so the components only pick from it.
 */
import type { SpanView } from '../../../shared/model/telemetry.js';
import type { SpanList } from './span-list.js';
import { spanTree, treeRows, type WaterfallRow } from './span-tree.js';
import { criticalPathIn } from './critical-path.js';
import type { Sliced } from './sliced.js';

export interface TraceLayout {
  spans: SpanView[];
  rows: WaterfallRow[];
  /** critical[r] is 1 when row r's span is on the critical path. */
  critical: Uint8Array;
  /** IDs of the spans with children, in row order. */
  parentIds: string[];
  /** Each service of the trace once. */
  services: string[];
  traceStartMs: number;
  traceDurationMs: number;
}

export const EMPTY_LAYOUT: TraceLayout = { spans: [], rows: [], critical: new Uint8Array(0), parentIds: [], services: [], traceStartMs: 0, traceDurationMs: 0 };

/** The layout of the spans `list` holds now (pages added while this runs are left for the next). */
export function* traceLayout(list: SpanList): Sliced<TraceLayout> {
  const spans = list.spans.slice();
  const tree = yield* spanTree(spans, yield* list.links(spans));
  const onPath = yield* criticalPathIn(spans, tree);
  const { rows, rowSpan } = yield* treeRows(spans, tree);
  const critical = new Uint8Array(rows.length);
  const parentIds: string[] = [];
  const services = new Set<string>();
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    critical[r] = onPath[tree.canon[rowSpan[r]!]!]!;
    if (row.childCount > 0) parentIds.push(row.span.spanId);
    services.add(row.span.serviceName);
    if ((r & 8191) === 8191) yield;
  }
  return {
    spans,
    rows,
    critical,
    parentIds,
    services: [...services],
    traceStartMs: tree.traceStartMs,
    traceDurationMs: Math.max(tree.traceEndMs - tree.traceStartMs, 0),
  };
}
