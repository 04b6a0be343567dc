/**
 * OTLP common values (AnyValue, KeyValue lists) → stored JSON, written byte by byte from the
 * protobuf payload into JsonBytes writers (json-bytes.ts). The three writers are module-level
 * and reused by every call on purpose, so decoding allocates no buffer per attribute: one per
 * role (an item's attributes; values nested inside an item: events, links, exemplars, log
 * bodies; resources, scopes and metric metadata), so maps open at the same time (a span's
 * attributes while its events are read) never share one.
 */
import { ProtobufReader, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../protobuf-reader.js';
import { jsonBytes, jsonDouble } from '../stored-json.js';
import { JsonBytes } from '../json-bytes.js';
import { MAX_VALUE_DEPTH, tooDeep } from '../item-limits.js';

// Tags (field << 3 | wire type) used more than once.
export const T1_LEN = (1 << 3) | WIRE_LEN;
export const T2_LEN = (2 << 3) | WIRE_LEN;

/** Span, point and log attributes; nested (event, link, exemplar, body) values; resources and scopes. */
export const W_ATTR = new JsonBytes();
export const W_NESTED = new JsonBytes();
export const W_OUTER = new JsonBytes();

/**
 * Collects a repeated KeyValue field into one JSON object. Call add() for each occurrence of
 * the field, then done() for the text ('{}' when there were none).
 */
export class AttributeMap {
  private count = 0;
  constructor(private readonly w: JsonBytes) {
    w.reset();
    w.byte(123);
  }
  add(r: ProtobufReader): void {
    const end = r.lengthEnd();
    if (this.count++ > 0) this.w.byte(44);
    writeKeyValue(r, end, this.w, 0);
    r.pos = end;
  }
  done(): string {
    if (this.count === 0) {
      this.w.reset();
      return '{}';
    }
    this.w.byte(125);
    return this.w.take();
  }
}

/** Writes `"key":value` for the KeyValue message in [r.pos, end); leaves r.pos at end. `depth`: of the list holding it. */
function writeKeyValue(r: ProtobufReader, end: number, w: JsonBytes, depth: number): void {
  let keyStart = -1;
  let keyEnd = -1;
  let valueStart = -1;
  let valueEnd = -1;
  const outerEnd = r.end;
  r.end = end; // narrow the reader to this message instead of allocating a sub-reader
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag === T1_LEN) {
      keyEnd = r.lengthEnd();
      keyStart = r.pos;
      r.pos = keyEnd;
    } else if (tag === T2_LEN) {
      valueEnd = r.lengthEnd();
      valueStart = r.pos;
      r.pos = valueEnd;
    } else if (tag >>> 3 <= 2) r.expect(tag, WIRE_LEN, 'key/value');
    else r.skip(tag);
  }
  if (keyStart < 0) w.ascii('""');
  else w.stringFrom(r.buf, keyStart, keyEnd);
  w.byte(58);
  if (valueStart < 0) w.ascii('null');
  else {
    r.pos = valueStart;
    r.end = valueEnd;
    writeAnyValue(r, w, depth);
  }
  r.pos = end;
  r.end = outerEnd;
}

/** AnyValue → stored JSON, written into `w`. */
function writeAnyValue(r: ProtobufReader, w: JsonBytes, depth: number): void {
  // One limit for every way in (item-limits.ts); the count goes on through key/value lists.
  if (depth > MAX_VALUE_DEPTH) throw tooDeep();
  let wrote = false;
  const valueStart = w.len;
  while (r.hasMore()) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (field >= 1 && field <= 7 && wrote) w.len = valueStart; // a oneof set twice: the last wins
    switch (field) {
      case 1: {
        r.expect(tag, WIRE_LEN, 'string_value');
        const end = r.lengthEnd();
        w.stringFrom(r.buf, r.pos, end);
        r.pos = end;
        break;
      }
      case 2:
        r.expect(tag, WIRE_VARINT, 'bool_value');
        w.ascii(r.bool() ? 'true' : 'false');
        break;
      case 3:
        r.expect(tag, WIRE_VARINT, 'int_value');
        w.ascii(int64Text(r));
        break;
      case 4:
        r.expect(tag, WIRE_FIXED64, 'double_value');
        w.ascii(jsonDouble(r.double()));
        break;
      case 5: {
        r.expect(tag, WIRE_LEN, 'array_value');
        const arr = r.sub();
        w.byte(91);
        let n = 0;
        while (arr.hasMore()) {
          const t = arr.tag();
          if (t === T1_LEN) {
            if (n++ > 0) w.byte(44);
            writeAnyValue(arr.sub(), w, depth + 1);
          } else if (t >>> 3 === 1) arr.expect(t, WIRE_LEN, 'array value');
          else arr.skip(t);
        }
        w.byte(93);
        break;
      }
      case 6: {
        r.expect(tag, WIRE_LEN, 'kvlist_value');
        const kv = r.sub();
        w.byte(123);
        let n = 0;
        while (kv.hasMore()) {
          const t = kv.tag();
          if (t === T1_LEN) {
            const end = kv.lengthEnd();
            if (n++ > 0) w.byte(44);
            writeKeyValue(kv, end, w, depth + 1);
            kv.pos = end;
          } else if (t >>> 3 === 1) kv.expect(t, WIRE_LEN, 'kvlist value');
          else kv.skip(t);
        }
        w.byte(125);
        break;
      }
      case 7:
        r.expect(tag, WIRE_LEN, 'bytes_value');
        w.ascii(jsonBytes(r.bytes()));
        break;
      default:
        r.skip(tag);
        continue;
    }
    wrote = true;
  }
  if (!wrote) w.ascii('null');
}

/** A whole AnyValue (a log body) as stored JSON text. */
export function anyValueText(r: ProtobufReader): string {
  W_NESTED.reset();
  writeAnyValue(r, W_NESTED, 0);
  return W_NESTED.take();
}

/** An int64 varint as decimal text, avoiding BigInt for the common small values. */
function int64Text(r: ProtobufReader): string {
  const start = r.pos;
  const buf = r.buf;
  let value = 0;
  let shift = 0;
  while (shift < 49 && r.pos < r.end) {
    const byte = buf[r.pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return String(value);
    shift += 7;
  }
  r.pos = start;
  return r.int64().toString();
}

export function decodeNumberField(r: ProtobufReader, tag: number, name: string): number {
  r.expect(tag, WIRE_FIXED64, name);
  return r.double();
}
