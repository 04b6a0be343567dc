/**
 * A span's content line (content-chunks.ts), made twice: in JavaScript by the writer from the
 * values it inserts (span-content-hasher.ts), so hashing ten million spans costs no read back,
 * and in SQLite from the row by a report or `verify --db`. A line has every stored field of the
 * span, joined by '|', with the fingerprints of its resource and scope. Both must give the same
 * bytes (chunk-hashes.test.ts holds them to that), which is why no REAL column takes part:
 * SQLite and JavaScript print floating-point numbers differently, integers and text the same.
 * Integers beyond 2^53 and text with a lone surrogate (stored as bytes that read back as three
 * U+FFFD) are the exceptions: the writer reads such a span's line back from its row.
 */
import type { SpanRecord } from '../otlp/model.js';
import { sql } from './sql-text.js';

/** SQLite's side: the line of span `s` (with `r` its resource and `sc` its scope), newline included. */
export const SPAN_CONTENT_LINE_SQL = sql`hex(s.trace_id) || '|' || hex(s.span_id) || '|' || ifnull(hex(s.parent_span_id), '') || '|' || s.name
  || '|' || s.kind || '|' || s.start_time_unix_nano || '|' || s.end_time_unix_nano || '|' || s.status_code || '|' || s.status_message
  || '|' || s.trace_state || '|' || s.flags || '|' || s.attributes || '|' || s.dropped_attributes_count || '|' || ifnull(s.events, '')
  || '|' || s.dropped_events_count || '|' || ifnull(s.links, '') || '|' || s.dropped_links_count || '|' || r.fingerprint || '|' || sc.fingerprint || char(10)`;

const hex = (b: Buffer): string => b.toString('hex').toUpperCase();

/** JavaScript's side: the same line from the values the writer inserted. */
export function spanContentLine(span: SpanRecord, resourceFingerprint: string, scopeFingerprint: string): string {
  return (
    hex(span.traceId) +
    '|' +
    hex(span.spanId) +
    '|' +
    (span.parentSpanId ? hex(span.parentSpanId) : '') +
    '|' +
    span.name +
    '|' +
    span.kind +
    '|' +
    span.startTimeUnixNano +
    '|' +
    span.endTimeUnixNano +
    '|' +
    span.statusCode +
    '|' +
    span.statusMessage +
    '|' +
    span.traceState +
    '|' +
    span.flags +
    '|' +
    span.attributesJson +
    '|' +
    span.droppedAttributesCount +
    '|' +
    (span.eventsJson ?? '') +
    '|' +
    span.droppedEventsCount +
    '|' +
    (span.linksJson ?? '') +
    '|' +
    span.droppedLinksCount +
    '|' +
    resourceFingerprint +
    '|' +
    scopeFingerprint +
    '\n'
  );
}
