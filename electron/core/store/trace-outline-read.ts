/**
 * Reads a trace's outline columns from SQLite in one row: each column is aggregated in SQL
 * (group_concat of numbers and hex IDs, json_group_array of texts) and parsed whole in JS.
 * Reading the same 200,000 rows one by one costs about 1.2 s in better-sqlite3 (a JS array and
 * two Buffers a row, BigInts with safeIntegers); aggregated, about 0.25 s. Times come as whole
 * microseconds plus the nanoseconds past them, so no BigInt is needed and the start is exact.
 * A range of span IDs can be read alone (`readOutlineRows`), so that threads read a huge
 * trace's parts side by side (outline-thread.ts); `spanIdSplits` says where to cut.
 */
import { sql } from './sql-text.js';
import { buildOutline, type TraceOutline } from './trace-outline.js';
import { StringTable, type OutlineRows } from './outline-rows.js';
import type { Db } from './db.js';

const NANOS_PER_MS = 1e6;

/** The outline's columns over the rows of COLUMNS; a parent that is not 8 bytes is NO_PARENT (all zeros). */
const AGGREGATES = sql`count(*) AS n,
  group_concat(hex(span_id), '') AS ids,
  group_concat(CASE WHEN length(parent_span_id) = 8 THEN hex(parent_span_id) ELSE '0000000000000000' END, '') AS parents,
  group_concat(start_ns / 1000, ',') AS start_us,
  group_concat(start_ns % 1000, ',') AS start_rem_ns,
  group_concat((end_time_unix_nano - start_time_unix_nano) / 1000, ',') AS duration_us,
  group_concat(kind, ',') AS kinds,
  group_concat(status_code, ',') AS codes,
  group_concat(resource_id, ',') AS resources,
  json_group_array(name) AS names,
  json_group_array(status_message) AS messages,
  group_concat(events IS NOT NULL, '') AS has_events,
  json_group_array(CASE WHEN json_valid(events) THEN (SELECT json_group_array(json_array(json_extract(e.value, '$.timeUnixNano'), json_extract(e.value, '$.name'))) FROM json_each(events) e) END) FILTER (WHERE events IS NOT NULL) AS events`;

/** The start counts from the trace's start (the first parameter, in ns): fewer digits to print and parse. */
const COLUMNS = sql`span_id, parent_span_id, name, kind, start_time_unix_nano - ? AS start_ns, end_time_unix_nano, start_time_unix_nano, status_code, status_message, events, resource_id`;

/**
 * The trace's spans from a span ID on (and before another), by span ID: the order of the index
 * they are read through, so no sort (outline-order.ts finds parents by ID in it); sorted by
 * start afterwards, in JS: cheaper than SQLite's sorter here. An empty blob is below every ID.
 */
const FROM_ID = sql`SELECT ${AGGREGATES} FROM (SELECT ${COLUMNS} FROM spans WHERE trace_seq = ? AND span_id >= ? ORDER BY span_id)`;
const FROM_TO_ID = sql`SELECT ${AGGREGATES} FROM (SELECT ${COLUMNS} FROM spans WHERE trace_seq = ? AND span_id >= ? AND span_id < ? ORDER BY span_id)`;
/** The first `limit` spans in keyset order: a top-N sort, for the first page before the whole outline. */
const FIRST = sql`SELECT ${AGGREGATES} FROM (SELECT ${COLUMNS} FROM spans WHERE trace_seq = ? ORDER BY start_time_unix_nano, span_id LIMIT ?)`;

interface AggregateRow {
  n: number;
  ids: string | null;
  parents: string | null;
  start_us: string | null;
  start_rem_ns: string | null;
  duration_us: string | null;
  kinds: string | null;
  codes: string | null;
  resources: string | null;
  names: string;
  messages: string;
  has_events: string | null;
  events: string;
}

const numbers = (text: string | null): number[] => (text ? (JSON.parse(`[${text}]`) as number[]) : []);

/** The aggregated row as columns, its texts interned (stored event JSON may hold anything). */
function rowsOf(db: Db, r: AggregateRow): OutlineRows {
  const n = r.n;
  const table = new StringTable();
  const serviceOf = db.prepare('SELECT service_name FROM resources WHERE id = ?').pluck();
  const services = new Map<number, number>();
  const service = Uint32Array.from(numbers(r.resources), (rid) => {
    let k = services.get(rid);
    if (k === undefined) services.set(rid, (k = table.intern((serviceOf.get(rid) as string | undefined) ?? '')));
    return k;
  });
  const internAll = (texts: string[]): Uint32Array => Uint32Array.from(texts, (t) => table.intern(t));
  const name = internAll(JSON.parse(r.names) as string[]);
  const statusMessage = internAll(JSON.parse(r.messages) as string[]);
  const stored = JSON.parse(r.events) as unknown[];
  const flags = r.has_events ?? '';
  const eventStart = new Uint32Array(n + 1);
  const eventTimeMs: number[] = [];
  const eventName: number[] = [];
  for (let i = 0, k = 0; i < n; i++) {
    eventStart[i] = eventTimeMs.length;
    if (flags.charCodeAt(i) !== 0x31) continue;
    const list = stored[k++];
    for (const e of Array.isArray(list) ? (list as unknown[]) : []) {
      if (!Array.isArray(e)) continue;
      const [time, text] = e as unknown[];
      if (typeof time !== 'number') continue;
      eventTimeMs.push(time / NANOS_PER_MS);
      eventName.push(table.intern(typeof text === 'string' ? text : ''));
    }
  }
  eventStart[n] = eventTimeMs.length;
  return {
    count: n,
    // hex() writes upper case; lowering the whole text at once is cheaper than lower() a row.
    spanIds: (r.ids ?? '').toLowerCase(),
    parentSpanIds: (r.parents ?? '').toLowerCase(),
    startUs: Float64Array.from(numbers(r.start_us)),
    startRemNs: Int16Array.from(numbers(r.start_rem_ns)),
    durationUs: Float64Array.from(numbers(r.duration_us)),
    kind: Int32Array.from(numbers(r.kinds)),
    statusCode: Int32Array.from(numbers(r.codes)),
    strings: table.strings,
    name,
    service,
    statusMessage,
    eventStart,
    eventTimeMs: Float64Array.from(eventTimeMs),
    eventName: Uint32Array.from(eventName),
  };
}

/**
 * The trace's spans with IDs from `fromId` (hex, inclusive; all when undefined) up to `toId`
 * (exclusive; to the end when undefined), by span ID, times from `baseUs` (the trace's start).
 */
export function readOutlineRows(db: Db, seq: number, baseUs: number, fromId?: string, toId?: string): OutlineRows {
  const base = BigInt(baseUs) * 1000n;
  const from = Buffer.from(fromId ?? '', 'hex');
  const row = toId === undefined ? db.prepare(FROM_ID).get(base, seq, from) : db.prepare(FROM_TO_ID).get(base, seq, from, Buffer.from(toId, 'hex'));
  return rowsOf(db, row as AggregateRow);
}

/** The whole trace's outline in keyset order, times from `baseUs` (the trace's start). */
export function readTraceOutline(db: Db, seq: number, baseUs: number): TraceOutline {
  return buildOutline(baseUs, readOutlineRows(db, seq, baseUs), false);
}

/**
 * The span IDs (hex) that cut the trace's `count` spans into `parts` ranges of about equal size,
 * read from the span ID index alone.
 */
export function spanIdSplits(db: Db, seq: number, count: number, parts: number): string[] {
  const at = db.prepare('SELECT lower(hex(span_id)) FROM spans WHERE trace_seq = ? ORDER BY span_id LIMIT 1 OFFSET ?').pluck();
  const splits: string[] = [];
  for (let k = 1; k < parts; k++) {
    const id = at.get(seq, Math.floor((count * k) / parts)) as string | undefined;
    if (id !== undefined && id !== splits[splits.length - 1]) splits.push(id);
  }
  return splits;
}

/** The trace's first `limit` spans in keyset order, times from `baseUs`. */
export function readFirstSpans(db: Db, seq: number, limit: number, baseUs: number): TraceOutline {
  const row = db.prepare(FIRST).get(BigInt(baseUs) * 1000n, seq, limit) as AggregateRow;
  // As many spans as asked for: the trace may have more, where a parent could be.
  return buildOutline(baseUs, rowsOf(db, row), row.n === limit);
}
