/**
 * Lays out a service dependency graph in columns: a service's column is the length of the
 * longest call chain that reaches it from a service nobody calls (cycles are cut), so callers
 * stand left of their callees and each edge is drawn once. Pure and deterministic.
 */
import type { ServiceGraph, ServiceGraphEdge } from '../../../shared/model/trace-compare.js';

export const NODE_WIDTH_PX = 170;
export const NODE_HEIGHT_PX = 44;
const COLUMN_GAP_PX = 230; // room for an edge's label
const ROW_GAP_PX = 34;
const PAD_PX = 20;

export interface PlacedNode {
  service: string;
  column: number;
  xPx: number;
  yPx: number;
}

export interface GraphLayout {
  nodes: PlacedNode[];
  widthPx: number;
  heightPx: number;
}

/** Column of each service: longest path from a root, following edges at most once per chain. */
export function serviceColumns(services: readonly string[], edges: readonly Pick<ServiceGraphEdge, 'parent' | 'child'>[]): Map<string, number> {
  const out = new Map<string, string[]>();
  const called = new Set<string>();
  for (const e of edges) {
    out.set(e.parent, [...(out.get(e.parent) ?? []), e.child]);
    called.add(e.child);
  }
  const column = new Map<string, number>(services.map((s) => [s, 0]));
  const walk = (s: string, depth: number, onPath: Set<string>): void => {
    if (depth > 0 && (column.get(s) ?? 0) >= depth) return; // already placed this deep: its callees are too
    column.set(s, Math.max(column.get(s) ?? 0, depth));
    onPath.add(s);
    for (const c of out.get(s) ?? []) if (!onPath.has(c)) walk(c, depth + 1, onPath);
    onPath.delete(s);
  };
  const roots = services.filter((s) => !called.has(s));
  // A graph that is all cycle has no root: start from the first service.
  for (const r of roots.length ? roots : services.slice(0, 1)) walk(r, 0, new Set());
  return column;
}

export function layoutServiceGraph(graph: ServiceGraph): GraphLayout {
  const services = graph.nodes.map((n) => n.service);
  const columns = serviceColumns(services, graph.edges);
  const byColumn = new Map<number, string[]>();
  for (const s of services) byColumn.set(columns.get(s)!, [...(byColumn.get(columns.get(s)!) ?? []), s]);
  const nodes: PlacedNode[] = [];
  let rows = 0;
  for (const [column, list] of [...byColumn].sort((a, b) => a[0] - b[0])) {
    list.sort();
    rows = Math.max(rows, list.length);
    list.forEach((service, i) =>
      nodes.push({ service, column, xPx: PAD_PX + column * (NODE_WIDTH_PX + COLUMN_GAP_PX), yPx: PAD_PX + i * (NODE_HEIGHT_PX + ROW_GAP_PX) }),
    );
  }
  const maxColumn = Math.max(0, ...nodes.map((n) => n.column));
  return {
    nodes,
    widthPx: PAD_PX * 2 + (maxColumn + 1) * NODE_WIDTH_PX + maxColumn * COLUMN_GAP_PX,
    heightPx: PAD_PX * 2 + rows * NODE_HEIGHT_PX + Math.max(0, rows - 1) * ROW_GAP_PX + 30,
  };
}
