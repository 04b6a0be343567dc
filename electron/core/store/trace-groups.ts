/**
 * Loads the groups of a trace comparison from the store: the traces a search finds (newest
 * first, up to its limit) or the ones named by ID, each with its duration and its spans in the
 * shape compareGroups (compare/compare-groups.ts) reads.
 */
import type { Db } from './db.js';
import { traceSearchWhere, type TraceSearch } from './trace-search.js';
import type { CompareSpan, CompareTrace } from '../../../shared/model/trace-compare.js';

export type TraceGroupQuery = Omit<TraceSearch, 'dataset'> & { traceIds?: string[] | undefined };

export function loadTraceGroup(db: Db, dataset: number, group: TraceGroupQuery): CompareTrace[] {
  const picked = group.traceIds
    ? group.traceIds.flatMap(
        (id) =>
          db
            .prepare('SELECT trace_seq, trace_id, end_time_unix_nano - start_time_unix_nano FROM traces t WHERE trace_id = ? AND dataset_id = ?')
            .raw(true)
            .all(Buffer.from(id, 'hex'), dataset) as [number, Buffer, number][],
      )
    : (() => {
        const w = traceSearchWhere({ ...group, dataset });
        return db
          .prepare(
            `SELECT t.trace_seq, t.trace_id, t.end_time_unix_nano - t.start_time_unix_nano FROM traces t WHERE ${w.sql} ORDER BY t.start_time_unix_nano DESC LIMIT ?`,
          )
          .raw(true)
          .all(...w.params, group.limit) as [number, Buffer, number][];
      })();
  const spans = db
    .prepare(
      `SELECT lower(hex(s.span_id)), lower(hex(s.parent_span_id)), r.service_name, s.name, s.start_time_unix_nano / 1e6, (s.end_time_unix_nano - s.start_time_unix_nano) / 1e6, s.status_code = 2
     FROM spans s JOIN resources r ON r.id = s.resource_id WHERE s.trace_seq = ?`,
    )
    .raw(true);
  return picked.map(([seq, id, durationNs]) => ({
    traceId: id.toString('hex'),
    durationMs: durationNs / 1e6,
    spans: (spans.all(seq) as [string, string | null, string, string, number, number, number][]).map(
      ([spanId, parentSpanId, service, name, startTimeMs, durationMs, error]): CompareSpan => ({
        spanId,
        parentSpanId: parentSpanId || null,
        service,
        name,
        startTimeMs,
        durationMs,
        error: error === 1,
      }),
    ),
  }));
}
