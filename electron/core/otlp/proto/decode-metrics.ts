/**
 * OTLP protobuf metrics: ScopeMetrics → metrics (name, unit, type, temporality, metadata) and
 * their points (metric-points.ts), per opentelemetry/proto/metrics/v1/metrics.proto. A point
 * over the item limits or with an exemplar whose IDs are unusable is rejected on its own.
 */
import { ProtobufReader, WIRE_LEN, WIRE_VARINT } from '../protobuf-reader.js';
import { optionalIdProblem, SPAN_ID_BYTES, TRACE_ID_BYTES } from '../ids.js';
import { ItemProblem } from '../item-limits.js';
import {
  type DecodedBatch,
  type MetricPointRecord,
  type MetricRecord,
  METRIC_EXPONENTIAL_HISTOGRAM,
  METRIC_GAUGE,
  METRIC_HISTOGRAM,
  METRIC_SUM,
  METRIC_SUMMARY,
  rejectItem,
  type ResourceRecord,
} from '../model.js';
import { AttributeMap, W_OUTER } from './common-values.js';
import { decodePoint } from './metric-points.js';
import { readScopeGroup } from './resource-scope.js';

export function decodeScopeMetrics(r: ProtobufReader, resource: ResourceRecord, batch: DecodedBatch): void {
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
        metric.type =
          field === 5 ? METRIC_GAUGE : field === 7 ? METRIC_SUM : field === 9 ? METRIC_HISTOGRAM : field === 10 ? METRIC_EXPONENTIAL_HISTOGRAM : METRIC_SUMMARY;
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
      const bad = point.exemplars
        .map((e) => optionalIdProblem(e.traceId, TRACE_ID_BYTES, 'exemplar trace_id') ?? optionalIdProblem(e.spanId, SPAN_ID_BYTES, 'exemplar span_id'))
        .find((p) => p);
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
