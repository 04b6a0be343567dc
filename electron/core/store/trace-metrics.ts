/**
 * The metric series that belong to a trace, for the lanes under its waterfall: series of the
 * trace's own resources, of other resources of its services, and of its hosts (host.name),
 * around the trace's time. Each series keeps the last point before the trace (the value the
 * trace started with), the points during it, and the first after it. Gauges and sums are
 * drawn as they are, monotonic cumulative sums as a rate per second, histograms as the mean
 * over each interval (cumulative points differenced). Exemplars come along, to jump to their
 * trace. Infrastructure names (GPU, storage, queue, network) come first.
 */
import { parseStoredObject } from './parse-stored.js';
import type { Db } from './db.js';
import type { Attributes, MetricLane } from '../../../shared/model/telemetry.js';
import { METRIC_EXPONENTIAL_HISTOGRAM, METRIC_HISTOGRAM, METRIC_SUM, METRIC_SUMMARY } from '../otlp/model.js';

const INFRASTRUCTURE = /gpu|dcgm|storage|disk|s3|queue|feature.?store|network|cpu|memory/i;
/** How far before the trace a point may be to say what the value was when it started. */
const LOOKBACK_MS = 10 * 60_000;
const MAX_LANES = 40;
const MAX_POINTS_PER_LANE = 2000;
const CUMULATIVE = 2;

interface PointRow {
  metric_id: number;
  resource_id: number;
  attributes: string;
  time_ms: number;
  value: number | null;
  count: number | null;
  sum: number | null;
  point_id: number;
}

export function traceMetricLanes(db: Db, traceSeq: number, datasetId: number, startMs: number, endMs: number): MetricLane[] {
  const resources = db
    .prepare(
      `WITH mine AS (SELECT DISTINCT r.service_name, json_extract(r.attributes, '$."host.name"') AS host
                     FROM spans s JOIN resources r ON r.id = s.resource_id WHERE s.trace_seq = ?)
       SELECT r.id, r.service_name, json_extract(r.attributes, '$."host.name"') AS host FROM resources r
       WHERE r.dataset_id = ? AND (r.service_name IN (SELECT service_name FROM mine) OR json_extract(r.attributes, '$."host.name"') IN (SELECT host FROM mine WHERE host IS NOT NULL))`,
    )
    .all(traceSeq, datasetId) as { id: number; service_name: string; host: string | null }[];
  if (resources.length === 0) return [];
  const byResource = new Map(resources.map((r) => [r.id, r]));
  const ids = resources.map((r) => r.id);
  const from = BigInt(Math.floor(startMs - LOOKBACK_MS)) * 1_000_000n;
  const to = BigInt(Math.ceil(endMs + LOOKBACK_MS)) * 1_000_000n;
  const rows = db
    .prepare(
      `SELECT p.metric_id, p.resource_id, p.attributes, p.time_unix_nano / 1e6 AS time_ms, coalesce(p.value_double, p.value_int) AS value, p.count, p.sum, p.id AS point_id
       FROM metric_points p WHERE p.time_unix_nano BETWEEN ? AND ? AND p.resource_id IN (SELECT value FROM json_each(?))
       ORDER BY p.time_unix_nano`,
    )
    .all(from, to, JSON.stringify(ids)) as PointRow[];
  if (rows.length === 0) return [];
  const metrics = new Map(
    (
      db
        .prepare('SELECT id, name, unit, type, aggregation_temporality AS temporality, is_monotonic FROM metrics WHERE id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify([...new Set(rows.map((r) => r.metric_id))])) as {
        id: number;
        name: string;
        unit: string;
        type: number;
        temporality: number;
        is_monotonic: number;
      }[]
    ).map((m) => [m.id, m]),
  );
  // Raw points per series, in time order.
  const series = new Map<string, PointRow[]>();
  for (const r of rows) {
    const key = `${r.metric_id}/${r.resource_id}/${r.attributes}`;
    const list = series.get(key);
    if (list) list.push(r);
    else series.set(key, [r]);
  }
  const lanes: MetricLane[] = [];
  for (const [key, points] of series) {
    const m = metrics.get(points[0]!.metric_id)!;
    const res = byResource.get(points[0]!.resource_id)!;
    const isHistogram = m.type === METRIC_HISTOGRAM || m.type === METRIC_EXPONENTIAL_HISTOGRAM || m.type === METRIC_SUMMARY;
    const isRate = m.type === METRIC_SUM && m.is_monotonic === 1 && m.temporality === CUMULATIVE;
    const values: { timeMs: number; value: number; pointId: number }[] = [];
    let prev: PointRow | null = null;
    for (const p of points) {
      let v: number | null = p.value;
      if (isHistogram) {
        const differenced = m.temporality === CUMULATIVE && prev && p.count !== null && prev.count !== null && p.count >= prev.count;
        const dc = differenced ? p.count! - prev!.count! : p.count;
        const ds = differenced ? (p.sum ?? 0) - (prev!.sum ?? 0) : p.sum;
        v = dc && ds !== null ? ds / dc : null;
      } else if (isRate) {
        v =
          prev && p.value !== null && prev.value !== null && p.value >= prev.value && p.time_ms > prev.time_ms
            ? ((p.value - prev.value) * 1000) / (p.time_ms - prev.time_ms)
            : null;
      }
      prev = p;
      if (v !== null && Number.isFinite(v)) values.push({ timeMs: p.time_ms, value: v, pointId: p.point_id });
    }
    // The value when the trace started, what happened during it, and the first point after.
    const before = values.filter((v) => v.timeMs < startMs).at(-1);
    const during = values.filter((v) => v.timeMs >= startMs && v.timeMs <= endMs);
    const after = values.find((v) => v.timeMs > endMs);
    const kept = [...(before ? [before] : []), ...during, ...(after ? [after] : [])].slice(0, MAX_POINTS_PER_LANE);
    if (kept.length === 0) continue;
    const pointIds = kept.map((k) => k.pointId);
    const exemplars = (
      db
        .prepare(
          'SELECT time_unix_nano / 1e6 AS time_ms, coalesce(value_double, value_int) AS value, trace_id, span_id FROM exemplars WHERE trace_id IS NOT NULL AND point_id IN (SELECT value FROM json_each(?))',
        )
        .all(JSON.stringify(pointIds)) as { time_ms: number; value: number | null; trace_id: Buffer; span_id: Buffer | null }[]
    )
      .filter((e) => e.trace_id.length === 16)
      .map((e) => ({
        timeMs: e.time_ms,
        value: e.value ?? 0,
        traceId: e.trace_id.toString('hex'),
        spanId: e.span_id && e.span_id.length === 8 ? e.span_id.toString('hex') : null,
      }));
    const attributes = parseStoredObject(points[0]!.attributes) as Attributes;
    lanes.push({
      key,
      name: m.name,
      unit: isRate ? `${m.unit || '1'}/s` : m.unit,
      measure: isHistogram ? 'interval mean' : isRate ? 'rate' : 'value',
      service: res.service_name,
      host: res.host,
      attributes,
      infrastructure: INFRASTRUCTURE.test(m.name),
      points: kept.map(({ timeMs, value }) => ({ timeMs, value })),
      exemplars,
    });
  }
  return lanes
    .sort((a, b) => Number(b.infrastructure) - Number(a.infrastructure) || a.name.localeCompare(b.name) || a.key.localeCompare(b.key))
    .slice(0, MAX_LANES);
}
