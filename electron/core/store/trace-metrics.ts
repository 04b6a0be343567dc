/**
 * The metric series that belong to a trace, for the lanes under its waterfall: series of the
 * trace's own resources and services, and of other services on the hosts it touched (its
 * service's other hosts come too, as context), with every point from ten minutes before the
 * trace to ten minutes after, so the lane can show what was usual around it. Each series is
 * scored for relevance (lane-relevance.ts: the host and kind of work the trace waited on, how
 * much it moved) and the lanes come best first. Exemplars come along, to jump to their trace.
 */
import { parseStoredObject } from './parse-stored.js';
import { laneValues, type LanePoint, type StoredMetric, type StoredPoint } from './metric-lane-values.js';
import { seriesKind } from './lane-kinds.js';
import { laneRelevance } from './lane-relevance.js';
import { traceTimeSpent } from './trace-time-spent.js';
import type { Db } from './db.js';
import type { Attributes, MetricLane, MetricLaneScope } from '../../../shared/model/telemetry.js';

/** How far either side of the trace points are read: what was usual, and what came after. */
const LOOKBACK_MS = 10 * 60_000;
const MAX_LANES = 40;
const MAX_POINTS_PER_LANE = 2000;
const MAX_EXEMPLARS_PER_LANE = 200;

interface PointRow extends StoredPoint {
  metric_id: number;
  resource_id: number;
  attributes: string;
}

/** The points nearest the trace when there are too many, in time order. */
function nearest(points: LanePoint[], startMs: number, endMs: number): LanePoint[] {
  if (points.length <= MAX_POINTS_PER_LANE) return points;
  const distance = (p: LanePoint): number => Math.max(0, startMs - p.timeMs, p.timeMs - endMs);
  return [...points]
    .sort((a, b) => distance(a) - distance(b))
    .slice(0, MAX_POINTS_PER_LANE)
    .sort((a, b) => a.timeMs - b.timeMs);
}

/** A lane's exemplars that point at a trace, the nearest to the trace first when there are many. */
function exemplarsOf(db: Db, pointIds: number[], midMs: number): MetricLane['exemplars'] {
  return (
    db
      .prepare(
        `SELECT time_unix_nano / 1e6 AS time_ms, coalesce(value_double, value_int) AS value, trace_id, span_id FROM exemplars
         WHERE trace_id IS NOT NULL AND point_id IN (SELECT value FROM json_each(?)) ORDER BY abs(time_unix_nano / 1e6 - ?) LIMIT ${MAX_EXEMPLARS_PER_LANE}`,
      )
      .all(JSON.stringify(pointIds), midMs) as { time_ms: number; value: number | null; trace_id: Buffer; span_id: Buffer | null }[]
  )
    .filter((e) => e.trace_id.length === 16)
    .map((e) => ({
      timeMs: e.time_ms,
      value: e.value ?? 0,
      traceId: e.trace_id.toString('hex'),
      spanId: e.span_id && e.span_id.length === 8 ? e.span_id.toString('hex') : null,
    }))
    .sort((a, b) => a.timeMs - b.timeMs);
}

export function traceMetricLanes(db: Db, traceSeq: number, datasetId: number, startMs: number, endMs: number): MetricLane[] {
  // The trace's resources, services and hosts come from an index; what the trace spent its
  // time on (every span read: seconds at 200k spans, on the core's thread while the
  // waterfall's pages wait) only once there are points to rank, which most traces lack.
  const from = BigInt(Math.floor(startMs - LOOKBACK_MS)) * 1_000_000n;
  const to = BigInt(Math.ceil(endMs + LOOKBACK_MS)) * 1_000_000n;
  if (db.prepare('SELECT 1 FROM metric_points WHERE time_unix_nano BETWEEN ? AND ? LIMIT 1').get(from, to) === undefined) return [];
  const own = traceResources(db, traceSeq);
  const resources = db
    .prepare(
      `SELECT r.id, r.service_name, json_extract(r.attributes, '$."host.name"') AS host FROM resources r
       WHERE r.dataset_id = ? AND (r.service_name IN (SELECT value FROM json_each(?)) OR json_extract(r.attributes, '$."host.name"') IN (SELECT value FROM json_each(?)))`,
    )
    .all(datasetId, JSON.stringify([...own.services]), JSON.stringify([...own.hosts])) as { id: number; service_name: string; host: unknown }[];
  if (resources.length === 0) return [];
  const byResource = new Map(
    resources.map((r) => {
      const host = typeof r.host === 'string' && r.host !== '' ? r.host : null;
      const scope: MetricLaneScope = own.resourceIds.has(r.id) ? 'resource' : host === null ? 'service' : own.hosts.has(host) ? 'host' : 'other-host';
      return [r.id, { service: r.service_name, host, scope }];
    }),
  );
  const rows = db
    .prepare(
      `SELECT p.metric_id, p.resource_id, p.attributes, p.start_time_unix_nano / 1e6 AS start_ms, p.time_unix_nano / 1e6 AS time_ms,
              coalesce(p.value_double, p.value_int) AS value, p.count, p.sum, p.id AS point_id
       FROM metric_points p WHERE p.time_unix_nano BETWEEN ? AND ? AND p.resource_id IN (SELECT value FROM json_each(?))
       ORDER BY p.time_unix_nano`,
    )
    .all(from, to, JSON.stringify([...byResource.keys()])) as PointRow[];
  if (rows.length === 0) return [];
  const spent = traceTimeSpent(db, traceSeq);
  const metrics = new Map(
    (
      db
        .prepare('SELECT id, name, unit, type, aggregation_temporality AS temporality, is_monotonic FROM metrics WHERE id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify([...new Set(rows.map((r) => r.metric_id))])) as (StoredMetric & { id: number })[]
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
  const lanes: (MetricLane & { pointIds: number[] })[] = [];
  for (const [key, points] of series) {
    const m = metrics.get(points[0]!.metric_id)!;
    const res = byResource.get(points[0]!.resource_id)!;
    const values = laneValues(m, points, startMs - LOOKBACK_MS);
    const kept = nearest(values.points, startMs, endMs);
    if (kept.length === 0) continue;
    const attributes = parseStoredObject(points[0]!.attributes) as Attributes;
    const lanePoints = kept.map(({ pointId: _pointId, ...p }) => p);
    const kind = seriesKind(m.name, attributes);
    const { relevance, why } = laneRelevance({ kind, scope: res.scope, service: res.service, host: res.host, points: lanePoints }, spent, startMs, endMs);
    lanes.push({
      key,
      name: m.name,
      unit: values.unit,
      measure: values.measure,
      service: res.service,
      host: res.host,
      attributes,
      kind,
      scope: res.scope,
      relevance,
      why,
      points: lanePoints,
      exemplars: [],
      pointIds: kept.map((k) => k.pointId),
    });
  }
  // Exemplars only for the lanes that are returned.
  return lanes
    .sort((a, b) => b.relevance - a.relevance || a.name.localeCompare(b.name) || a.key.localeCompare(b.key))
    .slice(0, MAX_LANES)
    .map(({ pointIds, ...lane }) => ({ ...lane, exemplars: exemplarsOf(db, pointIds, (startMs + endMs) / 2) }));
}

/** The resources of a trace's spans, with their services and hosts. */
function traceResources(db: Db, traceSeq: number): { resourceIds: ReadonlySet<number>; services: ReadonlySet<string>; hosts: ReadonlySet<string> } {
  const rows = db
    .prepare(
      `SELECT r.id, r.service_name, json_extract(r.attributes, '$."host.name"') AS host FROM resources r
       WHERE r.id IN (SELECT DISTINCT resource_id FROM spans WHERE trace_seq = ?)`,
    )
    .all(traceSeq) as { id: number; service_name: string; host: unknown }[];
  return {
    resourceIds: new Set(rows.map((r) => r.id)),
    services: new Set(rows.map((r) => r.service_name)),
    hosts: new Set(rows.flatMap((r) => (typeof r.host === 'string' && r.host !== '' ? [r.host] : []))),
  };
}
