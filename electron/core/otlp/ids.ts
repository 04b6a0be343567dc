/**
 * Trace and span IDs. The store keeps raw bytes; the API and exports speak lowercase hex.
 * OTLP JSON in the wild carries hex in either case, and some encoders write the proto3
 * JSON default for bytes, base64; both are accepted.
 */

export const TRACE_ID_BYTES = 16;
export const SPAN_ID_BYTES = 8;

const HEX_RE = /^[0-9a-fA-F]*$/;
const BASE64_RE = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Returns the ID bytes, null for an absent ID (''), or a string saying what is wrong. */
export function idFromJson(value: unknown, bytes: number, what: string): Buffer | null | string {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') return `${what} is not a string`;
  if (value.length === bytes * 2 && HEX_RE.test(value)) return Buffer.from(value, 'hex');
  const b64Len = Math.ceil(bytes / 3) * 4;
  if (value.length === b64Len && BASE64_RE.test(value)) {
    const buf = Buffer.from(value, 'base64');
    if (buf.length === bytes) return buf;
  }
  return `${what} "${value.slice(0, 40)}" is neither ${bytes * 2} hex characters nor base64 of ${bytes} bytes`;
}

export function isAllZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** Why a required ID is unusable, or null when it is fine. */
export function requiredIdProblem(id: Buffer | null, bytes: number, what: string): string | null {
  if (id === null || id.length === 0) return `${what} is missing`;
  if (id.length !== bytes) return `${what} has ${id.length} bytes, expected ${bytes}`;
  if (isAllZero(id)) return `${what} is all zeros`;
  return null;
}

/** Why an optional ID is unusable, or null when it is absent or fine. */
export function optionalIdProblem(id: Buffer | null, bytes: number, what: string): string | null {
  if (id === null || id.length === 0) return null;
  if (id.length !== bytes) return `${what} has ${id.length} bytes, expected ${bytes}`;
  return null;
}
