/**
 * Keeps the ML lens's derived tables (predictions, actuals, trace_factors) in step with the
 * spans and logs the store's batch writer commits, inside the same transaction (the ingest
 * writer hands it to the batch writer as its RowIndexer). The attribute
 * mapping lives in the store's settings, so a change made in Settings reaches the running
 * writer at its next transaction.
 */
import type { Db } from '../store/db.js';
import type { RowIndexer } from '../store/batch-writer.js';
import type { DecodedBatch, LogRecordRow, ResourceRecord, SpanRecord } from '../otlp/model.js';
import { mergeMapping, type MlAttributeMapping } from '../../../shared/model/ml-mapping.js';
import { extractActual, mappingPrefilter } from './extract-prediction.js';
import { loadUserMapping, ML_MAPPING_KEY } from './mapping-settings.js';
import { evaluationOf } from './genai-signals.js';
import { EVALUATION_EVENT } from '../../../shared/model/genai.js';
import { EVALUATION_HINT, parseObject, spanFacts, type SpanFacts } from './span-facts.js';
import { PredictionPacker } from './pack-predictions.js';

export class MlIndexWriter implements RowIndexer {
  private mapping: MlAttributeMapping;
  private prefilter: RegExp;
  private mappingText: string | undefined;
  private readonly factorIds = new Map<string, number>();
  /** Observations per trace in the current batch: factor id, value, factor id, value… */
  private readonly pendingFactors = new Map<number, number[]>();
  private readonly hosts = new Map<string, string | null>();
  private readonly packer: PredictionPacker;
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.packer = new PredictionPacker(db);
    this.stmt = {
      readMapping: db.prepare('SELECT value FROM settings WHERE key = ?').pluck(),
      insertPrediction: db.prepare(
        `INSERT INTO predictions(dataset_id, trace_seq, span_id, time_unix_nano, duration_ns, service_name, host, model_name, model_version,
           score, label, confidence, prediction_id, features, quality, operation, finish_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertEvaluation: db.prepare('INSERT INTO evaluations(dataset_id, span_id, time_unix_nano, name, score, label) VALUES (?, ?, ?, ?, ?, ?)'),
      insertRetrieval: db.prepare('INSERT INTO retrievals(dataset_id, trace_seq, time_unix_nano, duration_ns, documents) VALUES (?, ?, ?, ?, ?)'),
      insertActual: db.prepare('INSERT INTO actuals(dataset_id, prediction_id, time_unix_nano, label, score) VALUES (?, ?, ?, ?, ?)'),
      findFactor: db.prepare('SELECT id FROM factors WHERE kind = ? AND name = ? AND unit = ?').pluck(),
      insertFactor: db.prepare('INSERT INTO factors(kind, name, unit) VALUES (?, ?, ?)'),
      insertTraceFactors: db.prepare('INSERT INTO trace_factors(trace_seq, observations) VALUES (?, ?)'),
    };
    this.mapping = mergeMapping({});
    this.prefilter = mappingPrefilter(this.mapping);
    this.refreshMapping();
  }

  /** Re-reads the user mapping when it changed (one indexed lookup per transaction). */
  refreshMapping(): void {
    const text = this.stmt.readMapping.get(ML_MAPPING_KEY) as string | undefined;
    if (text === this.mappingText) return;
    this.mappingText = text;
    this.mapping = mergeMapping(loadUserMapping(text));
    this.prefilter = mappingPrefilter(this.mapping);
  }

  private hostOf(resource: ResourceRecord): string | null {
    let host = this.hosts.get(resource.attributesJson);
    if (host === undefined) {
      const attrs = parseObject(resource.attributesJson);
      const h = attrs['host.name'] ?? attrs['k8s.node.name'] ?? attrs['host.id'];
      host = typeof h === 'string' ? h : null;
      if (this.hosts.size > 10_000) this.hosts.clear();
      this.hosts.set(resource.attributesJson, host);
    }
    return host;
  }

  private factorId(kind: string, name: string, unit: string): number {
    const key = `${kind}\u0000${name}\u0000${unit}`;
    let id = this.factorIds.get(key);
    if (id === undefined) {
      id = (this.stmt.findFactor.get(kind, name, unit) as number | undefined) ?? Number(this.stmt.insertFactor.run(kind, name, unit).lastInsertRowid);
      this.factorIds.set(key, id);
    }
    return id;
  }

  /**
   * The facts the decode worker worked out for `batch`'s spans, when they hold under this
   * writer's mapping (see BatchSpanFacts); undefined when the spans must be read here.
   */
  precomputed(batch: DecodedBatch): (SpanFacts | null)[] | undefined {
    const made = batch.spanFacts;
    if (!made || made.mapping !== (this.mappingText ?? null)) return undefined;
    let facts: unknown;
    try {
      facts = JSON.parse(made.json);
    } catch {
      return undefined;
    }
    // Made by this program's decode worker; a count that does not match the spans is not used.
    const spans = batch.spans.reduce((n, g) => n + g.spans.length, 0);
    return Array.isArray(facts) && facts.length === spans ? (facts as (SpanFacts | null)[]) : undefined;
  }

  /** Called for each newly stored span, with its facts when they were worked out already (precomputed). */
  onSpan(datasetId: number, traceSeq: number, span: SpanRecord, resource: ResourceRecord, known?: SpanFacts | null): void {
    const facts = known === undefined ? spanFacts(span, this.mapping, this.prefilter) : known;
    if (!facts) return;
    const p = facts.prediction;
    if (p) {
      const durationNs = span.endTimeUnixNano - span.startTimeUnixNano;
      const host = this.hostOf(resource);
      const inserted = this.stmt.insertPrediction.run(
        datasetId,
        traceSeq,
        span.spanId,
        span.startTimeUnixNano,
        durationNs,
        resource.serviceName,
        host,
        p.modelName,
        p.modelVersion,
        p.score,
        p.label,
        p.confidence,
        p.predictionId,
        p.features ? JSON.stringify(p.features) : null,
        p.quality,
        p.operation,
        p.finishReason,
      );
      this.packer.noteInsert(datasetId, p.modelName, {
        id: Number(inserted.lastInsertRowid),
        timeMs: Number(span.startTimeUnixNano / 1_000_000n),
        timeRemNs: Number(span.startTimeUnixNano % 1_000_000n),
        traceSeq,
        version: p.modelVersion,
        score: p.score,
        label: p.label,
        confidence: p.confidence,
        host,
        service: resource.serviceName,
        features: p.features,
        genAi: p.quality !== null,
      });
    }
    const a = facts.actual;
    if (a) this.stmt.insertActual.run(datasetId, a.predictionId, span.endTimeUnixNano, a.label, a.score);
    if (facts.documents !== undefined) {
      this.stmt.insertRetrieval.run(datasetId, traceSeq, span.startTimeUnixNano, span.endTimeUnixNano - span.startTimeUnixNano, facts.documents);
    }
    for (const e of facts.evaluations ?? []) this.stmt.insertEvaluation.run(datasetId, span.spanId, span.endTimeUnixNano, e.name, e.score, e.label);
    if (facts.factors) {
      let list = this.pendingFactors.get(traceSeq);
      if (!list) this.pendingFactors.set(traceSeq, (list = []));
      for (const f of facts.factors) list.push(this.factorId(f.kind, f.name, f.unit), f.value);
    }
  }

  /** Writes the batch's factor observations, one row per trace, and the prediction blocks now due; call before the transaction commits. */
  flush(): void {
    for (const [traceSeq, list] of this.pendingFactors) {
      this.stmt.insertTraceFactors.run(traceSeq, Buffer.from(Float64Array.from(list).buffer));
    }
    this.pendingFactors.clear();
    this.packer.packDue();
  }

  /** Called for each stored log record: ground truth often arrives as a log, later. */
  onLog(datasetId: number, log: LogRecordRow): void {
    // An evaluation result is about the span it is parented to.
    if (log.spanId && (log.eventName === EVALUATION_EVENT || log.attributesJson.includes(EVALUATION_HINT))) {
      const e = evaluationOf(parseObject(log.attributesJson));
      if (e) this.stmt.insertEvaluation.run(datasetId, log.spanId, log.timeUnixNano || log.observedTimeUnixNano, e.name, e.score, e.label);
    }
    if (!this.prefilter.test(log.attributesJson)) return;
    const a = extractActual(parseObject(log.attributesJson), this.mapping);
    if (a) this.stmt.insertActual.run(datasetId, a.predictionId, log.timeUnixNano || log.observedTimeUnixNano, a.label, a.score);
  }

  clearCaches(): void {
    this.pendingFactors.clear();
    this.factorIds.clear();
    this.hosts.clear();
    this.packer.clear();
  }
}
