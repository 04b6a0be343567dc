/**
 * A huge trace's sorted outline (trace-outline.ts) as bytes, so it can be kept in the store
 * (stored-outlines.ts) and loaded with a copy instead of read again from 200,000 rows: a short
 * JSON header (counts, the string table) and then each column's memory, 8-byte aligned, IDs as
 * their 8 bytes rather than hex. Little-endian, as every machine Sightline runs on. Decoding
 * checks every length against the header and answers null for bytes that are not an outline of
 * this form (a store written by another version, a torn blob): the caller reads the trace then.
 */
import { SPAN_ID_HEX_CHARS } from '../../../shared/model/span-outline.js';
import type { TraceOutline } from './trace-outline.js';

const MAGIC = Buffer.from('SLOUTL01', 'latin1');
const ID_BYTES = SPAN_ID_HEX_CHARS / 2;

interface Header {
  count: number;
  events: number;
  baseUs: number;
  strings: string[];
}

type Column = Float64Array | Int16Array | Int32Array | Uint32Array | Uint8Array;

const ARRAYS = { f64: Float64Array, i16: Int16Array, i32: Int32Array, u32: Uint32Array, u8: Uint8Array } as const;
type Kind = keyof typeof ARRAYS;
/** A column's length: one value a span, one more than the spans, one an event, or an ID's bytes a span. */
type Per = 'span' | 'span+1' | 'event' | 'id';

/** The columns, in the order they are written: each one's array kind and length. */
const COLUMNS = {
  startUs: ['f64', 'span'],
  startRemNs: ['i16', 'span'],
  durationUs: ['f64', 'span'],
  idHi: ['u32', 'span'],
  idLo: ['u32', 'span'],
  spanIds: ['u8', 'id'],
  parentIds: ['u8', 'id'],
  hexRow: ['u32', 'span'],
  parentIndex: ['i32', 'span'],
  kind: ['i32', 'span'],
  statusCode: ['i32', 'span'],
  name: ['u32', 'span'],
  service: ['u32', 'span'],
  statusMessage: ['u32', 'span'],
  eventStart: ['u32', 'span+1'],
  eventTimeMs: ['f64', 'event'],
  eventName: ['u32', 'event'],
} as const satisfies Record<string, readonly [Kind, Per]>;

type Name = keyof typeof COLUMNS;
/** The arrays the outline holds (the constructors' own instance types are bound to ArrayBuffer). */
interface ArrayOf {
  f64: Float64Array;
  i16: Int16Array;
  i32: Int32Array;
  u32: Uint32Array;
  u8: Uint8Array;
}
type Columns = { [K in Name]: ArrayOf[(typeof COLUMNS)[K][0]] };
const NAMES = Object.keys(COLUMNS) as Name[];

function lengthOf(per: Per, spans: number, events: number): number {
  return per === 'span' ? spans : per === 'span+1' ? spans + 1 : per === 'event' ? events : spans * ID_BYTES;
}

const align8 = (x: number): number => (x + 7) & ~7;

export function encodeOutline(o: TraceOutline): Buffer {
  const { count, baseUs, strings, ids, spanIdHex, parentIdHex, ...same } = o;
  const header: Header = { count, events: o.eventTimeMs.length, baseUs, strings };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const columns: Columns = { ...same, idHi: ids.hi, idLo: ids.lo, spanIds: Buffer.from(spanIdHex, 'hex'), parentIds: Buffer.from(parentIdHex, 'hex') };
  let size = align8(MAGIC.length + 4 + head.length);
  for (const name of NAMES) size += align8(columns[name].byteLength);
  const out = Buffer.alloc(size);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(head.length, MAGIC.length);
  head.copy(out, MAGIC.length + 4);
  let at = align8(MAGIC.length + 4 + head.length);
  for (const name of NAMES) {
    const c = columns[name];
    out.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), at);
    at += align8(c.byteLength);
  }
  return out;
}

function isHeader(h: unknown): h is Header {
  if (typeof h !== 'object' || h === null) return false;
  const r = h as Record<string, unknown>;
  const whole = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) >= 0;
  return (
    whole(r['count']) &&
    whole(r['events']) &&
    Number.isSafeInteger(r['baseUs']) &&
    Array.isArray(r['strings']) &&
    r['strings'].every((s) => typeof s === 'string')
  );
}

/** Whether `rows` holds each of 0 … length - 1 once (each keyset position names its own row). */
function isPermutation(rows: Uint32Array): boolean {
  const seen = new Uint8Array(rows.length);
  for (const r of rows) {
    if (r >= rows.length || seen[r] === 1) return false;
    seen[r] = 1;
  }
  return true;
}

/** Whether `starts` runs from 0 up to `total` without going back (span i's events are starts[i] … starts[i + 1] - 1). */
function isRunStart(starts: Uint32Array, total: number): boolean {
  if (starts[0] !== 0 || starts[starts.length - 1] !== total) return false;
  for (let i = 1; i < starts.length; i++) if (starts[i]! < starts[i - 1]!) return false;
  return true;
}

/** The outline `bytes` hold, or null when they are not one (see the top of this file). */
export function decodeOutline(bytes: Uint8Array): TraceOutline | null {
  if (bytes.length < MAGIC.length + 4 || !MAGIC.equals(bytes.subarray(0, MAGIC.length))) return null;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLength = view.readUInt32LE(MAGIC.length);
  if (MAGIC.length + 4 + headLength > bytes.length) return null;
  let header: unknown;
  try {
    header = JSON.parse(view.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headLength));
  } catch {
    return null;
  }
  if (!isHeader(header)) return null;
  const { count: n, events: e, strings } = header;
  const columnsAt = align8(MAGIC.length + 4 + headLength);
  let size = columnsAt;
  for (const name of NAMES) size += align8(lengthOf(COLUMNS[name][1], n, e) * ARRAYS[COLUMNS[name][0]].BYTES_PER_ELEMENT);
  if (size !== bytes.length) return null;
  // The columns are views of the bytes where they are 8-byte aligned (a blob SQLite hands over
  // is a Buffer of its own: the outline then shares its memory), of one aligned copy otherwise.
  let memory = bytes.buffer as ArrayBuffer;
  let at = bytes.byteOffset + columnsAt;
  if (bytes.byteOffset % 8 !== 0 || !(bytes.buffer instanceof ArrayBuffer)) {
    memory = new ArrayBuffer(size);
    new Uint8Array(memory).set(bytes);
    at = columnsAt;
  }
  const made: Partial<Record<Name, Column>> = {};
  for (const name of NAMES) {
    const [kind, per] = COLUMNS[name];
    const column = new ARRAYS[kind](memory, at, lengthOf(per, n, e));
    made[name] = column;
    at += align8(column.byteLength);
  }
  const { idHi, idLo, spanIds, parentIds, ...same } = made as Columns;
  // Indexes must stay inside what they index, or a page would read past the columns.
  const inStrings = (c: Uint32Array): boolean => c.every((k) => k < strings.length);
  if (!inStrings(same.name) || !inStrings(same.service) || !inStrings(same.statusMessage) || !inStrings(same.eventName)) return null;
  if (!same.parentIndex.every((k) => k >= -1 && k < n) || !isPermutation(same.hexRow) || !isRunStart(same.eventStart, e)) return null;
  const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
  return { ...same, count: n, baseUs: header.baseUs, strings, ids: { hi: idHi, lo: idLo }, spanIdHex: hex(spanIds), parentIdHex: hex(parentIds) };
}
