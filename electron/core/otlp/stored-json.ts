/**
 * "Stored JSON": how attribute maps and AnyValues are kept in SQLite text columns.
 *
 * It is plain JSON, so SQLite's json_extract and the UI's JSON.parse read it directly, with
 * two rules that keep OTLP types exact for round trips:
 *  - an int is written as an integer literal (all 64 bits, from its decimal digits) and a
 *    double always with a '.' or an exponent (5.0, not 5); SQLite's json_type then says
 *    'integer' or 'real', and typed-json.ts rebuilds the OTLP value exactly;
 *  - bytes, and doubles JSON cannot hold (NaN, ±Infinity), are wrapped: {"$bytes":"<base64>"},
 *    {"$double":"NaN"}.
 * A key/value list becomes an object; later duplicate keys win, as in most SDKs.
 */

export function jsonString(s: string): string {
  return JSON.stringify(s);
}

export function jsonDouble(d: number): string {
  if (!Number.isFinite(d)) return `{"$double":"${Number.isNaN(d) ? 'NaN' : d > 0 ? 'Infinity' : '-Infinity'}"}`;
  const s = String(d);
  // JavaScript prints a whole number below 1e21 without '.' or exponent; every other finite double has one.
  return Number.isInteger(d) && Math.abs(d) < 1e21 ? s + '.0' : s;
}

export function jsonBytes(b: Uint8Array): string {
  return `{"$bytes":"${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')}"}`;
}

/** Joins "key":value pairs into an object, given already-encoded values. */
export function jsonObject(keys: string[], values: string[]): string {
  if (keys.length === 0) return '{}';
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',';
    out += JSON.stringify(keys[i]) + ':' + values[i];
  }
  return out + '}';
}

/** A span event as stored in `spans.events` (one element of its JSON array); both decoders write it. */
export function eventJson(time: bigint, name: string, attributesJson: string, dropped: number): string {
  return `{"timeUnixNano":${time},"name":${jsonString(name)},"attributes":${attributesJson},"droppedAttributesCount":${dropped}}`;
}

/** A span link as stored in `spans.links` (one element of its JSON array); both decoders write it. */
export function linkJson(traceIdHex: string, spanIdHex: string, traceState: string, attributesJson: string, dropped: number, flags: number): string {
  return `{"traceId":"${traceIdHex}","spanId":"${spanIdHex}","traceState":${jsonString(traceState)},"attributes":${attributesJson},"droppedAttributesCount":${dropped},"flags":${flags}}`;
}
