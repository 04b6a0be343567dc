/**
 * OTLP protobuf → DecodedBatch, for ExportTraceServiceRequest, ExportMetricsServiceRequest
 * and ExportLogsServiceRequest (opentelemetry-proto v1). Field numbers follow
 * opentelemetry/proto/{trace,metrics,logs,common,resource}/v1/*.proto. Unknown fields are
 * skipped as protobuf requires; a known field with the wrong wire type, a truncated value or
 * a length past the end throws ProtobufError (→ 400). Items with unusable IDs, times outside
 * what SQLite stores or values nested too deep (item-limits.ts) are counted as rejected
 * (→ partial_success) and the rest are kept.
 */
import { ProtobufReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './protobuf-reader.js';
import { jsonBytes, jsonDouble, jsonString } from './stored-json.js';
import { JsonBytes } from './json-bytes.js';
import { optionalIdProblem, requiredIdProblem, SPAN_ID_BYTES, TRACE_ID_BYTES } from './ids.js';
import { checkTime, ItemProblem, MAX_VALUE_DEPTH, tooDeep } from './item-limits.js';
import {
  type DecodedBatch,
  emptyBatch,
  EMPTY_RESOURCE,
  EMPTY_SCOPE,
  type ExemplarRecord,
  type LogRecordRow,
  type MetricPointRecord,
  type MetricRecord,
  METRIC_EXPONENTIAL_HISTOGRAM,
  METRIC_GAUGE,
  METRIC_HISTOGRAM,
  METRIC_SUM,
  METRIC_SUMMARY,
  rejectItem,
  type ResourceRecord,
  type ScopeRecord,
  type Signal,
  type SpanRecord,
} from './model.js';

// Tags (field << 3 | wire type) used more than once.
const T1_LEN = (1 << 3) | WIRE_LEN;
const T2_LEN = (2 << 3) | WIRE_LEN;

export function decodeProtobuf(signal: Signal, body: Buffer): DecodedBatch {
  const batch = emptyBatch(signal);
  const r = new ProtobufReader(body);
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag >>> 3 === 1) {
      r.expect(tag, WIRE_LEN, `resource_${signal === 'traces' ? 'spans' : signal}`);
      decodeResourceGroup(r.sub(), signal, batch);
    } else r.skip(tag);
  }
  return batch;
}

function decodeResourceGroup(r: ProtobufReader, signal: Signal, batch: DecodedBatch): void {
  let resource: ResourceRecord = EMPTY_RESOURCE;
  let resourceProblem: ItemProblem | null = null;
  const scopeGroups: ProtobufReader[] = [];
  let schemaUrl = '';
  while (r.hasMore()) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE_LEN, 'resource');
      try {
        resource = decodeResource(r.sub());
      } catch (e) {
        if (!(e instanceof ItemProblem)) throw e;
        resourceProblem = e;
      }
    } else if (field === 2) {
      r.expect(tag, WIRE_LEN, 'scope group');
      scopeGroups.push(r.sub());
    } else if (field === 3) {
      r.expect(tag, WIRE_LEN, 'schema_url');
      schemaUrl = r.string();
    } else r.skip(tag);
  }
  if (schemaUrl) resource = { ...resource, schemaUrl };
  if (resourceProblem) {
    // The resource cannot be stored, so neither can anything that belongs to it.
    rejectItem(batch, `resource: ${resourceProblem.message}`, scopeGroups.reduce((n, sg) => n + countField(sg, 2), 0));
    return;
  }
  for (const sg of scopeGroups) {
    if (signal === 'traces') decodeScopeSpans(sg, resource, batch);
    else if (signal === 'metrics') decodeScopeMetrics(sg, resource, batch);
    else decodeScopeLogs(sg, resource, batch);
  }
}

function decodeResource(r: ProtobufReader): ResourceRecord {
  const attrs = new AttributeMap(W_OUTER);
  let dropped = 0;
  while (r.hasMore()) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE_LEN, 'resource attribute');
      attrs.add(r);
    } else if (field === 2) {
      r.expect(tag, WIRE_VARINT, 'dropped_attributes_count');
      dropped = r.uint32();
    } else r.skip(tag);
  }
  const attributesJson = attrs.done();
  const name = attributesJson.includes('"service.name"') ? (JSON.parse(attributesJson) as Record<string, unknown>)['service.name'] : undefined;
  const serviceName = typeof name === 'string' ? name : EMPTY_RESOURCE.serviceName;
  return { serviceName, attributesJson, droppedAttributesCount: dropped, schemaUrl: '' };
}

function decodeScope(r: ProtobufReader, schemaUrl: string): ScopeRecord {
  let name = '';
  let version = '';
  let dropped = 0;
  const attrs = new AttributeMap(W_OUTER);
  while (r.hasMore()) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WIRE_LEN, 'scope name');
        name = r.string();
        break;
      case 2:
        r.expect(tag, WIRE_LEN, 'scope version');
        version = r.string();
        break;
      case 3:
        r.expect(tag, WIRE_LEN, 'scope attribute');
        attrs.add(r);
        break;
      case 4:
        r.expect(tag, WIRE_VARINT, 'dropped_attributes_count');
        dropped = r.uint32();
        break;
      default:
        r.skip(tag);
    }
  }
  return { name, version, attributesJson: attrs.done(), droppedAttributesCount: dropped, schemaUrl };
}

/** How many times field `field` occurs in a message (without decoding it). */
function countField(message: ProtobufReader, field: number): number {
  const r = new ProtobufReader(message.buf, message.pos, message.end);
  let n = 0;
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag >>> 3 === field) n++;
    r.skip(tag);
  }
  return n;
}

/**
 * Reads a scope group's scope (field 1) and schema_url (field 3); returns the item readers
 * (field 2). A scope that cannot be stored rejects the group's items (scope = null).
 */
function readScopeGroup(r: ProtobufReader, itemName: string, batch: DecodedBatch): { scope: ScopeRecord; items: ProtobufReader[] } | null {
  let scopeReader: ProtobufReader | null = null;
  let schemaUrl = '';
  const items: ProtobufReader[] = [];
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag === T2_LEN) items.push(r.sub());
    else if (tag >>> 3 === 1) {
      r.expect(tag, WIRE_LEN, 'scope');
      scopeReader = r.sub();
    } else if (tag >>> 3 === 3) {
      r.expect(tag, WIRE_LEN, 'schema_url');
      schemaUrl = r.string();
    } else if (tag >>> 3 === 2) r.expect(tag, WIRE_LEN, itemName);
    else r.skip(tag);
  }
  try {
    const scope = scopeReader ? decodeScope(scopeReader, schemaUrl) : schemaUrl ? { ...EMPTY_SCOPE, schemaUrl } : EMPTY_SCOPE;
    return { scope, items };
  } catch (e) {
    if (!(e instanceof ItemProblem)) throw e;
    rejectItem(batch, `scope: ${e.message}`, items.length);
    return null;
  }
}

// ---------------------------------------------------------------- common values

/** Span, point and log attributes; nested (event, link, exemplar, body) values; resources and scopes. */
const W_ATTR = new JsonBytes();
const W_NESTED = new JsonBytes();
const W_OUTER = new JsonBytes();

/**
 * Collects a repeated KeyValue field into one JSON object. Call add() for each occurrence of
 * the field, then done() for the text ('{}' when there were none).
 */
class AttributeMap {
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
function anyValueText(r: ProtobufReader): string {
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

function decodeNumberField(r: ProtobufReader, tag: number, name: string): number {
  r.expect(tag, WIRE_FIXED64, name);
  return r.double();
}

// ---------------------------------------------------------------- traces

function decodeScopeSpans(r: ProtobufReader, resource: ResourceRecord, batch: DecodedBatch): void {
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

export function eventJson(time: bigint, name: string, attributesJson: string, dropped: number): string {
  return `{"timeUnixNano":${time},"name":${jsonString(name)},"attributes":${attributesJson},"droppedAttributesCount":${dropped}}`;
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

export function linkJson(traceIdHex: string, spanIdHex: string, traceState: string, attributesJson: string, dropped: number, flags: number): string {
  return `{"traceId":"${traceIdHex}","spanId":"${spanIdHex}","traceState":${jsonString(traceState)},"attributes":${attributesJson},"droppedAttributesCount":${dropped},"flags":${flags}}`;
}

// ---------------------------------------------------------------- metrics

function decodeScopeMetrics(r: ProtobufReader, resource: ResourceRecord, batch: DecodedBatch): void {
  const group = readScopeGroup(r, 'metric', batch);
  if (!group) return;
  const { scope, items } = group;
  for (const item of items) {
    let decoded: ReturnType<typeof decodeMetric>;
    try {
      decoded = decodeMetric(item, batch);
    } catch (e) {
      if (!(e instanceof ItemProblem)) throw e;
      rejectItem(batch, `metric: ${e.message}`);
      continue;
    }
    if (decoded && decoded.points.length > 0) batch.metrics.push({ resource, scope, metric: decoded.metric, points: decoded.points });
  }
}

function decodeMetric(r: ProtobufReader, batch: DecodedBatch): { metric: MetricRecord; points: MetricPointRecord[] } | null {
  const metric: MetricRecord = { name: '', description: '', unit: '', type: 0, aggregationTemporality: 0, isMonotonic: false, metadataJson: '{}' };
  const meta = new AttributeMap(W_OUTER);
  let data: ProtobufReader | null = null;
  while (r.hasMore()) {
    const tag = r.tag();
    const field = tag >>> 3;
    switch (field) {
      case 1:
        r.expect(tag, WIRE_LEN, 'metric name');
        metric.name = r.string();
        break;
      case 2:
        r.expect(tag, WIRE_LEN, 'metric description');
        metric.description = r.string();
        break;
      case 3:
        r.expect(tag, WIRE_LEN, 'metric unit');
        metric.unit = r.string();
        break;
      case 5:
      case 7:
      case 9:
      case 10:
      case 11:
        r.expect(tag, WIRE_LEN, 'metric data');
        metric.type = field === 5 ? METRIC_GAUGE : field === 7 ? METRIC_SUM : field === 9 ? METRIC_HISTOGRAM : field === 10 ? METRIC_EXPONENTIAL_HISTOGRAM : METRIC_SUMMARY;
        data = r.sub();
        break;
      case 12:
        r.expect(tag, WIRE_LEN, 'metric metadata');
        meta.add(r);
        break;
      default:
        r.skip(tag);
    }
  }
  metric.metadataJson = meta.done();
  if (!data) return null; // a metric with no data carries no points: nothing to store or reject
  const points: MetricPointRecord[] = [];
  while (data.hasMore()) {
    const tag = data.tag();
    const field = tag >>> 3;
    if (field === 1) {
      data.expect(tag, WIRE_LEN, 'data_points');
      let point: MetricPointRecord;
      try {
        point = decodePoint(data.sub(), metric.type);
      } catch (e) {
        if (!(e instanceof ItemProblem)) throw e;
        rejectItem(batch, `metric "${metric.name}": ${e.message}`);
        continue;
      }
      const bad = point.exemplars.map((e) => optionalIdProblem(e.traceId, TRACE_ID_BYTES, 'exemplar trace_id') ?? optionalIdProblem(e.spanId, SPAN_ID_BYTES, 'exemplar span_id')).find((p) => p);
      if (bad) rejectItem(batch, `metric "${metric.name}": ${bad}`);
      else points.push(point);
    } else if (field === 2) {
      data.expect(tag, WIRE_VARINT, 'aggregation_temporality');
      metric.aggregationTemporality = data.uint32();
    } else if (field === 3 && metric.type === METRIC_SUM) {
      data.expect(tag, WIRE_VARINT, 'is_monotonic');
      metric.isMonotonic = data.bool();
    } else data.skip(tag);
  }
  return { metric, points };
}

function newPoint(): MetricPointRecord {
  return {
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    attributesJson: '{}',
    flags: 0,
    valueDouble: null,
    valueInt: null,
    count: null,
    sum: null,
    min: null,
    max: null,
    bucketsJson: null,
    exemplars: [],
  };
}

/** Field numbers differ per point type; this table says which is which. */
const POINT_FIELDS: Record<number, { attributes: number; exemplars: number; flags: number }> = {
  [METRIC_GAUGE]: { attributes: 7, exemplars: 5, flags: 8 },
  [METRIC_SUM]: { attributes: 7, exemplars: 5, flags: 8 },
  [METRIC_HISTOGRAM]: { attributes: 9, exemplars: 8, flags: 10 },
  [METRIC_EXPONENTIAL_HISTOGRAM]: { attributes: 1, exemplars: 11, flags: 10 },
  [METRIC_SUMMARY]: { attributes: 7, exemplars: -1, flags: 8 },
};

function decodePoint(r: ProtobufReader, type: number): MetricPointRecord {
  const p = newPoint();
  const f = POINT_FIELDS[type]!;
  const attrs = new AttributeMap(W_ATTR);
  const bucketCounts: string[] = [];
  const bounds: string[] = [];
  const quantiles: string[] = [];
  let scale = 0;
  let zeroCount = '0';
  let zeroThreshold = 0;
  let positive = '{"offset":0,"bucketCounts":[]}';
  let negative = '{"offset":0,"bucketCounts":[]}';
  while (r.hasMore()) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (field === f.attributes) {
      r.expect(tag, WIRE_LEN, 'point attributes');
      attrs.add(r);
    } else if (field === f.exemplars) {
      r.expect(tag, WIRE_LEN, 'exemplars');
      p.exemplars.push(decodeExemplar(r.sub()));
    } else if (field === f.flags) {
      r.expect(tag, WIRE_VARINT, 'point flags');
      p.flags = r.uint32();
    } else if (field === 2) {
      r.expect(tag, WIRE_FIXED64, 'start_time_unix_nano');
      p.startTimeUnixNano = checkTime(r.fixed64(), 'start_time_unix_nano');
    } else if (field === 3) {
      r.expect(tag, WIRE_FIXED64, 'time_unix_nano');
      p.timeUnixNano = checkTime(r.fixed64(), 'time_unix_nano');
    } else if (type === METRIC_GAUGE || type === METRIC_SUM) {
      if (field === 4) {
        p.valueDouble = decodeNumberField(r, tag, 'as_double');
        p.valueInt = null;
      } else if (field === 6) {
        r.expect(tag, WIRE_FIXED64, 'as_int');
        p.valueInt = r.sfixed64();
        p.valueDouble = null;
      } else r.skip(tag);
    } else if (field === 4) {
      r.expect(tag, WIRE_FIXED64, 'count');
      p.count = r.fixed64Number();
    } else if (field === 5) {
      p.sum = decodeNumberField(r, tag, 'sum');
    } else if (type === METRIC_HISTOGRAM) {
      if (field === 6) readPackedFixed64(r, tag, bucketCounts);
      else if (field === 7) readPackedDouble(r, tag, bounds);
      else if (field === 11) p.min = decodeNumberField(r, tag, 'min');
      else if (field === 12) p.max = decodeNumberField(r, tag, 'max');
      else r.skip(tag);
    } else if (type === METRIC_EXPONENTIAL_HISTOGRAM) {
      if (field === 6) {
        r.expect(tag, WIRE_VARINT, 'scale');
        scale = r.sint32();
      } else if (field === 7) {
        r.expect(tag, WIRE_FIXED64, 'zero_count');
        zeroCount = r.fixed64().toString();
      } else if (field === 8) {
        r.expect(tag, WIRE_LEN, 'positive');
        positive = decodeExpBuckets(r.sub());
      } else if (field === 9) {
        r.expect(tag, WIRE_LEN, 'negative');
        negative = decodeExpBuckets(r.sub());
      } else if (field === 12) p.min = decodeNumberField(r, tag, 'min');
      else if (field === 13) p.max = decodeNumberField(r, tag, 'max');
      else if (field === 14) zeroThreshold = decodeNumberField(r, tag, 'zero_threshold');
      else r.skip(tag);
    } else if (type === METRIC_SUMMARY && field === 6) {
      r.expect(tag, WIRE_LEN, 'quantile_values');
      const q = r.sub();
      let quantile = 0;
      let value = 0;
      while (q.hasMore()) {
        const t = q.tag();
        if (t >>> 3 === 1) quantile = decodeNumberField(q, t, 'quantile');
        else if (t >>> 3 === 2) value = decodeNumberField(q, t, 'value');
        else q.skip(t);
      }
      quantiles.push(`{"quantile":${jsonDouble(quantile)},"value":${jsonDouble(value)}}`);
    } else r.skip(tag);
  }
  p.attributesJson = attrs.done();
  if (type === METRIC_HISTOGRAM) p.bucketsJson = `{"bucketCounts":[${bucketCounts.join(',')}],"explicitBounds":[${bounds.join(',')}]}`;
  else if (type === METRIC_EXPONENTIAL_HISTOGRAM)
    p.bucketsJson = `{"scale":${scale},"zeroCount":${zeroCount},"zeroThreshold":${jsonDouble(zeroThreshold)},"positive":${positive},"negative":${negative}}`;
  else if (type === METRIC_SUMMARY) p.bucketsJson = `{"quantileValues":[${quantiles.join(',')}]}`;
  return p;
}

function readPackedFixed64(r: ProtobufReader, tag: number, out: string[]): void {
  if ((tag & 7) === WIRE_FIXED64) {
    out.push(r.fixed64().toString());
    return;
  }
  r.expect(tag, WIRE_LEN, 'bucket_counts');
  const end = r.lengthEnd();
  if ((end - r.pos) % 8 !== 0) r.fail('packed fixed64 length is not a multiple of 8');
  while (r.pos < end) out.push(r.fixed64().toString());
}

function readPackedDouble(r: ProtobufReader, tag: number, out: string[]): void {
  if ((tag & 7) === WIRE_FIXED64) {
    out.push(jsonDouble(r.double()));
    return;
  }
  r.expect(tag, WIRE_LEN, 'explicit_bounds');
  const end = r.lengthEnd();
  if ((end - r.pos) % 8 !== 0) r.fail('packed double length is not a multiple of 8');
  while (r.pos < end) out.push(jsonDouble(r.double()));
}

function decodeExpBuckets(r: ProtobufReader): string {
  let offset = 0;
  const counts: string[] = [];
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag >>> 3 === 1) {
      r.expect(tag, WIRE_VARINT, 'buckets offset');
      offset = r.sint32();
    } else if (tag >>> 3 === 2) {
      if ((tag & 7) === WIRE_VARINT) counts.push(r.uint64().toString());
      else {
        r.expect(tag, WIRE_LEN, 'bucket_counts');
        const end = r.lengthEnd();
        while (r.pos < end) counts.push(r.uint64().toString());
      }
    } else r.skip(tag);
  }
  return `{"offset":${offset},"bucketCounts":[${counts.join(',')}]}`;
}

function decodeExemplar(r: ProtobufReader): ExemplarRecord {
  const e: ExemplarRecord = { timeUnixNano: 0n, valueDouble: null, valueInt: null, traceId: null, spanId: null, filteredAttributesJson: '{}' };
  const attrs = new AttributeMap(W_NESTED);
  while (r.hasMore()) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 2:
        r.expect(tag, WIRE_FIXED64, 'exemplar time_unix_nano');
        e.timeUnixNano = checkTime(r.fixed64(), 'exemplar time_unix_nano');
        break;
      case 3:
        e.valueDouble = decodeNumberField(r, tag, 'exemplar as_double');
        break;
      case 4:
        r.expect(tag, WIRE_LEN, 'exemplar span_id');
        e.spanId = r.bytes();
        break;
      case 5:
        r.expect(tag, WIRE_LEN, 'exemplar trace_id');
        e.traceId = r.bytes();
        break;
      case 6:
        r.expect(tag, WIRE_FIXED64, 'exemplar as_int');
        e.valueInt = r.sfixed64();
        break;
      case 7:
        r.expect(tag, WIRE_LEN, 'exemplar filtered_attributes');
        attrs.add(r);
        break;
      default:
        r.skip(tag);
    }
  }
  if (e.traceId?.length === 0) e.traceId = null;
  if (e.spanId?.length === 0) e.spanId = null;
  e.filteredAttributesJson = attrs.done();
  return e;
}

// ---------------------------------------------------------------- logs

function decodeScopeLogs(r: ProtobufReader, resource: ResourceRecord, batch: DecodedBatch): void {
  const group = readScopeGroup(r, 'log_record', batch);
  if (!group) return;
  const { scope, items } = group;
  const logs: LogRecordRow[] = [];
  for (const item of items) {
    let log: LogRecordRow;
    try {
      log = decodeLogRecord(item);
    } catch (e) {
      if (!(e instanceof ItemProblem)) throw e;
      rejectItem(batch, `log record: ${e.message}`);
      continue;
    }
    const problem = optionalIdProblem(log.traceId, TRACE_ID_BYTES, 'trace_id') ?? optionalIdProblem(log.spanId, SPAN_ID_BYTES, 'span_id');
    if (problem) rejectItem(batch, `log record: ${problem}`);
    else logs.push(log);
  }
  if (logs.length > 0) batch.logs.push({ resource, scope, logs });
}

function decodeLogRecord(r: ProtobufReader): LogRecordRow {
  const log: LogRecordRow = {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    bodyJson: 'null',
    attributesJson: '{}',
    droppedAttributesCount: 0,
    flags: 0,
    traceId: null,
    spanId: null,
    eventName: '',
  };
  const attrs = new AttributeMap(W_ATTR);
  while (r.hasMore()) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WIRE_FIXED64, 'time_unix_nano');
        log.timeUnixNano = checkTime(r.fixed64(), 'time_unix_nano');
        break;
      case 2:
        r.expect(tag, WIRE_VARINT, 'severity_number');
        log.severityNumber = r.uint32();
        break;
      case 3:
        r.expect(tag, WIRE_LEN, 'severity_text');
        log.severityText = r.string();
        break;
      case 5:
        r.expect(tag, WIRE_LEN, 'body');
        log.bodyJson = anyValueText(r.sub());
        break;
      case 6:
        r.expect(tag, WIRE_LEN, 'attributes');
        attrs.add(r);
        break;
      case 7:
        r.expect(tag, WIRE_VARINT, 'dropped_attributes_count');
        log.droppedAttributesCount = r.uint32();
        break;
      case 8:
        r.expect(tag, WIRE_FIXED32, 'flags');
        log.flags = r.fixed32();
        break;
      case 9:
        r.expect(tag, WIRE_LEN, 'trace_id');
        log.traceId = r.bytes();
        break;
      case 10:
        r.expect(tag, WIRE_LEN, 'span_id');
        log.spanId = r.bytes();
        break;
      case 11:
        r.expect(tag, WIRE_FIXED64, 'observed_time_unix_nano');
        log.observedTimeUnixNano = checkTime(r.fixed64(), 'observed_time_unix_nano');
        break;
      case 12:
        r.expect(tag, WIRE_LEN, 'event_name');
        log.eventName = r.string();
        break;
      default:
        r.skip(tag);
    }
  }
  if (log.traceId?.length === 0) log.traceId = null;
  if (log.spanId?.length === 0) log.spanId = null;
  log.attributesJson = attrs.done();
  return log;
}
