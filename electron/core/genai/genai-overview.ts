/**
 * The GenAI view's numbers (issue #17): per model and operation, the calls' rate, latency,
 * time to first token, generation speed, token usage, finish reasons, evaluation scores and
 * the retrievals of their requests, overall and per time bucket, with exemplar traces. Read
 * from the predictions the ML index keeps for language model calls (ml/genai-signals.ts) and
 * the evaluations and retrievals stored beside them; computed in one pass over the calls.
 */
import type { Db } from '../store/open-store.js';
import { predictionScope } from '../analysis/model-data.js';
import { joinSql, sql, type SqlText } from '../store/sql-text.js';
import type { GenAiExemplar, GenAiGroup, GenAiOverview, Percentiles } from '../../../shared/model/genai.js';
import { GENERATION_OPERATIONS, REFUSAL_REASONS, TRUNCATION_REASONS } from '../../../shared/model/genai.js';

export interface GenAiScope {
  datasetId?: number;
  model?: string;
  fromMs?: number;
  toMs?: number;
  /** Buckets across the range for the series (default 60). */
  buckets?: number;
}

/** Calls read at most (the newest); beyond it the view says how many were left out. */
const MAX_CALLS = 500_000;
/** A call that answers (not an embedding of the question): the request's retrievals were its context. Binds the generation operations as JSON. */
const ANSWERS = sql`(p.finish_reason IS NOT NULL OR p.operation IN (SELECT value FROM json_each(?)))`;
const EXEMPLARS = 5;

type Row = [
  datasetId: number,
  datasetName: string,
  model: string,
  operation: string | null,
  service: string,
  timeMs: number,
  durationNs: number,
  features: string | null,
  quality: string | null,
  finishReason: string | null,
  traceId: string,
  documents: number | null,
  retrievalNs: number | null,
  evaluations: string | null,
];

function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: null, p95: null };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: round(at(0.5)), p95: round(at(0.95)) };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function mean(sum: number, n: number): number | null {
  return n > 0 ? round(sum / n) : null;
}

/** Keeps the `size` exemplars with the largest `rank`. */
class TopN {
  readonly items: (GenAiExemplar & { rank: number; evaluation?: string })[] = [];
  constructor(private readonly size: number) {}
  offer(item: GenAiExemplar & { rank: number; evaluation?: string }): void {
    if (this.items.length === this.size && item.rank <= this.items[this.items.length - 1]!.rank) return;
    this.items.push(item);
    this.items.sort((a, b) => b.rank - a.rank);
    if (this.items.length > this.size) this.items.pop();
  }
  list(): GenAiExemplar[] {
    return this.items.map(({ traceId, timeMs, value }) => ({ traceId, timeMs, value }));
  }
}

interface Bucket {
  calls: number;
  latencies: number[];
  ttfts: number[];
  rates: number[];
  cut: number;
  withReason: number;
  documents: number;
  withDocuments: number;
  evaluations: Map<string, { sum: number; n: number }>;
}

class GroupBuilder {
  readonly services = new Set<string>();
  calls = 0;
  readonly latencies: number[] = [];
  readonly ttfts: number[] = [];
  readonly rates: number[] = [];
  input = { total: 0, n: 0 };
  output = { total: 0, n: 0 };
  readonly reasons = new Map<string, number>();
  readonly evaluations = new Map<string, { sum: number; n: number; count: number; labels: Map<string, number> }>();
  readonly retrieval = { requests: 0, documents: 0, empty: 0, latencies: [] as number[] };
  readonly buckets: Bucket[];
  readonly slowest = new TopN(EXEMPLARS);
  readonly truncated = new TopN(EXEMPLARS);
  readonly refused = new TopN(EXEMPLARS);
  readonly lowest = new TopN(EXEMPLARS);
  readonly empty = new TopN(EXEMPLARS);

  constructor(
    readonly datasetId: number,
    readonly datasetName: string,
    readonly model: string,
    readonly operation: string,
    bucketCount: number,
  ) {
    this.buckets = Array.from({ length: bucketCount }, () => ({
      calls: 0,
      latencies: [],
      ttfts: [],
      rates: [],
      cut: 0,
      withReason: 0,
      documents: 0,
      withDocuments: 0,
      evaluations: new Map(),
    }));
  }

  add(r: Row, bucket: number): void {
    const [, , , , service, timeMs, durationNs, featuresJson, , finishReason, traceId, documents, retrievalNs, evaluationsJson] = r;
    const b = this.buckets[bucket]!;
    this.services.add(service);
    this.calls++;
    b.calls++;
    const latencyMs = durationNs / 1e6;
    this.latencies.push(latencyMs);
    b.latencies.push(latencyMs);
    this.slowest.offer({ traceId, timeMs, value: round(latencyMs), rank: latencyMs });
    const f = featuresJson ? (JSON.parse(featuresJson) as Record<string, number | string>) : {};
    const ttft = f['time_to_first_token_ms'];
    if (typeof ttft === 'number') {
      this.ttfts.push(ttft);
      b.ttfts.push(ttft);
    }
    const rate = f['output_tokens_per_s'];
    if (typeof rate === 'number') {
      this.rates.push(rate);
      b.rates.push(rate);
    }
    const input = f['input_tokens'] ?? f['prompt_tokens'] ?? f['prompt'];
    if (typeof input === 'number') this.input = { total: this.input.total + input, n: this.input.n + 1 };
    const q = r[8] ? (JSON.parse(r[8]) as Record<string, number | string>) : {};
    const output = q['response_tokens'];
    if (typeof output === 'number') this.output = { total: this.output.total + output, n: this.output.n + 1 };
    if (finishReason !== null) {
      this.reasons.set(finishReason, (this.reasons.get(finishReason) ?? 0) + 1);
      b.withReason++;
      if (TRUNCATION_REASONS.has(finishReason)) {
        b.cut++;
        this.truncated.offer({ traceId, timeMs, value: typeof output === 'number' ? output : finishReason, rank: timeMs });
      }
      if (REFUSAL_REASONS.has(finishReason)) this.refused.offer({ traceId, timeMs, value: finishReason, rank: timeMs });
    }
    if (documents !== null) {
      this.retrieval.requests++;
      this.retrieval.documents += documents;
      b.documents += documents;
      b.withDocuments++;
      if (documents === 0) {
        this.retrieval.empty++;
        this.empty.offer({ traceId, timeMs, value: 0, rank: timeMs });
      }
      if (retrievalNs !== null) this.retrieval.latencies.push(retrievalNs / 1e6);
    }
    if (evaluationsJson) {
      for (const [name, score, label] of JSON.parse(evaluationsJson) as [string, number | null, string | null][]) {
        let e = this.evaluations.get(name);
        if (!e) this.evaluations.set(name, (e = { sum: 0, n: 0, count: 0, labels: new Map() }));
        e.count++;
        if (label !== null) e.labels.set(label, (e.labels.get(label) ?? 0) + 1);
        if (score !== null) {
          e.sum += score;
          e.n++;
          let be = b.evaluations.get(name);
          if (!be) b.evaluations.set(name, (be = { sum: 0, n: 0 }));
          be.sum += score;
          be.n++;
          this.lowest.offer({ traceId, timeMs, value: score, rank: -score, evaluation: name });
        }
      }
    }
  }

  build(spanMinutes: number): GenAiGroup {
    const withReason = [...this.reasons.values()].reduce((s, n) => s + n, 0);
    const share = (set: ReadonlySet<string>): number | null =>
      withReason > 0 ? round([...this.reasons].filter(([reason]) => set.has(reason)).reduce((s, [, n]) => s + n, 0) / withReason) : null;
    const names = [...this.evaluations.keys()].sort();
    return {
      datasetId: this.datasetId,
      datasetName: this.datasetName,
      model: this.model,
      operation: this.operation,
      services: [...this.services].sort(),
      calls: this.calls,
      callsPerMinute: round(this.calls / Math.max(spanMinutes, 1 / 60)),
      latencyMs: percentiles(this.latencies),
      timeToFirstTokenMs: percentiles(this.ttfts),
      outputTokensPerSecond: percentiles(this.rates),
      inputTokens: this.input.n > 0 ? { total: this.input.total, mean: round(this.input.total / this.input.n) } : null,
      outputTokens: this.output.n > 0 ? { total: this.output.total, mean: round(this.output.total / this.output.n) } : null,
      finishReasons: [...this.reasons].map(([reason, calls]) => ({ reason, calls })).sort((a, b) => b.calls - a.calls),
      truncatedShare: share(TRUNCATION_REASONS),
      refusedShare: share(REFUSAL_REASONS),
      evaluations: names.map((name) => {
        const e = this.evaluations.get(name)!;
        return {
          name,
          count: e.count,
          mean: mean(e.sum, e.n),
          labels: [...e.labels].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count),
        };
      }),
      retrieval:
        this.retrieval.requests > 0
          ? {
              requests: this.retrieval.requests,
              documentsMean: round(this.retrieval.documents / this.retrieval.requests),
              emptyShare: round(this.retrieval.empty / this.retrieval.requests),
              latencyMs: percentiles(this.retrieval.latencies),
            }
          : null,
      series: {
        calls: this.buckets.map((b) => b.calls),
        latencyP95Ms: this.buckets.map((b) => percentiles(b.latencies).p95),
        timeToFirstTokenP95Ms: this.buckets.map((b) => percentiles(b.ttfts).p95),
        outputTokensPerSecondP50: this.buckets.map((b) => percentiles(b.rates).p50),
        truncatedShare: this.buckets.map((b) => (b.withReason > 0 ? round(b.cut / b.withReason) : null)),
        documentsMean: this.buckets.map((b) => mean(b.documents, b.withDocuments)),
        evaluations: names.map((name) => ({
          name,
          mean: this.buckets.map((b) => {
            const e = b.evaluations.get(name);
            return e ? mean(e.sum, e.n) : null;
          }),
        })),
      },
      exemplars: {
        slowest: this.slowest.list(),
        truncated: this.truncated.list(),
        refused: this.refused.list(),
        lowestEvaluation: this.lowest.items.map(({ traceId, timeMs, value, evaluation }) => ({ traceId, timeMs, value, evaluation: evaluation ?? '' })),
        emptyRetrieval: this.empty.list(),
      },
    };
  }
}

function scopeWhere(scope: GenAiScope): { sql: SqlText; params: (number | string | bigint)[] } {
  const { parts, params } = predictionScope(scope);
  // Language model calls are the predictions with quality signals (never NULL for them).
  return { sql: joinSql([sql`p.quality IS NOT NULL`, ...parts], ' AND '), params };
}

export function genAiOverview(db: Db, scope: GenAiScope): GenAiOverview {
  const where = scopeWhere(scope);
  const span = db
    .prepare(sql`SELECT min(p.time_unix_nano) / 1000000, max(p.time_unix_nano) / 1000000, count(*) FROM predictions p WHERE ${where.sql}`)
    .raw(true)
    .get(...where.params) as [number | null, number | null, number];
  const total = span[2];
  const fromMs = scope.fromMs ?? span[0] ?? 0;
  const toMs = Math.max(scope.toMs ?? (span[1] ?? fromMs) + 1, fromMs + 1);
  const bucketCount = Math.max(1, Math.min(500, Math.floor(scope.buckets ?? 60)));
  const bucketMs = Math.max(1, Math.ceil((toMs - fromMs) / bucketCount));
  if (total === 0) return { fromMs, toMs, bucketMs, groups: [], truncatedCalls: 0 };
  const rows = db
    .prepare(
      sql`SELECT p.dataset_id, d.name, p.model_name, p.operation, p.service_name, p.time_unix_nano / 1000000, p.duration_ns, p.features, p.quality, p.finish_reason,
              lower(hex(t.trace_id)),
              CASE WHEN ${ANSWERS} THEN (SELECT sum(r.documents) FROM retrievals r WHERE r.trace_seq = p.trace_seq) END,
              CASE WHEN ${ANSWERS} THEN (SELECT max(r.duration_ns) FROM retrievals r WHERE r.trace_seq = p.trace_seq) END,
              (SELECT json_group_array(json_array(e.name, e.score, e.label)) FROM evaluations e WHERE e.dataset_id = p.dataset_id AND e.span_id = p.span_id)
       FROM predictions p JOIN datasets d ON d.id = p.dataset_id JOIN traces t ON t.trace_seq = p.trace_seq
       WHERE ${where.sql} ORDER BY p.time_unix_nano DESC LIMIT ${MAX_CALLS}`,
    )
    .raw(true);
  const groups = new Map<string, GroupBuilder>();
  const generation = JSON.stringify([...GENERATION_OPERATIONS, 'llm']);
  for (const raw of rows.iterate(generation, generation, ...where.params)) {
    const r = raw as Row;
    const operation = r[3] ?? '';
    const key = `${r[0]}\u0000${r[2]}\u0000${operation}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = new GroupBuilder(r[0], r[1], r[2], operation, bucketCount)));
    const bucket = Math.min(bucketCount - 1, Math.max(0, Math.floor((r[5] - fromMs) / bucketMs)));
    // An evaluation list of an unevaluated call is "[]" from json_group_array: no evaluations.
    if (r[13] === '[]') r[13] = null;
    g.add(r, bucket);
  }
  const minutes = (toMs - fromMs) / 60_000;
  return {
    fromMs,
    toMs,
    bucketMs,
    groups: [...groups.values()].map((g) => g.build(minutes)).sort((a, b) => b.calls - a.calls || a.model.localeCompare(b.model)),
    truncatedCalls: Math.max(0, total - MAX_CALLS),
  };
}
