/**
 * The service dependency graph of a dataset: one edge per (parent service, child service)
 * where a span's parent belongs to another service, with call counts, errors and p50/p95 of
 * the child spans. Read from the newest traces in range (`limit`), spans by trace_seq and
 * parents through the (trace_seq, span_id) index, so the cost is bounded whatever the store.
 */
import type { Db } from './db.js';
import { joinSql, sql, type SqlText } from './sql-text.js';
import type { ServiceGraph, ServiceGraphEdge, ServiceGraphNode } from '../../../shared/model/trace-compare.js';
import { quantileSorted } from '../../../shared/stats/descriptive.js';

const ns = (ms: number): bigint => BigInt(Math.round(ms * 1000)) * 1000n;

export interface ServiceGraphQuery {
  /** Undefined: every dataset. */
  dataset: number | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
  limit: number;
}

export function serviceGraph(db: Db, q: ServiceGraphQuery): ServiceGraph {
  const where: SqlText[] = [sql`1`];
  const params: (number | bigint)[] = [];
  if (q.dataset !== undefined) {
    where.push(sql`dataset_id = ?`);
    params.push(q.dataset);
  }
  if (q.fromMs !== undefined) {
    where.push(sql`start_time_unix_nano >= ?`);
    params.push(ns(q.fromMs));
  }
  if (q.toMs !== undefined) {
    where.push(sql`start_time_unix_nano < ?`);
    params.push(ns(q.toMs));
  }
  const rows = db
    .prepare(
      `WITH sel AS (SELECT trace_seq FROM traces WHERE ${joinSql(where, ' AND ')} ORDER BY start_time_unix_nano DESC LIMIT ?)
       SELECT cr.service_name, pr.service_name, (c.end_time_unix_nano - c.start_time_unix_nano) / 1e6, c.status_code = 2, sel.trace_seq
       FROM sel JOIN spans c ON c.trace_seq = sel.trace_seq JOIN resources cr ON cr.id = c.resource_id
       LEFT JOIN spans p ON p.trace_seq = c.trace_seq AND p.span_id = c.parent_span_id LEFT JOIN resources pr ON pr.id = p.resource_id`,
    )
    .raw(true)
    .iterate(...params, q.limit) as IterableIterator<[string, string | null, number, number, number]>;
  const nodes = new Map<string, ServiceGraphNode>();
  const edges = new Map<string, { parent: string; child: string; durationsMs: number[]; errors: number }>();
  const traces = new Set<number>();
  for (const [child, parent, durationMs, error, seq] of rows) {
    traces.add(seq);
    let node = nodes.get(child);
    if (!node) nodes.set(child, (node = { service: child, spans: 0, errors: 0 }));
    node.spans++;
    node.errors += error;
    if (parent === null || parent === child) continue;
    const key = `${parent}\u0000${child}`;
    let edge = edges.get(key);
    if (!edge) edges.set(key, (edge = { parent, child, durationsMs: [], errors: 0 }));
    edge.durationsMs.push(durationMs);
    edge.errors += error;
  }
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  const edgeList: ServiceGraphEdge[] = [...edges.values()].map((e) => {
    const sorted = Float64Array.from(e.durationsMs).sort();
    return {
      parent: e.parent,
      child: e.child,
      calls: e.durationsMs.length,
      errors: e.errors,
      p50Ms: round(quantileSorted(sorted, 0.5)),
      p95Ms: round(quantileSorted(sorted, 0.95)),
    };
  });
  return {
    nodes: [...nodes.values()].sort((a, b) => a.service.localeCompare(b.service)),
    edges: edgeList.sort((a, b) => b.calls - a.calls || a.parent.localeCompare(b.parent) || a.child.localeCompare(b.child)),
    traces: traces.size,
    truncated:
      traces.size === q.limit &&
      (db
        .prepare(`SELECT count(*) FROM (SELECT 1 FROM traces WHERE ${joinSql(where, ' AND ')} LIMIT ?)`)
        .pluck()
        .get(...params, q.limit + 1) as number) > q.limit,
  };
}
