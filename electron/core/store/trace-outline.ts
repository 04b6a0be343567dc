/**
 * A huge trace's outline held in the core, sorted once in keyset order (start time in ns, then
 * span ID) and cut into getTraceSpans pages without asking SQLite again: before, each page of
 * 40,000 scanned and top-N-sorted all of the trace's rows (no index on the start time: every
 * index costs every write), so a 200,000-span trace cost about six sorts of 200,000 rows.
 * Columns are typed arrays and a string table; a page is a slice in the transfer form of
 * shared/model/span-outline.ts, with each span's parent as a position in the outline (the UI
 * builds the tree from positions, without an index of every span ID).
 */
import { PARENT_NOT_IN_PAGE, SPAN_ID_HEX_CHARS, type SpanOutlineColumns } from '../../../shared/model/span-outline.js';
import { compareIds, findRow, idWords, keysetRows, rowsById, wordsOf, type IdWords } from './outline-order.js';
import type { OutlineRows, OutlineSpanColumns } from './outline-rows.js';

/** The columns are in keyset order (OutlineSpanColumns says what each holds). */
export interface TraceOutline extends OutlineSpanColumns {
  count: number;
  /** µs since the epoch that starts count from (the trace's start). */
  baseUs: number;
  /** Span IDs in keyset order, as words (for finding a cursor's position). */
  ids: IdWords;
  /**
   * Span and parent IDs as SQLite gave them (16 lowercase hex characters a span, concatenated,
   * parents NO_PARENT when absent), and the row there of the span at each keyset position:
   * a page slices its IDs from them instead of the outline holding 400,000 small strings.
   */
  spanIdHex: string;
  parentIdHex: string;
  hexRow: Uint32Array;
  /**
   * The position of each span's parent in this outline; -1 when it has none or its parent is
   * not in the trace, PARENT_NOT_IN_PAGE when the outline is only the trace's first spans and
   * the parent is not among them.
   */
  parentIndex: Int32Array;
}

export interface KeysetCursor {
  startTimeUnixNano: string;
  spanId: string;
}

/** -1, 0 or 1 as span i's keyset position compares with (us, remNs, id words). */
function compareAt(o: TraceOutline, i: number, us: number, rem: number, id: { hi: number; lo: number }): number {
  const d = o.startUs[i]! - us || o.startRemNs[i]! - rem;
  if (d !== 0) return d < 0 ? -1 : 1;
  return compareIds(o.ids, i, id.hi, id.lo);
}

/**
 * The outline of the spans in `c` (as read, by span ID or in any order), sorted; `partial` when
 * they are only the trace's first spans (a parent not among them may be in the rest:
 * PARENT_NOT_IN_PAGE rather than -1).
 */
export function buildOutline(baseUs: number, c: OutlineRows, partial = false): TraceOutline {
  const n = c.count;
  const rowIds = idWords(c.spanIds, n);
  const parentIds = idWords(c.parentSpanIds, n);
  const byId = rowsById(rowIds);
  const order = keysetRows(c.startUs, c.startRemNs, byId);
  const position = new Int32Array(n);
  for (let i = 0; i < n; i++) position[order[i]!] = i;
  const absent = partial ? PARENT_NOT_IN_PAGE : -1;
  const o: TraceOutline = {
    count: n,
    baseUs,
    startUs: new Float64Array(n),
    startRemNs: new Int16Array(n),
    durationUs: new Float64Array(n),
    ids: { hi: new Uint32Array(n), lo: new Uint32Array(n) },
    spanIdHex: c.spanIds,
    parentIdHex: c.parentSpanIds,
    hexRow: order,
    parentIndex: new Int32Array(n),
    kind: new Int32Array(n),
    statusCode: new Int32Array(n),
    strings: c.strings,
    name: new Uint32Array(n),
    service: new Uint32Array(n),
    statusMessage: new Uint32Array(n),
    eventStart: new Uint32Array(n + 1),
    eventTimeMs: new Float64Array(c.eventTimeMs.length),
    eventName: new Uint32Array(c.eventName.length),
  };
  let events = 0;
  for (let i = 0; i < n; i++) {
    const j = order[i]!;
    o.startUs[i] = c.startUs[j]!;
    o.startRemNs[i] = c.startRemNs[j]!;
    o.durationUs[i] = c.durationUs[j]!;
    o.ids.hi[i] = rowIds.hi[j]!;
    o.ids.lo[i] = rowIds.lo[j]!;
    const ph = parentIds.hi[j]!;
    const pl = parentIds.lo[j]!;
    // NO_PARENT is all zeros; a span that names itself as its parent has none either.
    const none = (ph === 0 && pl === 0) || (ph === rowIds.hi[j] && pl === rowIds.lo[j]);
    const parentRow = none ? -1 : findRow(rowIds, byId, ph, pl);
    o.parentIndex[i] = none ? -1 : parentRow < 0 ? absent : position[parentRow]!;
    o.kind[i] = c.kind[j]!;
    o.statusCode[i] = c.statusCode[j]!;
    o.name[i] = c.name[j]!;
    o.service[i] = c.service[j]!;
    o.statusMessage[i] = c.statusMessage[j]!;
    o.eventStart[i] = events;
    for (let e = c.eventStart[j]!; e < c.eventStart[j + 1]!; e++, events++) {
      o.eventTimeMs[events] = c.eventTimeMs[e]!;
      o.eventName[events] = c.eventName[e]!;
    }
  }
  o.eventStart[n] = events;
  return o;
}

const hexAt = (hex: string, row: number): string => hex.slice(row * SPAN_ID_HEX_CHARS, (row + 1) * SPAN_ID_HEX_CHARS);

/** The IDs of keyset positions from … to - 1, concatenated. */
function hexOf(hex: string, rows: Uint32Array, from: number, to: number): string {
  const parts = new Array<string>(to - from);
  for (let i = from; i < to; i++) parts[i - from] = hexAt(hex, rows[i]!);
  return parts.join('');
}

/** Index of the first span after the cursor in keyset order (count when none is). */
export function positionAfter(o: TraceOutline, after: KeysetCursor): number {
  const ns = BigInt(after.startTimeUnixNano) - BigInt(o.baseUs) * 1000n;
  const us = Number(ns / 1000n);
  const rem = Number(ns % 1000n);
  let lo = 0;
  let hi = o.count;
  const id = wordsOf(after.spanId);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareAt(o, mid, us, rem, id) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The keyset cursor of span i (what a client passes as `after` to continue behind it). */
export function cursorAt(o: TraceOutline, i: number): KeysetCursor {
  const ns = (BigInt(o.baseUs) + BigInt(o.startUs[i]!)) * 1000n + BigInt(o.startRemNs[i]!);
  return { startTimeUnixNano: String(ns), spanId: hexAt(o.spanIdHex, o.hexRow[i]!) };
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
    offset: from,
    spanIds: hexOf(o.spanIdHex, o.hexRow, from, to),
    parentSpanIds: hexOf(o.parentIdHex, o.hexRow, from, to),
    parentIndex: Array.from(o.parentIndex.subarray(from, to)),
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
