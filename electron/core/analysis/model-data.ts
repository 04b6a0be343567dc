/**
 * One model's predictions as columns (typed arrays, sorted by time), loaded in one pass.
 * Analysis works on index subsets of these columns, so nothing is copied per window.
 */
import { joinSql, sql, type SqlText } from '../store/sql-text.js';
import type { Db } from '../store/open-store.js';
import { GENAI_QUALITY, GENERATION_OPERATIONS } from '../../../shared/model/genai.js';
import { decodePredictionBlock, type PredictionBlock } from '../ml/prediction-block-format.js';
import { Dictionary } from '../util/dictionary.js';
import { sortOrderFloat64 } from '../stats/radix-sort.js';
import { sharedFloat64 } from './shared-columns.js';

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

/**
 * The (dataset, model) pairs with predictions in scope. Each dataset's models are found by
 * seeking the model/time index from one model name to the next (a handful of probes) rather
 * than reading every prediction's entry (60–80 ms for 1M predictions); the rest of the scope
 * is one existence probe per model.
 */
export function listModels(db: Db, scope: Scope): ModelKey[] {
  const rest = predictionScope({ ...scope, datasetId: undefined, model: undefined });
  const where: SqlText[] = [sql`m.model IS NOT NULL`];
  const params: (string | number | bigint)[] = [];
  if (scope.datasetId !== undefined) {
    where.push(sql`m.dataset_id = ?`);
    params.push(scope.datasetId);
  }
  if (scope.model !== undefined) {
    where.push(sql`m.model = ?`);
    params.push(scope.model);
  }
  if (rest.parts.length) {
    where.push(sql`EXISTS (SELECT 1 FROM predictions p WHERE p.dataset_id = m.dataset_id AND p.model_name = m.model AND ${joinSql(rest.parts, ' AND ')})`);
    params.push(...rest.params);
  }
  return db
    .prepare(
      sql`WITH RECURSIVE models(dataset_id, model) AS (
          SELECT d.id, (SELECT min(model_name) FROM predictions WHERE dataset_id = d.id) FROM datasets d
          UNION ALL
          SELECT dataset_id, (SELECT min(model_name) FROM predictions WHERE dataset_id = models.dataset_id AND model_name > models.model)
          FROM models WHERE model IS NOT NULL)
        SELECT m.dataset_id AS datasetId, d.name AS datasetName, m.model AS model
        FROM models m JOIN datasets d ON d.id = m.dataset_id
        WHERE ${joinSql(where, ' AND ')} ORDER BY 2, 3`,
    )
    .all(...params) as ModelKey[];
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
  private readonly categorical = new Map<string, { values: Int32Array; cats: Dictionary }>();
  constructor(private readonly count: number) {}

  private numericColumn(name: string): Float64Array {
    let col = this.numeric.get(name);
    if (!col) this.numeric.set(name, (col = sharedFloat64(this.count).fill(NaN)));
    return col;
  }

  private categoricalColumn(name: string): { values: Int32Array; cats: Dictionary } {
    let col = this.categorical.get(name);
    if (!col) this.categorical.set(name, (col = { values: new Int32Array(this.count).fill(-1), cats: new Dictionary() }));
    return col;
  }

  set(name: string, i: number, v: number | string): void {
    if (typeof v === 'number') this.numericColumn(name)[i] = v;
    else {
      const col = this.categoricalColumn(name);
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

  /** Rows `kept` of a packed block's numeric column, the k-th to position place(from + k). */
  copyNumeric(name: string, source: Float64Array, kept: Int32Array, places: Places, from: number): void {
    let col: Float64Array | undefined;
    for (let k = 0; k < kept.length; k++) {
      const v = source[kept[k]!]!;
      if (Number.isNaN(v)) continue;
      col ??= this.numericColumn(name);
      col[places.of(from + k)] = v;
    }
  }

  /** The same for a categorical column, its dictionary mapped onto this one's. */
  copyCategorical(name: string, source: Int32Array, categories: string[], kept: Int32Array, places: Places, from: number): void {
    let col: { values: Int32Array; cats: Dictionary } | undefined;
    let remap: number[] | undefined;
    for (let k = 0; k < kept.length; k++) {
      const c = source[kept[k]!]!;
      if (c < 0) continue;
      col ??= this.categoricalColumn(name);
      remap ??= categories.map((v) => col!.cats.of(v));
      col.values[places.of(from + k)] = remap[c]!;
    }
  }

  /** The numeric columns, then the categorical ones, each in the order their first value comes (as a row-by-row fill makes them, whatever filled them). */
  columns(n: number): Map<string, Column> {
    const all: [string, Column, number][] = []; // the number: the first row with a value, categorical ones after every numeric one
    const firstOf = (values: ArrayLike<number>, missing: (v: number) => boolean): number => {
      for (let i = 0; i < n; i++) if (!missing(values[i]!)) return i;
      return n;
    };
    for (const [name, values] of this.numeric) all.push([name, { type: 'numeric', values: values.subarray(0, n) }, firstOf(values, Number.isNaN)]);
    for (const [name, c] of this.categorical)
      if (!this.numeric.has(name))
        all.push([name, { type: 'categorical', ...inFirstUseOrder(c.values.subarray(0, n), c.cats.names) }, n + 1 + firstOf(c.values, (v) => v < 0)]);
    // Ties (first values in the same row) by name: a row's key order is not kept by blocks.
    return new Map(all.sort((a, b) => a[2] - b[2] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([name, column]) => [name, column]));
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

/**
 * The model's packed blocks in scope (ml/pack-predictions.ts), and the last prediction id they
 * cover: the rows after it are read as rows. Blocks that do not overlap the time range are
 * not read.
 */
function blocksInScope(db: Db, key: ModelKey, scope: Scope): { blocks: PredictionBlock[]; packedEnd: number; packedRows: number } {
  const [lastId, rows] = db
    .prepare('SELECT max(last_id), sum(rows) FROM prediction_blocks WHERE dataset_id = ? AND model_name = ?')
    .raw(true)
    .get(key.datasetId, key.model) as [number | null, number | null];
  const packedEnd = lastId ?? 0;
  const packedRows = rows ?? 0;
  if (packedEnd === 0) return { blocks: [], packedEnd, packedRows };
  const blobs = db
    .prepare(
      `SELECT columns FROM prediction_blocks WHERE dataset_id = ? AND model_name = ? AND max_time_unix_nano >= ? AND min_time_unix_nano < ? ORDER BY first_id`,
    )
    .pluck()
    .all(
      key.datasetId,
      key.model,
      scope.fromMs !== undefined ? BigInt(Math.floor(scope.fromMs)) * 1_000_000n : -(2n ** 63n),
      scope.toMs !== undefined ? BigInt(Math.ceil(scope.toMs)) * 1_000_000n : 2n ** 63n - 1n,
    ) as Buffer[];
  try {
    return { blocks: blobs.map(decodePredictionBlock), packedEnd, packedRows };
  } catch {
    return { blocks: [], packedEnd: 0, packedRows: 0 }; // a block this build cannot read: every prediction as a row
  }
}

/**
 * The conditions on the model's predictions read as rows: all of them in scope, or those
 * after its last block. Those are found through the model/time index, unless fewer rows of
 * any model follow the last block than the blocks hold: then by a range of ids (the index walk
 * reads every entry of the model to find the few after the blocks, twice: 0.1 s for 1M
 * predictions and 17k rows after, against 15 ms).
 */
function rowsAfterBlocks(db: Db, key: ModelKey, scope: Scope, packedEnd: number, packedRows: number): { sql: SqlText; params: (string | number | bigint)[] } {
  if (packedEnd === 0) return whereClause({ ...scope, datasetId: key.datasetId, model: key.model });
  const rest = predictionScope({ ...scope, datasetId: undefined, model: undefined });
  const following = ((db.prepare('SELECT max(id) FROM predictions').pluck().get() as number | null) ?? 0) - packedEnd;
  // A unary + keeps a column's index out of SQLite's choice.
  const own = following <= packedRows ? sql`+p.dataset_id = ? AND +p.model_name = ?` : sql`p.dataset_id = ? AND p.model_name = ?`;
  return { sql: sql`WHERE ${joinSql([own, ...rest.parts, sql`p.id > ?`], ' AND ')}`, params: [key.datasetId, key.model, ...rest.params, packedEnd] };
}

/** The rows of a block in scope (time and service; the block is the model's already). */
function keptRows(block: PredictionBlock, scope: Scope): Int32Array {
  const from = scope.fromMs !== undefined ? Math.floor(scope.fromMs) : -Infinity;
  const to = scope.toMs !== undefined ? Math.ceil(scope.toMs) : Infinity;
  const service = scope.service !== undefined ? block.service.categories.indexOf(scope.service) : null;
  if (service === -1) return new Int32Array(0);
  const kept = new Int32Array(block.rows);
  let k = 0;
  for (let r = 0; r < block.rows; r++) {
    const t = block.timeMs[r]!;
    if (t >= from && t < to && (service === null || block.service.values[r] === service)) kept[k++] = r;
  }
  return kept.subarray(0, k);
}

/** Category indexes renumbered in order of first use, as a row-by-row fill numbers them. */
function inFirstUseOrder(values: Int32Array, names: string[]): { values: Int32Array; categories: string[] } {
  const map = new Int32Array(names.length).fill(-1);
  const categories: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const c = values[i]!;
    if (c >= 0 && map[c] === -1) {
      map[c] = categories.length;
      categories.push(names[c]!);
    }
  }
  if (categories.length === names.length && map.every((m, c) => m === c)) return { values, categories };
  return { values: values.map((c) => (c < 0 ? -1 : map[c]!)), categories };
}

/**
 * Where each prediction goes, counted in reading order (the blocks' kept rows, then the rows
 * after them): its place in time order. Worked out from the times and ids alone before any
 * column is filled, so every column is written once, in place, instead of filled in reading
 * order and permuted (20 columns of a million predictions copied again, ~100 MB of fresh
 * memory a run).
 */
class Places {
  private constructor(
    readonly count: number,
    /** null: reading order is time order. */
    private readonly place: Int32Array | null,
  ) {}

  of(u: number): number {
    return this.place === null ? u : this.place[u]!;
  }

  /** Reading order is time order: no blocks, and the rows come ordered by time and id. */
  static identity(count: number): Places {
    return new Places(count, null);
  }

  static of(db: Db, blocks: PredictionBlock[], kept: Int32Array[], rows: { sql: SqlText; params: (string | number | bigint)[] }): Places {
    const tail = db
      .prepare(sql`SELECT p.time_unix_nano / 1000000, p.time_unix_nano % 1000000, p.id FROM predictions p ${rows.sql} ORDER BY p.time_unix_nano, p.id`)
      .raw(true)
      .all(...rows.params) as [number, number, number][];
    const count = kept.reduce((sum, k) => sum + k.length, 0) + tail.length;
    // Ties in time are ordered by id, as the index orders them: both are kept to order merged rows.
    const timeMs = new Float64Array(count);
    const remNs = new Int32Array(count);
    const ids = new Float64Array(count);
    let u = 0;
    blocks.forEach((b, k) => {
      for (const r of kept[k]!) {
        timeMs[u] = b.timeMs[r]!;
        remNs[u] = b.timeRemNs[r]!;
        ids[u++] = b.id[r]!;
      }
    });
    for (const [t, rem, id] of tail) {
      timeMs[u] = t;
      remNs[u] = rem;
      ids[u++] = id;
    }
    const order = timeOrder(timeMs, remNs, ids, count);
    if (!order) return new Places(count, null);
    const place = new Int32Array(count);
    for (let k = 0; k < count; k++) place[order[k]!] = k;
    return new Places(count, place);
  }
}

function loadRows(db: Db, key: ModelKey, scope: Scope): ModelData {
  const { blocks, packedEnd, packedRows } = blocksInScope(db, key, scope);
  const rows = rowsAfterBlocks(db, key, scope, packedEnd, packedRows);
  const joins = genAiJoins(db, key.datasetId);
  const stmt = db
    .prepare(
      sql`SELECT p.time_unix_nano / 1000000, p.trace_seq, p.model_version, p.score, p.label, p.confidence, p.host, p.features, p.quality,
         ${joins.documents}, ${joins.evaluations}, ${joins.servedBy}
       FROM predictions p ${rows.sql} ORDER BY p.time_unix_nano, p.id`,
    )
    .raw(true);
  const kept = blocks.map((b) => keptRows(b, scope));
  const packed = blocks.length > 0;
  const places = packed
    ? Places.of(db, blocks, kept, rows)
    : Places.identity(
        (db
          .prepare(`SELECT count(*) FROM predictions p ${rows.sql}`)
          .pluck()
          .get(...rows.params) as number) ?? 0,
      );
  const count = places.count;
  const timeMs = new Float64Array(count);
  const traceSeq = sharedFloat64(count);
  const version = new Int32Array(count);
  const host = new Int32Array(count);
  const score = sharedFloat64(count);
  const confidence = sharedFloat64(count);
  const label = new Int32Array(count);
  const versions = new Dictionary();
  const hosts = new Dictionary();
  const labels = new Dictionary();
  const features = new ColumnBuilder(count);
  const quality = new ColumnBuilder(count);
  let u = 0; // in reading order
  blocks.forEach((b, k) => {
    const rows = kept[k]!;
    const mapOf = (c: { categories: string[] }, cats: Dictionary): number[] => c.categories.map((v) => cats.of(v));
    const versionMap = mapOf(b.version, versions);
    const hostMap = mapOf(b.host, hosts);
    const labelMap = mapOf(b.label, labels);
    for (let j = 0; j < rows.length; j++) {
      const r = rows[j]!;
      const d = places.of(u + j);
      timeMs[d] = b.timeMs[r]!;
      traceSeq[d] = b.traceSeq[r]!;
      version[d] = versionMap[b.version.values[r]!] ?? -1;
      host[d] = hostMap[b.host.values[r]!] ?? -1;
      label[d] = labelMap[b.label.values[r]!] ?? -1;
      score[d] = b.score[r]!;
      confidence[d] = b.confidence[r]!;
    }
    for (const [name, values] of b.numericFeatures) features.copyNumeric(name, values, rows, places, u);
    for (const [name, c] of b.categoricalFeatures) features.copyCategorical(name, c.values, c.categories, rows, places, u);
    u += rows.length;
  });
  // The blocks' blobs (about 100 MB for a million predictions) are garbage from here: nothing
  // may keep them until the trace factors are read, or the two loads' memory adds up.
  blocks.length = 0;
  kept.length = 0;
  for (const raw of stmt.iterate(...joins.params, ...rows.params)) {
    if (u >= count) break; // rows committed after the count are left for the next analysis
    const r = raw as Row;
    const d = places.of(u);
    timeMs[d] = r[0];
    traceSeq[d] = r[1];
    version[d] = versions.of(r[2]);
    score[d] = r[3] ?? NaN;
    label[d] = labels.of(r[4]);
    confidence[d] = r[5] ?? NaN;
    host[d] = hosts.of(typeof r[11] === 'string' ? r[11] : r[6]);
    if (r[7]) features.setAll(r[7], d);
    if (r[8]) quality.setAll(r[8], d);
    if (r[9] !== null) {
      quality.set(GENAI_QUALITY.documentsRetrieved, d, r[9]);
      quality.set(GENAI_QUALITY.emptyRetrieval, d, r[9] === 0 ? 'yes' : 'no');
    }
    if (r[10] && r[10] !== '[]') setEvaluations(quality, r[10], d);
    u++;
  }
  // Every place is filled: the blocks and the rows are read in one snapshot (loadModelData), so
  // the rows are the ones counted; without blocks, a row committed since the count is left out.
  const n = u;
  if (n < count && packed) throw new Error(`read ${n} of the ${count} predictions placed in time order`);
  const categorical = (values: Int32Array, cats: Dictionary): CategoricalColumn => ({
    type: 'categorical',
    ...inFirstUseOrder(values.subarray(0, n), cats.names),
  });
  return {
    ...key,
    n,
    timeMs: timeMs.subarray(0, n),
    traceSeq: traceSeq.subarray(0, n),
    version: categorical(version, versions),
    host: categorical(host, hosts),
    score: { type: 'numeric', values: score.subarray(0, n) },
    confidence: { type: 'numeric', values: confidence.subarray(0, n) },
    label: categorical(label, labels),
    features: features.columns(n),
    quality: quality.columns(n),
  };
}

/**
 * The permutation that sorts rows by time, then id (null when they are in order already:
 * blocks arrive about in time order, each row at most a few hundred places out). By a radix
 * sort of each row's nanoseconds from the earliest (exact below 2^53 ns, 104 days), which keeps
 * the input's order among equal times; that order is by id (blocks by id, the rows after them
 * ordered by time and id), and is checked. Otherwise, or over a longer range, by a comparison
 * sort (1M rows: 0.18 s against 0.05 s).
 */
export function timeOrder(timeMs: Float64Array, remNs: Int32Array, ids: Float64Array, n: number): ArrayLike<number> | null {
  const before = (a: number, b: number): number => timeMs[a]! - timeMs[b]! || remNs[a]! - remNs[b]! || ids[a]! - ids[b]!;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = before(i - 1, i) < 0;
  if (sorted) return null;
  let earliest = Infinity;
  let latest = -Infinity;
  for (let i = 0; i < n; i++) {
    earliest = Math.min(earliest, timeMs[i]!);
    latest = Math.max(latest, timeMs[i]!);
  }
  if ((latest - earliest + 1) * 1e6 <= Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (timeMs[i]! - earliest) * 1e6 + remNs[i]!;
    const order = sortOrderFloat64(keys);
    let byId = true;
    for (let k = 1; k < n && byId; k++) byId = before(order[k - 1]!, order[k]!) < 0;
    if (byId) return order;
  }
  // Array#sort is a merge sort that runs in near-linear time on nearly sorted input.
  return Array.from({ length: n }, (_, i) => i).sort(before);
}

/** How many of a model's predictions are packed in blocks, whatever the scope (one index range): a cheap first guess at its size. */
export function packedPredictions(db: Db, key: ModelKey): number {
  return (
    (db
      .prepare('SELECT coalesce(sum(rows), 0) FROM prediction_blocks WHERE dataset_id = ? AND model_name = ?')
      .pluck()
      .get(key.datasetId, key.model) as number) ?? 0
  );
}

/** One model's predictions in scope: packed blocks and the rows after them, read in one snapshot. */
export function loadModelData(db: Db, key: ModelKey, scope: Scope): ModelData {
  return db.inTransaction ? loadRows(db, key, scope) : db.transaction(() => loadRows(db, key, scope))();
}
