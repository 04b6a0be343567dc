/**
 * OTLP JSON metrics: every point type (gauge, sum, histogram, exponential histogram, summary)
 * with exemplars. A metric that is not an object, or whose temporality or point list cannot be
 * read, refuses the payload (PayloadError); a bad point is rejected on its own.
 */
import { SPAN_ID_BYTES, TRACE_ID_BYTES } from '../ids.js';
import { jsonDouble } from '../stored-json.js';
import { ItemProblem } from '../item-limits.js';
import {
  type DecodedBatch,
  type ExemplarRecord,
  type MetricPointRecord,
  type MetricRecord,
  METRIC_EXPONENTIAL_HISTOGRAM,
  METRIC_GAUGE,
  METRIC_HISTOGRAM,
  METRIC_SUM,
  METRIC_SUMMARY,
  type ResourceRecord,
  type ScopeRecord,
} from '../model.js';
import { PayloadError } from '../payload-error.js';
import { keyValues } from './common-values.js';
import { arr, big, dbl, eachItem, enumValue, field, id, int64, isObj, type Json, type Obj, optDbl, str, time, uint } from './json-fields.js';

const TEMPORALITIES = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 };

const METRIC_DATA: [string, string, number][] = [
  ['gauge', 'gauge', METRIC_GAUGE],
  ['sum', 'sum', METRIC_SUM],
  ['histogram', 'histogram', METRIC_HISTOGRAM],
  ['exponentialHistogram', 'exponential_histogram', METRIC_EXPONENTIAL_HISTOGRAM],
  ['summary', 'summary', METRIC_SUMMARY],
];

export function decodeMetrics(items: Json[], resource: ResourceRecord, scope: ScopeRecord, batch: DecodedBatch): void {
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
    let metadataJson: string;
    try {
      metadataJson = keyValues(m['metadata']);
    } catch {
      metadataJson = '{}';
    }
    let temporality: number;
    try {
      temporality = enumValue(
        field(data, 'aggregationTemporality', 'aggregation_temporality'),
        TEMPORALITIES,
        'AGGREGATION_TEMPORALITY_',
        'aggregationTemporality',
      );
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
