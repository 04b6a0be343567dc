/**
 * Redaction again at export, on OTLP JSON objects: rules added after data arrived still keep
 * secrets out of what leaves the machine. Key rules act on attribute values (erased, or
 * pseudonymised from the value as stored JSON holds it, so data pseudonymised at ingest and data
 * pseudonymised here agree); value rules apply to every string except IDs, times and bytes,
 * the same fields the ingest side redacts (trace states and schema URLs included).
 */
import { jsonDouble } from '../otlp/stored-json.js';
import type { Redactor } from './redactor.js';

const FIXED_FORMAT = new Set([
  'traceId',
  'spanId',
  'parentSpanId',
  'startTimeUnixNano',
  'endTimeUnixNano',
  'timeUnixNano',
  'observedTimeUnixNano',
  'intValue',
  'bytesValue',
]);

export function redactOtlp<T>(value: T, r: Redactor): T {
  walk(value, r);
  return value;
}

function walk(node: unknown, r: Redactor): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, r);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const key = obj['key'];
  const value = obj['value'];
  if (typeof key === 'string' && value && typeof value === 'object' && r.keyRuleFor(key) !== null) {
    obj['value'] = { stringValue: r.redactKeyValue(key, asStored(value as Record<string, unknown>)) };
  }
  for (const [k, v] of Object.entries(obj)) {
    if (FIXED_FORMAT.has(k)) continue;
    if (typeof v === 'string' && k !== 'key') obj[k] = r.redactString(v);
    else if (v && typeof v === 'object') walk(v, r);
  }
}

/** An OTLP AnyValue as the text the ingest side pseudonymises: a string as it reads, a scalar as stored JSON writes it. */
function asStored(v: Record<string, unknown>): string {
  if (typeof v['stringValue'] === 'string') return v['stringValue'];
  if (v['intValue'] !== undefined) return String(v['intValue']);
  if (typeof v['boolValue'] === 'boolean') return String(v['boolValue']);
  if (typeof v['doubleValue'] === 'number') return jsonDouble(v['doubleValue']);
  return JSON.stringify(v);
}
