/**
 * Huge traces go to the waterfall in pages instead of whole: spans in start order, keyset by
 * (start time, span ID), so each page extends a prefix of the trace in time and, parents
 * starting before their children, a coherent part of the tree that can be drawn at once.
 * Traces up to FULL_DETAIL_MAX_SPANS come with everything, in one page; bigger ones as
 * outlines (what the waterfall draws: IDs, names, services, times, status, event times),
 * about a tenth of the bytes, with one span's detail (getSpan) and attribute search
 * (findSpans) asked for when needed.
 */
import { parseStoredArray } from './parse-stored.js';
import { sql } from './sql-text.js';
import { foldedContains } from './sql-functions.js';
import type { Db } from './db.js';
import type { SpanEventView, TraceSpansPage, TraceSummary, SpanView } from '../../../shared/model/telemetry.js';

export const FULL_DETAIL_MAX_SPANS = 5000;
const NANOS_PER_MS = 1e6;

interface OutlineRow {
  span_id: Buffer;
  parent_span_id: Buffer | null;
  name: string;
  kind: number;
  start_ns: bigint;
  end_ns: bigint;
  status_code: number;
  status_message: string;
  events: string | null;
  resource_id: number;
}

export function traceSpansPage(
  db: Db,
  trace: { seq: number; summary: TraceSummary },
  after: { startTimeUnixNano: string; spanId: string } | undefined,
  limit: number,
  fullSpans: (seq: number) => SpanView[],
): TraceSpansPage {
  if (trace.summary.spanCount <= FULL_DETAIL_MAX_SPANS) return { summary: trace.summary, spans: fullSpans(trace.seq), next: null, outline: false };
  const rows = db
    .prepare(
      `SELECT span_id, parent_span_id, name, kind, start_time_unix_nano AS start_ns, end_time_unix_nano AS end_ns, status_code, status_message, events, resource_id
       FROM spans WHERE trace_seq = ? AND (start_time_unix_nano, span_id) > (?, ?) ORDER BY start_time_unix_nano, span_id LIMIT ?`,
    )
    .safeIntegers(true)
    .all(trace.seq, after ? BigInt(after.startTimeUnixNano) : -(2n ** 63n), after ? Buffer.from(after.spanId, 'hex') : Buffer.alloc(0), limit) as OutlineRow[];
  const services = new Map<number, string>();
  const serviceOf = db.prepare('SELECT service_name FROM resources WHERE id = ?').pluck();
  const spans = rows.map((r): SpanView => {
    const rid = Number(r.resource_id);
    let service = services.get(rid);
    if (service === undefined) services.set(rid, (service = serviceOf.get(rid) as string));
    const startMs = Number(r.start_ns / 1000n) / 1000;
    return {
      spanId: r.span_id.toString('hex'),
      parentSpanId: r.parent_span_id ? r.parent_span_id.toString('hex') : null,
      name: r.name,
      serviceName: service,
      kind: Number(r.kind),
      startTimeMs: startMs,
      durationMs: Number((r.end_ns - r.start_ns) / 1000n) / 1000,
      statusCode: Number(r.status_code),
      statusMessage: r.status_message,
      attributes: {},
      resourceAttributes: {},
      scopeName: '',
      scopeVersion: '',
      events: (parseStoredArray(r.events, 3) as { timeUnixNano: number; name: string }[]).map((e): SpanEventView => ({
        timeMs: e.timeUnixNano / NANOS_PER_MS,
        name: e.name,
        attributes: {},
      })),
      links: [],
      outline: true,
    };
  });
  const last = rows.at(-1);
  return {
    summary: trace.summary,
    spans,
    next: rows.length === limit && last ? { startTimeUnixNano: String(last.start_ns), spanId: last.span_id.toString('hex') } : null,
    outline: true,
  };
}

/**
 * Span IDs of a trace whose service, name, status message or an attribute as "key=value"
 * contains `text` (case-insensitive): the same text the waterfall searches locally
 * (row-states.ts searchText), so results do not depend on whether the UI holds the attributes.
 */
export function findSpans(db: Db, seq: number, text: string, limit: number): string[] {
  const m = foldedContains(text);
  const [t] = m.params('text');
  return db
    .prepare(
      sql`SELECT lower(hex(s.span_id)) FROM spans s JOIN resources r ON r.id = s.resource_id
       WHERE s.trace_seq = ? AND (${m.sql(sql`s.name`, 'text')} OR ${m.sql(sql`s.status_message`, 'text')} OR ${m.sql(sql`r.service_name`, 'text')}
         OR (json_valid(s.attributes) AND EXISTS (SELECT 1 FROM json_each(s.attributes) j WHERE ${m.sql(sql`(j.key || '=' || j.value)`, 'text')})))
       LIMIT ?`,
    )
    .pluck()
    .all(seq, t, t, t, t, limit) as string[];
}
