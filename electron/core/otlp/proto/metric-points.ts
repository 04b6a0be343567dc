/**
 * OTLP protobuf metric points of every type (gauge, sum, histogram, exponential histogram,
 * summary) with their exemplars. Values go to columns; bucket layouts are kept as the
 * decoder's own numeric JSON (`bucketsJson`), which redaction leaves alone.
 */
import { ProtobufReader, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../protobuf-reader.js';
import { jsonDouble } from '../stored-json.js';
import { checkTime } from '../item-limits.js';
import {
  type ExemplarRecord,
  type MetricPointRecord,
  METRIC_EXPONENTIAL_HISTOGRAM,
  METRIC_GAUGE,
  METRIC_HISTOGRAM,
  METRIC_SUM,
  METRIC_SUMMARY,
} from '../model.js';
import { AttributeMap, decodeNumberField, W_ATTR, W_NESTED } from './common-values.js';

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

export function decodePoint(r: ProtobufReader, type: number): MetricPointRecord {
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
