/**
 * OTLP JSON (the OTLP/HTTP JSON encoding) → DecodedBatch, with the quirks real senders have:
 * camelCase or the proto's snake_case field names, trace/span IDs in hex of either case or
 * base64, 64-bit integers as strings or numbers, enum names instead of numbers, missing
 * kind/status/scope. A payload that is not JSON or not shaped like an export request throws
 * PayloadError (→ 400); a single bad span, point or log record is rejected on its own
 * (→ partial_success) and the rest are kept.
 */
import { idFromJson, optionalIdProblem, requiredIdProblem, SPAN_ID_BYTES, TRACE_ID_BYTES } from './ids.js';
import { jsonDouble, jsonObject, jsonString } from './stored-json.js';
import { eventJson, linkJson } from './decode-proto.js';
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
import { PayloadError } from './payload-error.js';
import { checkInt64, checkTime, ItemProblem, MAX_VALUE_DEPTH, tooDeep } from './item-limits.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };


const GROUP_KEYS: Record<Signal, [string, string, string, string, string, string]> = {
  traces: ['resourceSpans', 'resource_spans', 'scopeSpans', 'scope_spans', 'spans', 'spans'],
  metrics: ['resourceMetrics', 'resource_metrics', 'scopeMetrics', 'scope_metrics', 'metrics', 'metrics'],
  logs: ['resourceLogs', 'resource_logs', 'scopeLogs', 'scope_logs', 'logRecords', 'log_records'],
};

export function decodeJson(signal: Signal, body: Buffer | string): DecodedBatch {
  let root: Json;
  try {
    root = JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as Json;
  } catch (e) {
    throw new PayloadError(`invalid JSON: ${(e as Error).message}`);
  }
  return decodeJsonValue(signal, root);
}

/** Decodes an already parsed export request (used by archive importers too). */
export function decodeJsonValue(signal: Signal, root: unknown): DecodedBatch {
  if (!isObj(root)) throw new PayloadError('the body must be a JSON object');
  const [rk, rk2, sk, sk2, ik, ik2] = GROUP_KEYS[signal];
  const batch = emptyBatch(signal);
  const groups = field(root, rk, rk2);
  if (groups === undefined || groups === null) return batch;
  if (!Array.isArray(groups)) throw new PayloadError(`${rk} must be an array`);
  groups.forEach((g, gi) => {
    if (!isObj(g)) throw new PayloadError(`${rk}[${gi}] must be an object`);
    const scopeGroups = field(g, sk, sk2) ?? [];
    if (!Array.isArray(scopeGroups)) throw new PayloadError(`${rk}[${gi}].${sk} must be an array`);
    const itemsOf = (sg: Json): Json[] => {
      const items = isObj(sg) ? field(sg, ik, ik2) : undefined;
      return Array.isArray(items) ? items : [];
    };
    let resource: ResourceRecord;
    try {
      resource = decodeResource(field(g, 'resource'), str(field(g, 'schemaUrl', 'schema_url')));
    } catch (e) {
      if (!(e instanceof ItemProblem)) throw e;
      // The resource cannot be stored, so neither can anything that belongs to it.
      rejectItem(batch, `resource: ${e.message}`, scopeGroups.reduce((n: number, sg) => n + itemsOf(sg).length, 0));
      return;
    }
    scopeGroups.forEach((sg, si) => {
      if (!isObj(sg)) throw new PayloadError(`${rk}[${gi}].${sk}[${si}] must be an object`);
      const items = field(sg, ik, ik2) ?? [];
      if (!Array.isArray(items)) throw new PayloadError(`${rk}[${gi}].${sk}[${si}].${ik} must be an array`);
      let scope: ScopeRecord;
      try {
        scope = decodeScope(field(sg, 'scope'), str(field(sg, 'schemaUrl', 'schema_url')));
      } catch (e) {
        if (!(e instanceof ItemProblem)) throw e;
        rejectItem(batch, `scope: ${e.message}`, items.length);
        return;
      }
      if (signal === 'traces') decodeSpans(items, resource, scope, batch);
      else if (signal === 'metrics') decodeMetrics(items, resource, scope, batch);
      else decodeLogs(items, resource, scope, batch);
    });
  });
  return batch;
}

// ---------------------------------------------------------------- helpers

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(o: Obj, camel: string, snake?: string): Json | undefined {
  const v = o[camel];
  return v !== undefined || snake === undefined ? v : o[snake];
}

function str(v: Json | undefined): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function uint(v: Json | undefined, what: string): number {
  if (v === undefined || v === null || v === '') return 0;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new ItemProblem(`${what} is not a non-negative integer`);
  return n;
}

const INT_RE = /^-?\d{1,20}$/;

/** A fixed64/int64 given as a string or a number → BigInt (any size; see time() and int64()). */
function big(v: Json | undefined, what: string): bigint {
  if (v === undefined || v === null || v === '') return 0n;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && INT_RE.test(v)) return BigInt(v);
  throw new ItemProblem(`${what} is not an integer`);
}

/** A time in ns that SQLite can store (0 … 2^63−1). */
function time(v: Json | undefined, what: string): bigint {
  return checkTime(big(v, what), what);
}

/** A signed 64-bit integer. */
function int64(v: Json | undefined, what: string): bigint {
  return checkInt64(big(v, what), what);
}

function dbl(v: Json | undefined, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = Number(v);
    if (v.trim() !== '' && !Number.isNaN(n)) return n;
  }
  throw new ItemProblem(`${what} is not a number`);
}

function optDbl(v: Json | undefined, what: string): number | null {
  return v === undefined || v === null ? null : dbl(v, what);
}

/** An enum given as a number or as its name (with or without the prefix). */
function enumValue(v: Json | undefined, names: Record<string, number>, prefix: string, what: string): number {
  if (v === undefined || v === null || v === '') return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const key = v.startsWith(prefix) ? v.slice(prefix.length) : v;
    const n = names[key];
    if (n !== undefined) return n;
    if (/^\d+$/.test(v)) return Number(v);
  }
  throw new ItemProblem(`${what} "${String(v)}" is not a known value`);
}

const SPAN_KINDS = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
const STATUS_CODES = { UNSET: 0, OK: 1, ERROR: 2 };
const TEMPORALITIES = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 };
const SEVERITIES: Record<string, number> = { UNSPECIFIED: 0 };
['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].forEach((name, i) => {
  SEVERITIES[name] = i * 4 + 1;
  for (let k = 2; k <= 4; k++) SEVERITIES[name + k] = i * 4 + k;
});

function id(v: Json | undefined, bytes: number, what: string): Buffer | null {
  const r = idFromJson(v, bytes, what);
  if (typeof r === 'string') throw new ItemProblem(r);
  return r;
}

// ---------------------------------------------------------------- common values

function anyValue(v: Json | undefined, depth = 0): string {
  if (depth > MAX_VALUE_DEPTH) throw tooDeep();
  if (!isObj(v)) return 'null';
  if ('stringValue' in v || 'string_value' in v) return jsonString(str(field(v, 'stringValue', 'string_value')));
  if ('boolValue' in v || 'bool_value' in v) {
    const b = field(v, 'boolValue', 'bool_value');
    return b === true || b === 'true' ? 'true' : 'false';
  }
  if ('intValue' in v || 'int_value' in v) {
    const raw = field(v, 'intValue', 'int_value');
    return int64(raw, 'intValue').toString();
  }
  if ('doubleValue' in v || 'double_value' in v) return jsonDouble(dbl(field(v, 'doubleValue', 'double_value'), 'doubleValue'));
  if ('arrayValue' in v || 'array_value' in v) {
    const a = field(v, 'arrayValue', 'array_value');
    const values = isObj(a) ? a['values'] : undefined;
    return '[' + (Array.isArray(values) ? values.map((x) => anyValue(x, depth + 1)).join(',') : '') + ']';
  }
  if ('kvlistValue' in v || 'kvlist_value' in v) {
    const kv = field(v, 'kvlistValue', 'kvlist_value');
    return keyValues(isObj(kv) ? kv['values'] : undefined, depth + 1);
  }
  if ('bytesValue' in v || 'bytes_value' in v) {
    const b = str(field(v, 'bytesValue', 'bytes_value'));
    return `{"$bytes":${jsonString(b)}}`;
  }
  return 'null';
}

function keyValues(list: Json | undefined, depth = 0): string {
  if (list === undefined || list === null) return '{}';
  if (!Array.isArray(list)) throw new ItemProblem('attributes must be an array of key/value pairs');
  const keys: string[] = [];
  const values: string[] = [];
  for (const kv of list) {
    if (!isObj(kv)) throw new ItemProblem('an attribute is not an object');
    keys.push(str(kv['key']));
    values.push(anyValue(kv['value'], depth));
  }
  return jsonObject(keys, values);
}

function decodeResource(v: Json | undefined, schemaUrl: string): ResourceRecord {
  if (!isObj(v)) return schemaUrl ? { ...EMPTY_RESOURCE, schemaUrl } : EMPTY_RESOURCE;
  const attributesJson = keyValues(v['attributes']);
  const attrs = v['attributes'];
  let serviceName = EMPTY_RESOURCE.serviceName;
  if (Array.isArray(attrs)) {
    for (const kv of attrs) {
      if (isObj(kv) && kv['key'] === 'service.name' && isObj(kv['value'])) {
        const s = field(kv['value'], 'stringValue', 'string_value');
        if (typeof s === 'string') serviceName = s;
      }
    }
  }
  return { serviceName, attributesJson, droppedAttributesCount: safeUint(field(v, 'droppedAttributesCount', 'dropped_attributes_count')), schemaUrl };
}

function safeUint(v: Json | undefined): number {
  try {
    return uint(v, 'count');
  } catch {
    return 0;
  }
}

function decodeScope(v: Json | undefined, schemaUrl: string): ScopeRecord {
  if (!isObj(v)) return schemaUrl ? { ...EMPTY_SCOPE, schemaUrl } : EMPTY_SCOPE;
  const attributesJson = keyValues(v['attributes']);
  return {
    name: str(v['name']),
    version: str(v['version']),
    attributesJson,
    droppedAttributesCount: safeUint(field(v, 'droppedAttributesCount', 'dropped_attributes_count')),
    schemaUrl,
  };
}

function eachItem(items: Json[], batch: DecodedBatch, what: string, fn: (item: Obj) => void): void {
  for (const item of items) {
    try {
      if (!isObj(item)) throw new ItemProblem('not an object');
      fn(item);
    } catch (e) {
      if (!(e instanceof ItemProblem)) throw e;
      const name = isObj(item) && typeof item['name'] === 'string' ? ` "${item['name']}"` : '';
      rejectItem(batch, `${what}${name}: ${e.message}`);
    }
  }
}

// ---------------------------------------------------------------- traces

function decodeSpans(items: Json[], resource: ResourceRecord, scope: ScopeRecord, batch: DecodedBatch): void {
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

// ---------------------------------------------------------------- metrics

const METRIC_DATA: [string, string, number][] = [
  ['gauge', 'gauge', METRIC_GAUGE],
  ['sum', 'sum', METRIC_SUM],
  ['histogram', 'histogram', METRIC_HISTOGRAM],
  ['exponentialHistogram', 'exponential_histogram', METRIC_EXPONENTIAL_HISTOGRAM],
  ['summary', 'summary', METRIC_SUMMARY],
];

function decodeMetrics(items: Json[], resource: ResourceRecord, scope: ScopeRecord, batch: DecodedBatch): void {
  for (const m of items) {
    if (!isObj(m)) throw new PayloadError('a metric is not an object');
    let data: Obj | null = null;
    let type = 0;
    for (const [camel, snake, t] of METRIC_DATA) {
      const d = field(m, camel, snake);
      if (isObj(d)) {
        data = d;
        type = t;
        break;
      }
    }
    if (!data) continue;
    let metadataJson = '{}';
    try {
      metadataJson = keyValues(m['metadata']);
    } catch {
      metadataJson = '{}';
    }
    let temporality = 0;
    try {
      temporality = enumValue(field(data, 'aggregationTemporality', 'aggregation_temporality'), TEMPORALITIES, 'AGGREGATION_TEMPORALITY_', 'aggregationTemporality');
    } catch (e) {
      throw new PayloadError(`metric "${str(m['name'])}": ${(e as Error).message}`);
    }
    const metric: MetricRecord = {
      name: str(m['name']),
      description: str(m['description']),
      unit: str(m['unit']),
      type,
      aggregationTemporality: temporality,
      isMonotonic: field(data, 'isMonotonic', 'is_monotonic') === true,
      metadataJson,
    };
    const rawPoints = field(data, 'dataPoints', 'data_points') ?? [];
    if (!Array.isArray(rawPoints)) throw new PayloadError(`metric "${metric.name}": dataPoints must be an array`);
    const points: MetricPointRecord[] = [];
    eachItem(rawPoints, batch, `metric "${metric.name}" point`, (p) => points.push(decodePoint(p, type)));
    if (points.length > 0) batch.metrics.push({ resource, scope, metric, points });
  }
}

function decodePoint(p: Obj, type: number): MetricPointRecord {
  const point: MetricPointRecord = {
    startTimeUnixNano: time(field(p, 'startTimeUnixNano', 'start_time_unix_nano'), 'startTimeUnixNano'),
    timeUnixNano: time(field(p, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    attributesJson: keyValues(p['attributes']),
    flags: uint(p['flags'], 'flags'),
    valueDouble: null,
    valueInt: null,
    count: null,
    sum: null,
    min: null,
    max: null,
    bucketsJson: null,
    exemplars: [],
  };
  const exemplars = p['exemplars'];
  if (Array.isArray(exemplars)) point.exemplars = exemplars.map(decodeExemplar);
  if (type === METRIC_GAUGE || type === METRIC_SUM) {
    const asInt = field(p, 'asInt', 'as_int');
    if (asInt !== undefined && asInt !== null) point.valueInt = int64(asInt, 'asInt');
    else point.valueDouble = dbl(field(p, 'asDouble', 'as_double') ?? 0, 'asDouble');
    return point;
  }
  point.count = Number(big(p['count'], 'count'));
  point.sum = optDbl(p['sum'], 'sum');
  if (type === METRIC_HISTOGRAM) {
    point.min = optDbl(p['min'], 'min');
    point.max = optDbl(p['max'], 'max');
    const counts = arr(field(p, 'bucketCounts', 'bucket_counts')).map((c) => big(c, 'bucketCounts').toString());
    const bounds = arr(field(p, 'explicitBounds', 'explicit_bounds')).map((b) => jsonDouble(dbl(b, 'explicitBounds')));
    point.bucketsJson = `{"bucketCounts":[${counts.join(',')}],"explicitBounds":[${bounds.join(',')}]}`;
  } else if (type === METRIC_EXPONENTIAL_HISTOGRAM) {
    point.min = optDbl(p['min'], 'min');
    point.max = optDbl(p['max'], 'max');
    const scale = Number(big(p['scale'], 'scale'));
    point.bucketsJson =
      `{"scale":${scale},"zeroCount":${big(field(p, 'zeroCount', 'zero_count'), 'zeroCount')},` +
      `"zeroThreshold":${jsonDouble(dbl(field(p, 'zeroThreshold', 'zero_threshold') ?? 0, 'zeroThreshold'))},` +
      `"positive":${expBuckets(p['positive'])},"negative":${expBuckets(p['negative'])}}`;
  } else if (type === METRIC_SUMMARY) {
    const q = arr(field(p, 'quantileValues', 'quantile_values')).map((v) => {
      if (!isObj(v)) throw new ItemProblem('a quantile value is not an object');
      return `{"quantile":${jsonDouble(dbl(v['quantile'] ?? 0, 'quantile'))},"value":${jsonDouble(dbl(v['value'] ?? 0, 'value'))}}`;
    });
    point.bucketsJson = `{"quantileValues":[${q.join(',')}]}`;
  }
  return point;
}

function arr(v: Json | undefined): Json[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ItemProblem('expected an array');
  return v;
}

function expBuckets(v: Json | undefined): string {
  if (!isObj(v)) return '{"offset":0,"bucketCounts":[]}';
  const counts = arr(field(v, 'bucketCounts', 'bucket_counts')).map((c) => big(c, 'bucketCounts').toString());
  return `{"offset":${Number(big(v['offset'], 'offset'))},"bucketCounts":[${counts.join(',')}]}`;
}

function decodeExemplar(e: Json): ExemplarRecord {
  if (!isObj(e)) throw new ItemProblem('an exemplar is not an object');
  const traceId = id(field(e, 'traceId', 'trace_id'), TRACE_ID_BYTES, 'exemplar traceId');
  const spanId = id(field(e, 'spanId', 'span_id'), SPAN_ID_BYTES, 'exemplar spanId');
  const asInt = field(e, 'asInt', 'as_int');
  return {
    timeUnixNano: time(field(e, 'timeUnixNano', 'time_unix_nano'), 'exemplar timeUnixNano'),
    valueInt: asInt !== undefined && asInt !== null ? int64(asInt, 'exemplar asInt') : null,
    valueDouble: asInt !== undefined && asInt !== null ? null : dbl(field(e, 'asDouble', 'as_double') ?? 0, 'exemplar asDouble'),
    traceId,
    spanId,
    filteredAttributesJson: keyValues(field(e, 'filteredAttributes', 'filtered_attributes')),
  };
}

// ---------------------------------------------------------------- logs

function decodeLogs(items: Json[], resource: ResourceRecord, scope: ScopeRecord, batch: DecodedBatch): void {
  const logs: LogRecordRow[] = [];
  eachItem(items, batch, 'log record', (l) => {
    const traceId = id(field(l, 'traceId', 'trace_id'), TRACE_ID_BYTES, 'traceId');
    const spanId = id(field(l, 'spanId', 'span_id'), SPAN_ID_BYTES, 'spanId');
    const problem = optionalIdProblem(traceId, TRACE_ID_BYTES, 'traceId') ?? optionalIdProblem(spanId, SPAN_ID_BYTES, 'spanId');
    if (problem) throw new ItemProblem(problem);
    logs.push({
      timeUnixNano: time(field(l, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
      observedTimeUnixNano: time(field(l, 'observedTimeUnixNano', 'observed_time_unix_nano'), 'observedTimeUnixNano'),
      severityNumber: enumValue(field(l, 'severityNumber', 'severity_number'), SEVERITIES, 'SEVERITY_NUMBER_', 'severityNumber'),
      severityText: str(field(l, 'severityText', 'severity_text')),
      bodyJson: anyValue(l['body']),
      attributesJson: keyValues(l['attributes']),
      droppedAttributesCount: uint(field(l, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
      flags: uint(l['flags'], 'flags'),
      traceId,
      spanId,
      eventName: str(field(l, 'eventName', 'event_name')),
    });
  });
  if (logs.length > 0) batch.logs.push({ resource, scope, logs });
}
