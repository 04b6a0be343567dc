/**
 * What a trace spent its time on, for choosing the metric lanes under its waterfall: the span
 * with the most self time (where the trace's own clock went), and per kind of work (storage,
 * GPU, network, queue) the slowest span of it and the share of the trace it covered. Only the
 * slowest spans (by self time and by duration) are classified, so a 20,000-span trace reads
 * names and times of all its spans but the attributes of a few dozen.
 */
import { parseStoredObject } from './parse-stored.js';
import { spanWork, type SpanWork } from './lane-kinds.js';
import { selfTimes } from '../../../shared/compare/self-time.js';
import type { Db } from './db.js';

/** Spans classified: the slowest this many by self time, and as many by duration. */
const CLASSIFIED_SPANS = 40;

export interface SlowSpan {
  name: string;
  service: string;
  host: string | null;
  work: SpanWork | null;
  selfMs: number;
  durationMs: number;
}

export interface TraceTimeSpent {
  durationMs: number;
  /** The span with the most self time. */
  top: SlowSpan | null;
  /** Per kind of work: its slowest span, and the share of the trace its spans covered (0–1). */
  work: ReadonlyMap<SpanWork, { share: number; slowest: SlowSpan }>;
  /** The share of the trace that was spans' own work (no storage, GPU, network or queue). */
  computeShare: number;
}

interface SpanRow {
  id: number;
  span_id: Buffer;
  parent_span_id: Buffer | null;
  name: string;
  kind: number;
  start_ms: number;
  duration_ms: number;
  resource_id: number;
}

/** Total length of the union of intervals. */
function covered(intervals: [number, number][]): number {
  intervals.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of intervals) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

export function traceTimeSpent(db: Db, traceSeq: number): TraceTimeSpent {
  const rows = db
    .prepare(
      `SELECT id, span_id, parent_span_id, name, kind, start_time_unix_nano / 1e6 AS start_ms,
              (end_time_unix_nano - start_time_unix_nano) / 1e6 AS duration_ms, resource_id
       FROM spans WHERE trace_seq = ?`,
    )
    .all(traceSeq) as SpanRow[];
  const resourceIds = new Set(rows.map((r) => r.resource_id));
  const resources = new Map(
    (
      db
        .prepare(`SELECT id, service_name, json_extract(attributes, '$."host.name"') AS host FROM resources WHERE id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify([...resourceIds])) as { id: number; service_name: string; host: unknown }[]
    ).map((r) => [r.id, { service: r.service_name, host: typeof r.host === 'string' && r.host !== '' ? r.host : null }]),
  );
  let start = Infinity;
  let end = -Infinity;
  for (const r of rows) {
    start = Math.min(start, r.start_ms);
    end = Math.max(end, r.start_ms + r.duration_ms);
  }
  const durationMs = rows.length ? end - start : 0;
  const self = selfTimes(
    rows.map((r) => ({
      spanId: r.span_id.toString('hex'),
      parentSpanId: r.parent_span_id && r.parent_span_id.length ? r.parent_span_id.toString('hex') : null,
      startTimeMs: r.start_ms,
      durationMs: Math.max(0, r.duration_ms),
    })),
  );
  const selfOf = (r: SpanRow): number => self.get(r.span_id.toString('hex')) ?? 0;
  const bySelf = [...rows].sort((a, b) => selfOf(b) - selfOf(a)).slice(0, CLASSIFIED_SPANS);
  const byDuration = [...rows].sort((a, b) => b.duration_ms - a.duration_ms).slice(0, CLASSIFIED_SPANS);
  const candidates = [...new Map([...bySelf, ...byDuration].map((r) => [r.id, r])).values()];
  const attributes = new Map(
    (
      db.prepare('SELECT id, attributes FROM spans WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(candidates.map((c) => c.id))) as {
        id: number;
        attributes: string;
      }[]
    ).map((r) => [r.id, r.attributes]),
  );
  const slow = (r: SpanRow): SlowSpan => {
    const res = resources.get(r.resource_id);
    return {
      name: r.name,
      service: res?.service ?? '',
      host: res?.host ?? null,
      work: spanWork(r.name, r.kind, parseStoredObject(attributes.get(r.id) ?? null)),
      selfMs: selfOf(r),
      durationMs: r.duration_ms,
    };
  };
  const classified = candidates.map((r) => ({ row: r, span: slow(r) }));
  const intervals = new Map<SpanWork, [number, number][]>();
  const slowest = new Map<SpanWork, SlowSpan>();
  let computeMs = 0;
  for (const { row, span } of classified) {
    if (span.work === null) {
      computeMs += span.selfMs;
      continue;
    }
    const list = intervals.get(span.work) ?? [];
    list.push([row.start_ms, row.start_ms + row.duration_ms]);
    intervals.set(span.work, list);
    const s = slowest.get(span.work);
    if (!s || span.durationMs > s.durationMs) slowest.set(span.work, span);
  }
  const work = new Map<SpanWork, { share: number; slowest: SlowSpan }>();
  for (const [kind, list] of intervals) work.set(kind, { share: durationMs > 0 ? Math.min(1, covered(list) / durationMs) : 0, slowest: slowest.get(kind)! });
  const topRow = bySelf[0];
  return {
    durationMs,
    top: topRow ? (classified.find((c) => c.row.id === topRow.id)?.span ?? null) : null,
    work,
    computeShare: durationMs > 0 ? Math.min(1, computeMs / durationMs) : 0,
  };
}
