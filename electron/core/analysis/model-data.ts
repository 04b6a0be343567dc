/**
 * One model's predictions as columns (typed arrays, sorted by time), loaded in one pass.
 * Analysis works on index subsets of these columns, so nothing is copied per window.
 */
import { joinSql, sql, type SqlText } from '../store/sql-text.js';
import type { Db } from '../store/open-store.js';
import { GENAI_QUALITY, GENERATION_OPERATIONS } from '../../../shared/model/genai.js';

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
  /** Where the model ran: the prediction span's host, or for a language model call served by another service, the server's. */
  host: CategoricalColumn;
  score: NumericColumn;
  confidence: NumericColumn;
  label: CategoricalColumn;
  features: Map<string, Column>;
  /** A language model call's quality signals (genai.ts): truncated, refused, response_tokens, eval.<name>, documents_retrieved… */
  quality: Map<string, Column>;
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

/** The conditions on predictions (alias `p`) that put them in scope, and their bound values. */
export function predictionScope(scope: Scope): { parts: SqlText[]; params: (string | number | bigint)[] } {
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
  return { parts, params };
}

function whereClause(scope: Scope): { sql: SqlText; params: (string | number | bigint)[] } {
  const { parts, params } = predictionScope(scope);
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

type Row = [
  number,
  number,
  string,
  number | null,
  string | null,
  number | null,
  string | null,
  string | null,
  string | null,
  number | null,
  string | null,
  string | null,
];

/** Numeric or categorical columns filled value by value, typed by their first value. */
class ColumnBuilder {
  private readonly numeric = new Map<string, Float64Array>();
  private readonly categorical = new Map<string, { values: Int32Array; cats: Categories }>();
  constructor(private readonly count: number) {}

  set(name: string, i: number, v: number | string): void {
    if (typeof v === 'number') {
      let col = this.numeric.get(name);
      if (!col) this.numeric.set(name, (col = new Float64Array(this.count).fill(NaN)));
      col[i] = v;
    } else {
      let col = this.categorical.get(name);
      if (!col) this.categorical.set(name, (col = { values: new Int32Array(this.count).fill(-1), cats: new Categories() }));
      col.values[i] = col.cats.of(v);
    }
  }

  setAll(json: string, i: number): void {
    const f = JSON.parse(json) as Record<string, number | string>;
    for (const name in f) {
      const v = f[name];
      if (typeof v === 'number' || typeof v === 'string') this.set(name, i, v);
    }
  }

  columns(n: number): Map<string, Column> {
    const out = new Map<string, Column>();
    for (const [name, values] of this.numeric) out.set(name, { type: 'numeric', values: values.subarray(0, n) });
    for (const [name, c] of this.categorical)
      if (!out.has(name)) out.set(name, { type: 'categorical', values: c.values.subarray(0, n), categories: c.cats.names });
    return out;
  }
}

/**
 * A language model call's evaluations (by its span) and its request's retrievals (by its
 * trace) are stored apart, as they arrive on other records (ml/genai-signals.ts); they are
 * joined here, and only when the dataset has any.
 */
function genAiJoins(db: Db, datasetId: number): { evaluations: SqlText; documents: SqlText; servedBy: SqlText; params: string[] } {
  const any = (table: SqlText): boolean =>
    db
      .prepare(sql`SELECT 1 FROM ${table} WHERE dataset_id = ? LIMIT 1`)
      .pluck()
      .get(datasetId) !== undefined;
  const hasRetrievals = any(sql`retrievals`);
  return {
    evaluations: any(sql`evaluations`)
      ? sql`CASE WHEN p.quality IS NOT NULL THEN (SELECT json_group_array(json_array(e.name, e.score, e.label)) FROM evaluations e WHERE e.dataset_id = p.dataset_id AND e.span_id = p.span_id) END`
      : sql`NULL`,
    documents: hasRetrievals
      ? // The answer used the documents, not the embedding of the question made before them.
        sql`CASE WHEN p.finish_reason IS NOT NULL OR p.operation IN (SELECT value FROM json_each(?)) THEN (SELECT sum(r.documents) FROM retrievals r WHERE r.trace_seq = p.trace_seq) END`
      : sql`NULL`,
    // A call to a model server ran on the server's host (its GPU, its metrics), not the caller's.
    servedBy: sql`CASE WHEN p.quality IS NOT NULL THEN (
        SELECT coalesce(json_extract(r.attributes, '$."host.name"'), json_extract(r.attributes, '$."k8s.node.name"'), json_extract(r.attributes, '$."host.id"'))
        FROM spans c JOIN resources r ON r.id = c.resource_id
        WHERE c.trace_seq = p.trace_seq AND c.parent_span_id = p.span_id AND c.kind = 2 LIMIT 1) END`,
    params: hasRetrievals ? [JSON.stringify([...GENERATION_OPERATIONS, 'llm'])] : [],
  };
}

function setEvaluations(quality: ColumnBuilder, json: string, i: number): void {
  for (const [name, score, label] of JSON.parse(json) as [string, number | null, string | null][]) {
    if (score !== null) quality.set(`eval.${name}`, i, score);
    if (label !== null) quality.set(`eval.${name}.label`, i, label);
  }
}

export function loadModelData(db: Db, key: ModelKey, scope: Scope): ModelData {
  const w = whereClause({ ...scope, datasetId: key.datasetId, model: key.model });
  const joins = genAiJoins(db, key.datasetId);
  const stmt = db
    .prepare(
      sql`SELECT p.time_unix_nano / 1000000, p.trace_seq, p.model_version, p.score, p.label, p.confidence, p.host, p.features, p.quality,
         ${joins.documents}, ${joins.evaluations}, ${joins.servedBy}
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
  const features = new ColumnBuilder(count);
  const quality = new ColumnBuilder(count);
  let i = 0;
  for (const raw of stmt.iterate(...joins.params, ...w.params)) {
    if (i >= count) break; // rows committed after the count are left for the next analysis
    const r = raw as Row;
    timeMs[i] = r[0];
    traceSeq[i] = r[1];
    version[i] = versions.of(r[2]);
    score[i] = r[3] ?? NaN;
    label[i] = labels.of(r[4]);
    confidence[i] = r[5] ?? NaN;
    host[i] = hosts.of(typeof r[11] === 'string' ? r[11] : r[6]);
    if (r[7]) features.setAll(r[7], i);
    if (r[8]) quality.setAll(r[8], i);
    if (r[9] !== null) {
      quality.set(GENAI_QUALITY.documentsRetrieved, i, r[9]);
      quality.set(GENAI_QUALITY.emptyRetrieval, i, r[9] === 0 ? 'yes' : 'no');
    }
    if (r[10] && r[10] !== '[]') setEvaluations(quality, r[10], i);
    i++;
  }
  const n = i;
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
    features: features.columns(n),
    quality: quality.columns(n),
  };
}
