/**
 * One model's predictions as columns (typed arrays, sorted by time), loaded in one pass.
 * Analysis works on index subsets of these columns, so nothing is copied per window.
 */
import { joinSql, sql, type SqlText } from '../store/sql-text.js';
import type { Db } from '../store/open-store.js';

export interface NumericColumn {
  type: 'numeric';
  /** NaN where the prediction has no value. */
  values: Float64Array;
}
export interface CategoricalColumn {
  type: 'categorical';
  /** Index into categories; -1 where absent. */
  values: Int32Array;
  categories: string[];
}
export type Column = NumericColumn | CategoricalColumn;

export interface ModelData {
  datasetId: number;
  datasetName: string;
  model: string;
  n: number;
  timeMs: Float64Array;
  traceSeq: Float64Array;
  version: CategoricalColumn;
  host: CategoricalColumn;
  score: NumericColumn;
  confidence: NumericColumn;
  label: CategoricalColumn;
  features: Map<string, Column>;
}

export interface ModelKey {
  datasetId: number;
  datasetName: string;
  model: string;
}

export interface Scope {
  datasetId?: number;
  service?: string;
  model?: string;
  fromMs?: number;
  toMs?: number;
}

function whereClause(scope: Scope): { sql: SqlText; params: (string | number | bigint)[] } {
  const parts: SqlText[] = [];
  const params: (string | number | bigint)[] = [];
  if (scope.datasetId !== undefined) {
    parts.push(sql`p.dataset_id = ?`);
    params.push(scope.datasetId);
  }
  if (scope.service !== undefined) {
    parts.push(sql`p.service_name = ?`);
    params.push(scope.service);
  }
  if (scope.model !== undefined) {
    parts.push(sql`p.model_name = ?`);
    params.push(scope.model);
  }
  if (scope.fromMs !== undefined) {
    parts.push(sql`p.time_unix_nano >= ?`);
    params.push(BigInt(Math.floor(scope.fromMs)) * 1_000_000n);
  }
  if (scope.toMs !== undefined) {
    parts.push(sql`p.time_unix_nano < ?`);
    params.push(BigInt(Math.ceil(scope.toMs)) * 1_000_000n);
  }
  return { sql: parts.length ? sql`WHERE ${joinSql(parts, ' AND ')}` : sql``, params };
}

/** The (dataset, model) pairs with predictions in scope. */
export function listModels(db: Db, scope: Scope): ModelKey[] {
  const w = whereClause(scope);
  const rows = db
    .prepare(
      `SELECT DISTINCT p.dataset_id AS datasetId, d.name AS datasetName, p.model_name AS model FROM predictions p JOIN datasets d ON d.id = p.dataset_id ${w.sql} ORDER BY 2, 3`,
    )
    .all(...w.params) as ModelKey[];
  return rows;
}

class Categories {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  of(name: string | null): number {
    if (name === null) return -1;
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}

type Row = [number, number, string, number | null, string | null, number | null, string | null, string | null];

export function loadModelData(db: Db, key: ModelKey, scope: Scope): ModelData {
  const w = whereClause({ ...scope, datasetId: key.datasetId, model: key.model });
  const stmt = db
    .prepare(
      `SELECT p.time_unix_nano / 1000000, p.trace_seq, p.model_version, p.score, p.label, p.confidence, p.host, p.features
       FROM predictions p ${w.sql} ORDER BY p.time_unix_nano`,
    )
    .raw(true);
  const count =
    (db
      .prepare(`SELECT count(*) FROM predictions p ${w.sql}`)
      .pluck()
      .get(...w.params) as number) ?? 0;
  const timeMs = new Float64Array(count);
  const traceSeq = new Float64Array(count);
  const version = new Int32Array(count);
  const host = new Int32Array(count);
  const score = new Float64Array(count);
  const confidence = new Float64Array(count);
  const label = new Int32Array(count);
  const versions = new Categories();
  const hosts = new Categories();
  const labels = new Categories();
  const numericFeatures = new Map<string, Float64Array>();
  const categoricalFeatures = new Map<string, { values: Int32Array; cats: Categories }>();
  let i = 0;
  for (const raw of stmt.iterate(...w.params)) {
    if (i >= count) break; // rows committed after the count are left for the next analysis
    const r = raw as Row;
    timeMs[i] = r[0];
    traceSeq[i] = r[1];
    version[i] = versions.of(r[2]);
    score[i] = r[3] ?? NaN;
    label[i] = labels.of(r[4]);
    confidence[i] = r[5] ?? NaN;
    host[i] = hosts.of(r[6]);
    if (r[7]) {
      const f = JSON.parse(r[7]) as Record<string, number | string>;
      for (const name in f) {
        const v = f[name]!;
        if (typeof v === 'number') {
          let col = numericFeatures.get(name);
          if (!col) numericFeatures.set(name, (col = new Float64Array(count).fill(NaN)));
          col[i] = v;
        } else {
          let col = categoricalFeatures.get(name);
          if (!col) categoricalFeatures.set(name, (col = { values: new Int32Array(count).fill(-1), cats: new Categories() }));
          col.values[i] = col.cats.of(v);
        }
      }
    }
    i++;
  }
  const n = i;
  const features = new Map<string, Column>();
  for (const [name, values] of numericFeatures) features.set(name, { type: 'numeric', values: values.subarray(0, n) });
  for (const [name, c] of categoricalFeatures)
    if (!features.has(name)) features.set(name, { type: 'categorical', values: c.values.subarray(0, n), categories: c.cats.names });
  return {
    ...key,
    n,
    timeMs: timeMs.subarray(0, n),
    traceSeq: traceSeq.subarray(0, n),
    version: { type: 'categorical', values: version.subarray(0, n), categories: versions.names },
    host: { type: 'categorical', values: host.subarray(0, n), categories: hosts.names },
    score: { type: 'numeric', values: score.subarray(0, n) },
    confidence: { type: 'numeric', values: confidence.subarray(0, n) },
    label: { type: 'categorical', values: label.subarray(0, n), categories: labels.names },
    features,
  };
}
