/**
 * Which waterfall rows are visible: collapsed subtrees are hidden, and an in-trace search
 * either highlights its matches or (filter on) shows only them and their ancestors. Pure; the
 * component memoizes it, so scrolling never recomputes it (as Jaeger's TracePage does).
 */
import type { WaterfallRow } from './span-tree.js';

export interface VisibleRow {
  row: WaterfallRow;
  /** Index in the full row list. */
  index: number;
  collapsed: boolean;
  match: boolean;
}

/** Lower-case text a search looks in: service, name, attribute keys and values, status message. */
export function searchText(row: WaterfallRow): string {
  const s = row.span;
  return `${s.serviceName} ${s.name} ${s.statusMessage} ${Object.entries(s.attributes)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ')}`.toLowerCase();
}

/**
 * `extraMatches`: span IDs the core found for the query (attributes of a huge trace's outline
 * spans, which the UI does not hold), matched as well as the local text.
 */
export function visibleRows(
  rows: WaterfallRow[],
  collapsed: ReadonlySet<string>,
  query: string,
  filter: boolean,
  texts?: string[],
  extraMatches?: ReadonlySet<string>,
): VisibleRow[] {
  const q = query.trim().toLowerCase();
  const matches = new Array<boolean>(rows.length).fill(false);
  if (q)
    for (let i = 0; i < rows.length; i++) matches[i] = (texts?.[i] ?? searchText(rows[i]!)).includes(q) || (extraMatches?.has(rows[i]!.span.spanId) ?? false);
  // With the filter on, keep matches and their ancestors (rows are in depth-first order).
  let keep: boolean[] | null = null;
  if (q && filter) {
    keep = new Array<boolean>(rows.length).fill(false);
    const path: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const depth = rows[i]!.depth;
      path.length = depth;
      path[depth] = i;
      if (matches[i]) for (const a of path) keep[a] = true;
    }
  }
  const out: VisibleRow[] = [];
  let hideBelow = -1; // depth of a collapsed ancestor whose subtree is being skipped
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (hideBelow >= 0) {
      if (row.depth > hideBelow) continue;
      hideBelow = -1;
    }
    if (keep && !keep[i]) continue;
    const isCollapsed = row.childCount > 0 && collapsed.has(row.span.spanId);
    out.push({ row, index: i, collapsed: isCollapsed, match: matches[i]! });
    if (isCollapsed) hideBelow = row.depth;
  }
  return out;
}
