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
import type { HashedBytes } from './hashed-bytes.js';
import { sql } from './sql-text.js';

/** SQLite's side: the line of span `s` (with `r` its resource and `sc` its scope), newline included. */
export const SPAN_CONTENT_LINE_SQL = sql`hex(s.trace_id) || '|' || hex(s.span_id) || '|' || ifnull(hex(s.parent_span_id), '') || '|' || s.name
  || '|' || s.kind || '|' || s.start_time_unix_nano || '|' || s.end_time_unix_nano || '|' || s.status_code || '|' || s.status_message
  || '|' || s.trace_state || '|' || s.flags || '|' || s.attributes || '|' || s.dropped_attributes_count || '|' || ifnull(s.events, '')
  || '|' || s.dropped_events_count || '|' || ifnull(s.links, '') || '|' || s.dropped_links_count || '|' || r.fingerprint || '|' || sc.fingerprint || char(10)`;

const BAR = 0x7c;

/**
 * JavaScript's side: the same line from the values the writer inserted, written into `out`
 * piece by piece; the line is never built as one string (hashed-bytes.ts says why).
 */
export function writeSpanContent(out: HashedBytes, span: SpanRecord, resourceFingerprint: string, scopeFingerprint: string): void {
  out.hex(span.traceId);
  out.ascii(BAR);
  out.hex(span.spanId);
  out.ascii(BAR);
  if (span.parentSpanId) out.hex(span.parentSpanId);
  out.ascii(BAR);
  out.text(
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
      '|',
  );
  out.text(span.attributesJson);
  out.text('|' + span.droppedAttributesCount + '|');
  if (span.eventsJson) out.text(span.eventsJson);
  out.text(
    '|' + span.droppedEventsCount + '|' + (span.linksJson ?? '') + '|' + span.droppedLinksCount + '|' + resourceFingerprint + '|' + scopeFingerprint + '\n',
  );
}
