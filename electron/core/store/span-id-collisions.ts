/**
 * Two different spans of one trace that share a span ID (real Jaeger and Zipkin data has
 * them: Zipkin-style RPCs reuse the client's span ID for the server side, and some
 * instrumentations simply collide) must both be kept, never one silently dropped. The store
 * indexes spans by (trace, span ID), so the second one is stored under a new ID derived from
 * its content and marked with `sightline.original_span_id`, as Jaeger's query service does
 * with its span-ID deduper. An exact repeat (an exporter retry) is still a duplicate.
 */
import { createHash } from 'node:crypto';
import type { Db } from './db.js';
import type { SpanRecord } from '../otlp/model.js';
import { jsonString } from '../otlp/stored-json.js';

export const ORIGINAL_SPAN_ID_KEY = 'sightline.original_span_id';
const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;

interface StoredSpanKey {
  name: string;
  start: bigint;
  end: bigint;
  parent: Buffer | null;
  kind: bigint;
  resourceId: bigint;
}

export class SpanIdCollisions {
  private readonly find;

  constructor(db: Db) {
    this.find = db
      .prepare(
        'SELECT name, start_time_unix_nano AS start, end_time_unix_nano AS end, parent_span_id AS parent, kind, resource_id AS resourceId FROM spans WHERE trace_seq = ? AND span_id = ?',
      )
      .safeIntegers(true);
  }

  /**
   * Called when a span's insert was ignored because its (trace, span ID) is taken. Returns
   * false for a repeat of the stored span; otherwise rewrites `span` in place to a new span
   * ID (marked with the original) and returns true: the caller inserts it again.
   */
  renameIfDistinct(seq: number, span: SpanRecord, resourceId: number, attempt: number): boolean {
    const stored = this.find.get(seq, span.spanId) as StoredSpanKey | undefined;
    if (!stored) return false;
    const same =
      stored.name === span.name &&
      stored.start === span.startTimeUnixNano &&
      stored.end === span.endTimeUnixNano &&
      stored.kind === BigInt(span.kind) &&
      stored.resourceId === BigInt(resourceId) &&
      (stored.parent === null ? span.parentSpanId === null : span.parentSpanId !== null && stored.parent.equals(span.parentSpanId));
    if (same) return false;
    const original = span.spanId;
    const originalHex = original.toString('hex');
    // Zipkin's shared span: the server half becomes a child of the client half.
    if (stored.kind === BigInt(SPAN_KIND_CLIENT) && span.kind === SPAN_KIND_SERVER && !span.attributesJson.includes(ORIGINAL_SPAN_ID_KEY))
      span.parentSpanId = original;
    span.spanId = derivedSpanId(original, span, attempt);
    if (!span.attributesJson.includes(`"${ORIGINAL_SPAN_ID_KEY}"`)) span.attributesJson = withAttribute(span.attributesJson, ORIGINAL_SPAN_ID_KEY, originalHex);
    return true;
  }
}

function derivedSpanId(original: Buffer, span: SpanRecord, attempt: number): Buffer {
  const h = createHash('sha256')
    .update(original)
    .update(span.traceId)
    .update(span.name)
    .update(`${span.startTimeUnixNano}:${span.endTimeUnixNano}:${span.kind}:${attempt}`)
    .digest();
  const id = h.subarray(0, 8);
  if (id.every((b) => b === 0)) id[7] = 1; // an all-zero span ID is invalid
  return Buffer.from(id);
}

/** Adds `"key":"value"` to a stored-JSON attribute object. */
function withAttribute(attributesJson: string, key: string, value: string): string {
  const pair = `${jsonString(key)}:${jsonString(value)}`;
  const body = attributesJson.trim();
  if (body === '{}' || body === '') return `{${pair}}`;
  return `${body.slice(0, -1)},${pair}}`;
}
