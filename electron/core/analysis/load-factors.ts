/**
 * Infrastructure factors per prediction: from the trace_factors of its own trace (stored at
 * ingest; packed with the prediction blocks for all but the newest traces), from its host (one yes/no factor per host), and from metric series of its host
 * aligned in time (GPU clocks and temperatures, storage latency gauges and histograms: the latest point at
 * or before the prediction, within five minutes).
 */
import type { Db } from '../store/open-store.js';
import type { FactorKind } from '../../../shared/model/factor-kinds.js';
import type { ModelData } from './model-data.js';
import { decodeFactorBlock, observationPairs, type FactorBlock } from '../ml/prediction-block-format.js';
import { sharedFloat64 } from './shared-columns.js';

/**
 * How a factor meets a prediction: observed in the request's own trace ('per-request'), a
 * host's metric series matched by time ('time-matched': every request of the host at that time
 * gets the same value, so it cannot tell the host's requests apart), or where it ran ('host').
 */
export type FactorBasis = 'per-request' | 'time-matched' | 'host';

export interface FactorColumn {
  kind: FactorKind;
  factor: string;
  unit: string;
  basis: FactorBasis;
  /** One value per prediction, NaN where not observed; 'count' factors default to 0. */
  values: Float64Array;
}

const METRIC_NAME = /gpu|dcgm|storage|disk|s3|queue|feature.?store|network/i;
const METRIC_MAX_AGE_MS = 5 * 60_000;

function metricKind(name: string): FactorKind {
  if (/gpu|dcgm/i.test(name)) return 'gpu';
  if (/storage|disk|s3|feature.?store/i.test(name)) return 'storage';
  if (/queue/i.test(name)) return 'queue';
  return 'network';
}

/** A metric's UCUM unit as people write it ('ms', '°C', '%'); 'count' is kept for counts of events. */
function displayUnit(ucum: string): string {
  const known: Record<string, string> = { ms: 'ms', s: 's', us: 'µs', ns: 'ns', Cel: '°C', '%': '%', MHz: 'MHz', By: 'B', W: 'W', '1': '' };
  return known[ucum] ?? (ucum === 'count' ? 'n' : ucum);
}

/** Each observed values[r] into out[dest[r]] (dest −1: no prediction) where it is worse than what is there (NaN: nothing yet); whether any was observed. */
function worstInto(out: Float64Array, dest: Int32Array, values: Float64Array): boolean {
  let observed = false;
  for (let r = 0; r < dest.length; r++) {
    const d = dest[r]!;
    const v = values[r]!;
    if (d < 0 || Number.isNaN(v)) continue;
    observed = true;
    if (!(out[d]! >= v)) out[d] = v; // as update(): also where out[d] is NaN
  }
  return observed;
}

export function loadTraceFactors(db: Db, data: ModelData): FactorColumn[] {
  const n = data.n;
  if (n === 0) return [];
  let minSeq = Infinity;
  let maxSeq = -Infinity;
  for (let i = 0; i < n; i++) {
    const seq = data.traceSeq[i]!;
    if (seq < minSeq) minSeq = seq;
    if (seq > maxSeq) maxSeq = seq;
  }
  // trace_seq → prediction row: a dense array over the range (sequences are handed out in
  // order, so the range is about as long as the list), and a map for traces that hold more
  // than one prediction.
  const span = maxSeq - minSeq + 1;
  const firstRow = new Int32Array(span).fill(-1);
  const moreRows = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const k = data.traceSeq[i]! - minSeq;
    if (firstRow[k] === -1) firstRow[k] = i;
    else moreRows.set(k, [...(moreRows.get(k) ?? []), i]);
  }
  const defs = db.prepare('SELECT id, kind, name, unit FROM factors').all() as { id: number; kind: FactorKind; name: string; unit: string }[];
  const byId: (FactorColumn | undefined)[] = [];
  for (const d of defs)
    byId[d.id] = { kind: d.kind, factor: d.name, unit: d.unit, basis: 'per-request', values: sharedFloat64(n).fill(d.unit === 'count' ? 0 : NaN) };
  const seen = new Uint8Array(byId.length);
  const update = (col: FactorColumn, i: number, value: number): void => {
    const prev = col.values[i]!;
    if (Number.isNaN(prev) || value > prev) col.values[i] = value; // the worst observation in the trace
  };
  // First the factor observations packed with the model's prediction blocks: each block holds
  // every observation of its traces (pack-predictions.ts), so those traces are done.
  const covered = new Uint8Array(span);
  for (const blob of db
    .prepare('SELECT factors FROM prediction_blocks WHERE dataset_id = ? AND model_name = ? AND max_trace_seq >= ? AND min_trace_seq <= ?')
    .pluck()
    .iterate(data.datasetId, data.model, minSeq, maxSeq)) {
    let block: FactorBlock;
    try {
      block = decodeFactorBlock(blob as Buffer);
    } catch {
      continue; // not readable: its traces stay uncovered and are read as rows below
    }
    // Each block row's trace (as k = trace_seq − minSeq) and prediction, or -1 when it has none
    // in scope: the loop over each factor's values then reads two arrays.
    const rowOf = new Int32Array(block.rows).fill(-1);
    const dest = new Int32Array(block.rows).fill(-1);
    let shared = false;
    for (let r = 0; r < block.rows; r++) {
      const k = block.traceSeq[r]! - minSeq;
      if (k < 0 || k >= span || firstRow[k]! < 0) continue;
      rowOf[r] = k;
      dest[r] = firstRow[k]!;
      covered[k] = 1;
      if (moreRows.size && moreRows.has(k)) shared = true;
    }
    for (const [factorId, values] of block.byFactor) {
      const col = byId[factorId];
      if (!col) continue;
      if (worstInto(col.values, dest, values)) seen[factorId] = 1;
      // Traces with more than one prediction are few (none in most models): the map only then.
      if (shared)
        for (let r = 0; r < block.rows; r++) {
          const extra = rowOf[r]! >= 0 && !Number.isNaN(values[r]!) ? moreRows.get(rowOf[r]!) : undefined;
          if (extra) for (const i of extra) update(col, i, values[r]!);
        }
    }
  }
  // Then the rows of the traces no block covered (the newest, a language model's).
  let restMin = Infinity;
  let restMax = -Infinity;
  for (let i = 0; i < n; i++) {
    const seq = data.traceSeq[i]!;
    if (covered[seq - minSeq]) continue;
    if (seq < restMin) restMin = seq;
    if (seq > restMax) restMax = seq;
  }
  const stmt = db.prepare('SELECT trace_seq, observations FROM trace_factors WHERE trace_seq BETWEEN ? AND ?').raw(true);
  for (const raw of restMin <= restMax ? stmt.iterate(restMin, restMax) : []) {
    const [seq, blob] = raw as [number, Buffer];
    const k = seq - minSeq;
    const row = firstRow[k]!;
    if (row < 0 || covered[k]) continue;
    const pairs = observationPairs(blob);
    const extra = moreRows.get(k);
    for (let off = 0; off + 1 < pairs.length; off += 2) {
      const factorId = pairs[off]!;
      const col = byId[factorId];
      if (!col) continue;
      const value = pairs[off + 1]!;
      seen[factorId] = 1;
      update(col, row, value);
      if (extra) for (const i of extra) update(col, i, value);
    }
  }
  const ids: number[] = [];
  seen.forEach((s, id) => {
    if (s) ids.push(id);
  });
  return ids.map((id) => byId[id]!);
}

export function hostFactors(data: ModelData): FactorColumn[] {
  const hosts = data.host.categories;
  if (hosts.length < 2) return [];
  return hosts.map((host, h) => ({
    kind: 'other' as FactorKind,
    factor: `host ${host}`,
    unit: 'count',
    basis: 'host' as const,
    values: hostIndicator(data.host.values, h),
  }));
}

function hostIndicator(hosts: Int32Array, h: number): Float64Array {
  const out = sharedFloat64(hosts.length);
  for (let i = 0; i < hosts.length; i++) if (hosts[i] === h) out[i] = 1;
  return out;
}

/** Gauges, sums and histograms (their mean) whose names point at GPU, storage, queue or network, per host, aligned to each prediction. */
export function metricFactors(db: Db, data: ModelData): FactorColumn[] {
  if (data.n === 0 || data.host.categories.length === 0) return [];
  const t0 = BigInt(Math.floor(data.timeMs[0]! - METRIC_MAX_AGE_MS)) * 1_000_000n;
  const t1 = BigInt(Math.ceil(data.timeMs[data.n - 1]! + 1)) * 1_000_000n;
  // Gauges and sums by value; histograms (e.g. storage latency) by their mean, sum / count.
  const metrics = (
    db.prepare('SELECT id, name, unit, type, aggregation_temporality AS temporality FROM metrics WHERE type IN (1, 2, 3)').all() as {
      id: number;
      name: string;
      unit: string;
      type: number;
      temporality: number;
    }[]
  ).filter((m) => METRIC_NAME.test(m.name));
  const out: FactorColumn[] = [];
  // Points name their resource; its host is looked up once per resource, not per point.
  const pointsStmt = db
    .prepare(
      `SELECT p.resource_id, p.time_unix_nano / 1000000, coalesce(p.value_double, p.value_int), p.count, p.sum
       FROM metric_points p WHERE p.metric_id = ? AND p.time_unix_nano BETWEEN ? AND ? ORDER BY p.time_unix_nano`,
    )
    .raw(true);
  const hostStmt = db.prepare(`SELECT json_extract(attributes, '$."host.name"') FROM resources WHERE id = ?`).pluck();
  const hostOfResource = new Map<number, string | null>();
  const hostOf = (resourceId: number): string | null => {
    let host = hostOfResource.get(resourceId);
    if (host === undefined) hostOfResource.set(resourceId, (host = (hostStmt.get(resourceId) as string | null | undefined) ?? null));
    return host;
  };
  const byName = new Map<string, typeof metrics>();
  for (const m of metrics) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  for (const [name, defs] of byName) {
    const series = new Map<string, { t: number[]; v: number[] }>();
    for (const m of defs) {
      const last = new Map<string, { count: number; sum: number }>();
      for (const raw of pointsStmt.iterate(m.id, t0, t1)) {
        const [resourceId, t, value, count, sum] = raw as [number, number, number | null, number | null, number | null];
        const host = hostOf(resourceId);
        if (host === null) continue;
        let v = value;
        if (m.type === 3 && count !== null && sum !== null) {
          // A histogram's mean over its interval: cumulative points are differenced per host.
          const prev = m.temporality === 2 ? last.get(host) : undefined;
          if (m.temporality === 2) last.set(host, { count, sum });
          const dc = prev && count >= prev.count ? count - prev.count : count;
          const ds = prev && count >= prev.count ? sum - prev.sum : sum;
          v = dc > 0 ? ds / dc : null;
        }
        if (v === null) continue;
        let s = series.get(host);
        if (!s) series.set(host, (s = { t: [], v: [] }));
        s.t.push(t);
        s.v.push(v);
      }
    }
    if (series.size === 0) continue;
    // One metric's points come in time order; several of the same name are merged by time.
    for (const s of defs.length > 1 ? series.values() : []) {
      const order = s.t.map((_, i) => i).sort((a, b) => s.t[a]! - s.t[b]!);
      s.t = order.map((i) => s.t[i]!);
      s.v = order.map((i) => s.v[i]!);
    }
    const values = sharedFloat64(data.n).fill(NaN);
    let any = false;
    // Predictions come in time order, so each host's series is walked on from where its last
    // prediction left it (a binary search per prediction and metric took 0.2 s of a
    // 1M-prediction analysis).
    const byHost = data.host.categories.map((h) => series.get(h) ?? null);
    const cursor = new Int32Array(byHost.length);
    for (let i = 0; i < data.n; i++) {
      const h = data.host.values[i]!;
      if (h < 0) continue;
      const s = byHost[h];
      if (!s) continue;
      const t = data.timeMs[i]!;
      let next = cursor[h]!;
      if (next > 0 && s.t[next - 1]! > t) {
        // Time went back (a version baseline puts one version's predictions first): search.
        next = 0;
        let hi = s.t.length;
        while (next < hi) {
          const mid = (next + hi) >> 1;
          if (s.t[mid]! <= t) next = mid + 1;
          else hi = mid;
        }
      } else while (next < s.t.length && s.t[next]! <= t) next++;
      cursor[h] = next;
      const k = next - 1;
      if (k >= 0 && t - s.t[k]! <= METRIC_MAX_AGE_MS) {
        values[i] = s.v[k]!;
        any = true;
      }
    }
    if (any) out.push({ kind: metricKind(name), factor: `metric ${name}`, unit: displayUnit(defs[0]!.unit), basis: 'time-matched', values });
  }
  return out;
}
