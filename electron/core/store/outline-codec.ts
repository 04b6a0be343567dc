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

/** Each column's kind and length, in the order they are written; `n` spans, `e` events. */
function layout(n: number, e: number): { kind: 'f64' | 'i16' | 'i32' | 'u32' | 'u8'; length: number }[] {
  return [
    { kind: 'f64', length: n }, // startUs
    { kind: 'i16', length: n }, // startRemNs
    { kind: 'f64', length: n }, // durationUs
    { kind: 'u32', length: n }, // ids.hi
    { kind: 'u32', length: n }, // ids.lo
    { kind: 'u8', length: n * ID_BYTES }, // span IDs, by row
    { kind: 'u8', length: n * ID_BYTES }, // parent IDs, by row
    { kind: 'u32', length: n }, // hexRow
    { kind: 'i32', length: n }, // parentIndex
    { kind: 'i32', length: n }, // kind
    { kind: 'i32', length: n }, // statusCode
    { kind: 'u32', length: n }, // name
    { kind: 'u32', length: n }, // service
    { kind: 'u32', length: n }, // statusMessage
    { kind: 'u32', length: n + 1 }, // eventStart
    { kind: 'f64', length: e }, // eventTimeMs
    { kind: 'u32', length: e }, // eventName
  ];
}

const BYTES = { f64: 8, i16: 2, i32: 4, u32: 4, u8: 1 } as const;
const align8 = (x: number): number => (x + 7) & ~7;

export function encodeOutline(o: TraceOutline): Buffer {
  const n = o.count;
  const e = o.eventTimeMs.length;
  const header: Header = { count: n, events: e, baseUs: o.baseUs, strings: o.strings };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const columns: Column[] = [
    o.startUs,
    o.startRemNs,
    o.durationUs,
    o.ids.hi,
    o.ids.lo,
    Buffer.from(o.spanIdHex, 'hex'),
    Buffer.from(o.parentIdHex, 'hex'),
    o.hexRow,
    o.parentIndex,
    o.kind,
    o.statusCode,
    o.name,
    o.service,
    o.statusMessage,
    o.eventStart,
    o.eventTimeMs,
    o.eventName,
  ];
  let size = align8(MAGIC.length + 4 + head.length);
  for (const c of columns) size += align8(c.byteLength);
  const out = Buffer.alloc(size);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(head.length, MAGIC.length);
  head.copy(out, MAGIC.length + 4);
  let at = align8(MAGIC.length + 4 + head.length);
  for (const c of columns) {
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
  const parts = layout(n, e);
  let size = align8(MAGIC.length + 4 + headLength);
  for (const p of parts) size += align8(p.length * BYTES[p.kind]);
  if (size !== bytes.length) return null;
  // The columns are views of the bytes where they are 8-byte aligned (a blob SQLite hands over
  // is a Buffer of its own: the outline then shares its memory), of one aligned copy otherwise.
  let memory = bytes.buffer as ArrayBuffer;
  let at = bytes.byteOffset + align8(MAGIC.length + 4 + headLength);
  if (bytes.byteOffset % 8 !== 0 || !(bytes.buffer instanceof ArrayBuffer)) {
    memory = new ArrayBuffer(size);
    new Uint8Array(memory).set(bytes);
    at = align8(MAGIC.length + 4 + headLength);
  }
  const columns = parts.map((p) => {
    const from = at;
    at += align8(p.length * BYTES[p.kind]);
    switch (p.kind) {
      case 'f64':
        return new Float64Array(memory, from, p.length);
      case 'i16':
        return new Int16Array(memory, from, p.length);
      case 'i32':
        return new Int32Array(memory, from, p.length);
      case 'u32':
        return new Uint32Array(memory, from, p.length);
      case 'u8':
        return new Uint8Array(memory, from, p.length);
    }
  });
  const [
    startUs,
    startRemNs,
    durationUs,
    hi,
    lo,
    spanIds,
    parentIds,
    hexRow,
    parentIndex,
    kind,
    statusCode,
    name,
    service,
    statusMessage,
    eventStart,
    eventTimeMs,
    eventName,
  ] = columns as [
    Float64Array,
    Int16Array,
    Float64Array,
    Uint32Array,
    Uint32Array,
    Uint8Array,
    Uint8Array,
    Uint32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Float64Array,
    Uint32Array,
  ];
  // Indexes must stay inside what they index, or a page would read past the columns.
  const inStrings = (c: Uint32Array): boolean => c.every((k) => k < strings.length);
  const inSpans = (c: Uint32Array | Int32Array, min: number): boolean => c.every((k) => k >= min && k < n);
  if (!inStrings(name) || !inStrings(service) || !inStrings(statusMessage) || !inStrings(eventName)) return null;
  if (!inSpans(parentIndex, -1) || !isPermutation(hexRow) || !isRunStart(eventStart, e)) return null;
  return {
    count: n,
    baseUs: header.baseUs,
    startUs,
    startRemNs,
    durationUs,
    ids: { hi, lo },
    spanIdHex: Buffer.from(spanIds.buffer, spanIds.byteOffset, spanIds.byteLength).toString('hex'),
    parentIdHex: Buffer.from(parentIds.buffer, parentIds.byteOffset, parentIds.byteLength).toString('hex'),
    hexRow,
    parentIndex,
    kind,
    statusCode,
    strings,
    name,
    service,
    statusMessage,
    eventStart,
    eventTimeMs,
    eventName,
  };
}
