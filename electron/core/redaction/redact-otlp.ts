/**
 * Redaction again at export, on OTLP JSON objects: rules added after data arrived still keep
 * secrets out of what leaves the machine. Key rules replace attribute values; value rules
 * apply to every string except IDs, times and other fixed-format fields.
 */
import type { Redactor } from './redactor.js';

const FIXED_FORMAT = new Set(['traceId', 'spanId', 'parentSpanId', 'startTimeUnixNano', 'endTimeUnixNano', 'timeUnixNano', 'observedTimeUnixNano', 'intValue', 'traceState', 'schemaUrl', 'bytesValue']);

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
  if (typeof obj['key'] === 'string' && obj['value'] && typeof obj['value'] === 'object' && r.keyRuleFor(obj['key']) !== null) {
    obj['value'] = { stringValue: r.redactForKey(obj['key']) };
  }
  for (const [k, v] of Object.entries(obj)) {
    if (FIXED_FORMAT.has(k)) continue;
    if (typeof v === 'string' && k !== 'key') obj[k] = r.redactString(v);
    else if (v && typeof v === 'object') walk(v, r);
  }
}
