/**
 * OTLP JSON traces: spans with their events and links. Missing kind and status read as
 * unspecified/unset; a span with unusable IDs or values is rejected on its own.
 */
import { requiredIdProblem, SPAN_ID_BYTES, TRACE_ID_BYTES } from '../ids.js';
import { eventJson, linkJson } from '../stored-json.js';
import { ItemProblem } from '../item-limits.js';
import { type DecodedBatch, type ResourceRecord, type ScopeRecord, type SpanRecord } from '../model.js';
import { keyValues } from './common-values.js';
import { eachItem, enumValue, field, id, isObj, type Json, str, time, uint } from './json-fields.js';

const SPAN_KINDS = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
const STATUS_CODES = { UNSET: 0, OK: 1, ERROR: 2 };

export function decodeSpans(items: Json[], resource: ResourceRecord, scope: ScopeRecord, batch: DecodedBatch): void {
  const spans: SpanRecord[] = [];
  eachItem(items, batch, 'span', (s) => {
    const traceId = id(field(s, 'traceId', 'trace_id'), TRACE_ID_BYTES, 'traceId');
    const spanId = id(field(s, 'spanId', 'span_id'), SPAN_ID_BYTES, 'spanId');
    const parentSpanId = id(field(s, 'parentSpanId', 'parent_span_id'), SPAN_ID_BYTES, 'parentSpanId');
    const problem = requiredIdProblem(traceId, TRACE_ID_BYTES, 'traceId') ?? requiredIdProblem(spanId, SPAN_ID_BYTES, 'spanId');
    if (problem) throw new ItemProblem(problem);
    const status = field(s, 'status');
    const events = field(s, 'events');
    const links = field(s, 'links');
    spans.push({
      traceId: traceId!,
      spanId: spanId!,
      parentSpanId,
      traceState: str(field(s, 'traceState', 'trace_state')),
      flags: uint(field(s, 'flags'), 'flags'),
      name: str(s['name']),
      kind: enumValue(s['kind'], SPAN_KINDS, 'SPAN_KIND_', 'kind'),
      startTimeUnixNano: time(field(s, 'startTimeUnixNano', 'start_time_unix_nano'), 'startTimeUnixNano'),
      endTimeUnixNano: time(field(s, 'endTimeUnixNano', 'end_time_unix_nano'), 'endTimeUnixNano'),
      attributesJson: keyValues(s['attributes']),
      droppedAttributesCount: uint(field(s, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
      eventsJson: Array.isArray(events) && events.length > 0 ? '[' + events.map(decodeEvent).join(',') + ']' : null,
      droppedEventsCount: uint(field(s, 'droppedEventsCount', 'dropped_events_count'), 'droppedEventsCount'),
      linksJson: Array.isArray(links) && links.length > 0 ? '[' + links.map(decodeLink).join(',') + ']' : null,
      droppedLinksCount: uint(field(s, 'droppedLinksCount', 'dropped_links_count'), 'droppedLinksCount'),
      statusCode: isObj(status) ? enumValue(status['code'], STATUS_CODES, 'STATUS_CODE_', 'status.code') : 0,
      statusMessage: isObj(status) ? str(status['message']) : '',
    });
  });
  if (spans.length > 0) batch.spans.push({ resource, scope, spans });
}

function decodeEvent(e: Json): string {
  if (!isObj(e)) throw new ItemProblem('an event is not an object');
  return eventJson(
    time(field(e, 'timeUnixNano', 'time_unix_nano'), 'event timeUnixNano'),
    str(e['name']),
    keyValues(e['attributes']),
    uint(field(e, 'droppedAttributesCount', 'dropped_attributes_count'), 'event droppedAttributesCount'),
  );
}

function decodeLink(l: Json): string {
  if (!isObj(l)) throw new ItemProblem('a link is not an object');
  const traceId = id(field(l, 'traceId', 'trace_id'), TRACE_ID_BYTES, 'link traceId');
  const spanId = id(field(l, 'spanId', 'span_id'), SPAN_ID_BYTES, 'link spanId');
  return linkJson(
    traceId ? traceId.toString('hex') : '',
    spanId ? spanId.toString('hex') : '',
    str(field(l, 'traceState', 'trace_state')),
    keyValues(l['attributes']),
    uint(field(l, 'droppedAttributesCount', 'dropped_attributes_count'), 'link droppedAttributesCount'),
    uint(l['flags'], 'link flags'),
  );
}
