/**
 * OTLP protobuf traces: ScopeSpans → spans with their events and links
 * (opentelemetry/proto/trace/v1/trace.proto). A span with unusable IDs or a value over the
 * item limits is rejected on its own.
 */
import { ProtobufReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../protobuf-reader.js';
import { eventJson, linkJson } from '../stored-json.js';
import { optionalIdProblem, requiredIdProblem, SPAN_ID_BYTES, TRACE_ID_BYTES } from '../ids.js';
import { checkTime, ItemProblem } from '../item-limits.js';
import { type DecodedBatch, rejectItem, type ResourceRecord, type SpanRecord } from '../model.js';
import { AttributeMap, W_ATTR, W_NESTED } from './common-values.js';
import { readScopeGroup } from './resource-scope.js';

export function decodeScopeSpans(r: ProtobufReader, resource: ResourceRecord, batch: DecodedBatch): void {
  const group = readScopeGroup(r, 'span', batch);
  if (!group) return;
  const { scope, items } = group;
  const spans: SpanRecord[] = [];
  for (const item of items) {
    let span: SpanRecord;
    try {
      span = decodeSpan(item);
    } catch (e) {
      if (!(e instanceof ItemProblem)) throw e;
      rejectItem(batch, `span: ${e.message}`);
      continue;
    }
    const problem =
      requiredIdProblem(span.traceId, TRACE_ID_BYTES, 'trace_id') ??
      requiredIdProblem(span.spanId, SPAN_ID_BYTES, 'span_id') ??
      optionalIdProblem(span.parentSpanId, SPAN_ID_BYTES, 'parent_span_id');
    if (problem) rejectItem(batch, `span "${span.name}": ${problem}`);
    else spans.push(span);
  }
  if (spans.length > 0) batch.spans.push({ resource, scope, spans });
}

const EMPTY_BUF = Buffer.alloc(0);

function decodeSpan(r: ProtobufReader): SpanRecord {
  let traceId: Buffer = EMPTY_BUF;
  let spanId: Buffer = EMPTY_BUF;
  let parentSpanId: Buffer | null = null;
  let traceState = '';
  let flags = 0;
  let name = '';
  let kind = 0;
  let start = 0n;
  let end = 0n;
  const attrs = new AttributeMap(W_ATTR);
  let droppedAttributes = 0;
  let events: string[] | null = null;
  let droppedEvents = 0;
  let links: string[] | null = null;
  let droppedLinks = 0;
  let statusCode = 0;
  let statusMessage = '';
  while (r.hasMore()) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WIRE_LEN, 'trace_id');
        traceId = r.bytes();
        break;
      case 2:
        r.expect(tag, WIRE_LEN, 'span_id');
        spanId = r.bytes();
        break;
      case 3:
        r.expect(tag, WIRE_LEN, 'trace_state');
        traceState = r.string();
        break;
      case 4:
        r.expect(tag, WIRE_LEN, 'parent_span_id');
        parentSpanId = r.bytes();
        if (parentSpanId.length === 0) parentSpanId = null;
        break;
      case 5:
        r.expect(tag, WIRE_LEN, 'name');
        name = r.string();
        break;
      case 6:
        r.expect(tag, WIRE_VARINT, 'kind');
        kind = r.uint32();
        break;
      case 7:
        r.expect(tag, WIRE_FIXED64, 'start_time_unix_nano');
        start = checkTime(r.fixed64(), 'start_time_unix_nano');
        break;
      case 8:
        r.expect(tag, WIRE_FIXED64, 'end_time_unix_nano');
        end = checkTime(r.fixed64(), 'end_time_unix_nano');
        break;
      case 9:
        r.expect(tag, WIRE_LEN, 'attributes');
        attrs.add(r);
        break;
      case 10:
        r.expect(tag, WIRE_VARINT, 'dropped_attributes_count');
        droppedAttributes = r.uint32();
        break;
      case 11:
        r.expect(tag, WIRE_LEN, 'events');
        (events ??= []).push(decodeEvent(r.sub()));
        break;
      case 12:
        r.expect(tag, WIRE_VARINT, 'dropped_events_count');
        droppedEvents = r.uint32();
        break;
      case 13:
        r.expect(tag, WIRE_LEN, 'links');
        (links ??= []).push(decodeLink(r.sub()));
        break;
      case 14:
        r.expect(tag, WIRE_VARINT, 'dropped_links_count');
        droppedLinks = r.uint32();
        break;
      case 15: {
        r.expect(tag, WIRE_LEN, 'status');
        const s = r.sub();
        while (s.hasMore()) {
          const t = s.tag();
          if (t >>> 3 === 2) {
            s.expect(t, WIRE_LEN, 'status.message');
            statusMessage = s.string();
          } else if (t >>> 3 === 3) {
            s.expect(t, WIRE_VARINT, 'status.code');
            statusCode = s.uint32();
          } else s.skip(t);
        }
        break;
      }
      case 16:
        r.expect(tag, WIRE_FIXED32, 'flags');
        flags = r.fixed32();
        break;
      default:
        r.skip(tag);
    }
  }
  return {
    traceId,
    spanId,
    parentSpanId,
    traceState,
    flags,
    name,
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributesJson: attrs.done(),
    droppedAttributesCount: droppedAttributes,
    eventsJson: events ? '[' + events.join(',') + ']' : null,
    droppedEventsCount: droppedEvents,
    linksJson: links ? '[' + links.join(',') + ']' : null,
    droppedLinksCount: droppedLinks,
    statusCode,
    statusMessage,
  };
}

function decodeEvent(r: ProtobufReader): string {
  let time = 0n;
  let name = '';
  let dropped = 0;
  const attrs = new AttributeMap(W_NESTED);
  while (r.hasMore()) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WIRE_FIXED64, 'event time_unix_nano');
        time = checkTime(r.fixed64(), 'event time_unix_nano');
        break;
      case 2:
        r.expect(tag, WIRE_LEN, 'event name');
        name = r.string();
        break;
      case 3:
        r.expect(tag, WIRE_LEN, 'event attributes');
        attrs.add(r);
        break;
      case 4:
        r.expect(tag, WIRE_VARINT, 'event dropped_attributes_count');
        dropped = r.uint32();
        break;
      default:
        r.skip(tag);
    }
  }
  return eventJson(time, name, attrs.done(), dropped);
}

function decodeLink(r: ProtobufReader): string {
  let traceId: Buffer = EMPTY_BUF;
  let spanId: Buffer = EMPTY_BUF;
  let traceState = '';
  let flags = 0;
  let dropped = 0;
  const attrs = new AttributeMap(W_NESTED);
  while (r.hasMore()) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WIRE_LEN, 'link trace_id');
        traceId = r.bytes();
        break;
      case 2:
        r.expect(tag, WIRE_LEN, 'link span_id');
        spanId = r.bytes();
        break;
      case 3:
        r.expect(tag, WIRE_LEN, 'link trace_state');
        traceState = r.string();
        break;
      case 4:
        r.expect(tag, WIRE_LEN, 'link attributes');
        attrs.add(r);
        break;
      case 5:
        r.expect(tag, WIRE_VARINT, 'link dropped_attributes_count');
        dropped = r.uint32();
        break;
      case 6:
        r.expect(tag, WIRE_FIXED32, 'link flags');
        flags = r.fixed32();
        break;
      default:
        r.skip(tag);
    }
  }
  return linkJson(traceId.toString('hex'), spanId.toString('hex'), traceState, attrs.done(), dropped, flags);
}
