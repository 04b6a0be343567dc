/**
 * A huge trace's outline held in the core, sorted once in keyset order (start time in ns, then
 * span ID) and cut into getTraceSpans pages without asking SQLite again: before, each page of
 * 40,000 scanned and top-N-sorted all of the trace's rows (no index on the start time: every
 * index costs every write), so a 200,000-span trace cost about six sorts of 200,000 rows.
 * Columns are typed arrays and a string table; a page is a slice in the transfer form of
 * shared/model/span-outline.ts.
 */
import type { SpanOutlineColumns } from '../../../shared/model/span-outline.js';

export interface TraceOutline {
  count: number;
  /** µs since the epoch that starts count from (the trace's start). */
  baseUs: number;
  /** Start in whole µs after baseUs, and the nanoseconds past it: the exact start. */
  startUs: Float64Array;
  startRemNs: Int16Array;
  durationUs: Float64Array;
  /** 16 lowercase hex characters each; parents NO_PARENT when absent. */
  spanIds: string[];
  parentSpanIds: string[];
  kind: Int32Array;
  statusCode: Int32Array;
  strings: string[];
  name: Uint32Array;
  service: Uint32Array;
  statusMessage: Uint32Array;
  /** Events of span i are eventStart[i] … eventStart[i + 1] - 1. */
  eventStart: Uint32Array;
  eventTimeMs: Float64Array;
  eventName: Uint32Array;
}

/** The outline's columns in the order SQLite gave them; `build` sorts them. */
export interface OutlineColumnsUnsorted {
  spanIds: string[];
  parentSpanIds: string[];
  startUs: number[];
  startRemNs: number[];
  durationUs: number[];
  kind: number[];
  statusCode: number[];
  name: string[];
  service: string[];
  statusMessage: string[];
  /** Per span, its events' times (ms) and names. */
  events: (readonly { timeMs: number; name: string }[] | undefined)[];
}

export interface KeysetCursor {
  startTimeUnixNano: string;
  spanId: string;
}

/** -1, 0 or 1 as span i's keyset position compares with (us, remNs, id). */
function compareAt(o: TraceOutline, i: number, us: number, rem: number, id: string): number {
  const d = o.startUs[i]! - us || o.startRemNs[i]! - rem;
  if (d !== 0) return d < 0 ? -1 : 1;
  const sid = o.spanIds[i]!;
  return sid < id ? -1 : sid > id ? 1 : 0;
}

/** Span indexes in keyset order: start (µs, then ns), then span ID. */
function keysetOrder(c: OutlineColumnsUnsorted): Uint32Array {
  const n = c.spanIds.length;
  const us = Float64Array.from(c.startUs);
  const rem = Int16Array.from(c.startRemNs);
  const ids = c.spanIds;
  const order = new Uint32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (sorted && i > 0) sorted = (us[i - 1]! - us[i]! || rem[i - 1]! - rem[i]! || (ids[i - 1]! <= ids[i]! ? -1 : 1)) < 0;
  }
  // SQLite hands the rows over in index order (by span ID), not in start order.
  if (!sorted) order.sort((a, b) => us[a]! - us[b]! || rem[a]! - rem[b]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  return order;
}

export function buildOutline(baseUs: number, c: OutlineColumnsUnsorted): TraceOutline {
  const n = c.spanIds.length;
  const order = keysetOrder(c);
  const strings: string[] = [];
  const index = new Map<string, number>();
  const intern = (s: string): number => {
    let k = index.get(s);
    if (k === undefined) index.set(s, (k = strings.push(s) - 1));
    return k;
  };
  const o: TraceOutline = {
    count: n,
    baseUs,
    startUs: new Float64Array(n),
    startRemNs: new Int16Array(n),
    durationUs: new Float64Array(n),
    spanIds: new Array<string>(n),
    parentSpanIds: new Array<string>(n),
    kind: new Int32Array(n),
    statusCode: new Int32Array(n),
    strings,
    name: new Uint32Array(n),
    service: new Uint32Array(n),
    statusMessage: new Uint32Array(n),
    eventStart: new Uint32Array(n + 1),
    eventTimeMs: new Float64Array(0),
    eventName: new Uint32Array(0),
  };
  const eventTimes: number[] = [];
  const eventNames: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = order[i]!;
    o.startUs[i] = c.startUs[j]!;
    o.startRemNs[i] = c.startRemNs[j]!;
    o.durationUs[i] = c.durationUs[j]!;
    o.spanIds[i] = c.spanIds[j]!;
    o.parentSpanIds[i] = c.parentSpanIds[j]!;
    o.kind[i] = c.kind[j]!;
    o.statusCode[i] = c.statusCode[j]!;
    o.name[i] = intern(c.name[j]!);
    o.service[i] = intern(c.service[j]!);
    o.statusMessage[i] = intern(c.statusMessage[j]!);
    o.eventStart[i] = eventTimes.length;
    for (const e of c.events[j] ?? []) {
      eventTimes.push(e.timeMs);
      eventNames.push(intern(e.name));
    }
  }
  o.eventStart[n] = eventTimes.length;
  o.eventTimeMs = Float64Array.from(eventTimes);
  o.eventName = Uint32Array.from(eventNames);
  return o;
}

/** Index of the first span after the cursor in keyset order (count when none is). */
export function positionAfter(o: TraceOutline, after: KeysetCursor): number {
  const ns = BigInt(after.startTimeUnixNano) - BigInt(o.baseUs) * 1000n;
  const us = Number(ns / 1000n);
  const rem = Number(ns % 1000n);
  let lo = 0;
  let hi = o.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareAt(o, mid, us, rem, after.spanId) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The keyset cursor of span i (what a client passes as `after` to continue behind it). */
export function cursorAt(o: TraceOutline, i: number): KeysetCursor {
  const ns = (BigInt(o.baseUs) + BigInt(o.startUs[i]!)) * 1000n + BigInt(o.startRemNs[i]!);
  return { startTimeUnixNano: String(ns), spanId: o.spanIds[i]! };
}

/** Spans from … to - 1 in the transfer form, with a string table of only the strings they use. */
export function outlineColumns(o: TraceOutline, from: number, to: number): SpanOutlineColumns {
  const n = to - from;
  const local = new Int32Array(o.strings.length).fill(-1);
  const strings: string[] = [];
  const use = (k: number): number => {
    let l = local[k]!;
    if (l < 0) local[k] = l = strings.push(o.strings[k]!) - 1;
    return l;
  };
  const c: SpanOutlineColumns = {
    baseUs: o.baseUs,
    spanIds: o.spanIds.slice(from, to).join(''),
    parentSpanIds: o.parentSpanIds.slice(from, to).join(''),
    startUs: Array.from(o.startUs.subarray(from, to)),
    durationUs: Array.from(o.durationUs.subarray(from, to)),
    kind: Array.from(o.kind.subarray(from, to)),
    statusCode: Array.from(o.statusCode.subarray(from, to)),
    strings,
    name: new Array<number>(n),
    service: new Array<number>(n),
    statusMessage: new Array<number>(n),
    eventSpan: [],
    eventTimeMs: [],
    eventName: [],
  };
  for (let i = 0; i < n; i++) {
    const j = from + i;
    c.name[i] = use(o.name[j]!);
    c.service[i] = use(o.service[j]!);
    c.statusMessage[i] = use(o.statusMessage[j]!);
    for (let e = o.eventStart[j]!; e < o.eventStart[j + 1]!; e++) {
      c.eventSpan.push(i);
      c.eventTimeMs.push(o.eventTimeMs[e]!);
      c.eventName.push(use(o.eventName[e]!));
    }
  }
  return c;
}
