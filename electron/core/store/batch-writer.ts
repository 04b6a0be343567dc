/**
 * The store's one writer of telemetry rows. It takes decoded batches and commits them in a
 * single transaction (group commit: several requests share one fsync-free WAL commit), keeping
 * the trace summary, the per-trace service index and the dataset's counts up to date in the
 * same transaction, so a reader never sees spans without their summary. A span already stored
 * (same trace and span ID, e.g. an exporter retry) is ignored.
 *
 * It knows rows, not redaction or ML: the layer above (ingest/ingest-writer.ts) hands it
 * WriteHooks that run inside the same transaction, so what they write (redaction counts, the
 * ML index) commits or rolls back with the data.
 */
import { addAttributes, bloomColumns, emptyBloom, traceBloomsOf, type Bloom } from './attribute-bloom.js';
import { SpanIdCollisions } from './span-id-collisions.js';
import { CatalogIds } from './catalog-ids.js';
import { SpanContentHasher } from './span-content-hasher.js';
import { ChunkSealer } from './chunk-sealer.js';
import { TraceBucketWriter } from './trace-buckets.js';
import { prepareWriteStatements, type WriteStatements } from './write-statements.js';
import type { Db } from './db.js';
import type { DecodedBatch, LogRecordRow, ResourceRecord, SpanFacts, SpanRecord } from '../otlp/model.js';
import { STATUS_CODE_ERROR } from '../../../shared/model/telemetry.js';

/** The dataset the receivers write into. */
export const LIVE_DATASET_ID = 1;

export interface WriteTotals {
  spans: number;
  traces: number;
  metricPoints: number;
  logRecords: number;
  /** Spans already in the store (duplicates), not counted in `spans`. */
  duplicateSpans: number;
  /** Distinct spans that shared a span ID with another span of their trace: kept under a new ID (span-id-collisions.ts), counted in `spans`. */
  renamedSpans: number;
}

interface TraceAgg {
  seq: number;
  traceId: Buffer;
  /** Not yet in the store: inserted (not updated) when the batch ends. */
  isNew: boolean;
  start: bigint;
  end: bigint;
  count: number;
  errors: number;
  rootService: string | null;
  rootName: string | null;
  rootSpanId: Buffer | null;
  services: Set<string>;
  /** The attribute tokens of this batch's spans of the trace (attribute-bloom.ts). */
  bloom: Bloom;
}

/**
 * Rows derived from the stored spans and log records (the ML index: ml/ml-index-writer.ts),
 * written in the writer's transaction. Called only for rows actually stored (not duplicates).
 */
export interface RowIndexer {
  /** What was worked out for each of `batch`'s spans before it came here, in span order, when it can be used. */
  precomputed?(batch: DecodedBatch): (SpanFacts | null)[] | undefined;
  /** `known`: the span's facts worked out already (precomputed), or undefined to work them out. */
  onSpan(datasetId: number, traceSeq: number, span: SpanRecord, resource: ResourceRecord, known?: SpanFacts | null): void;
  /** After each batch's spans, before its trace summaries: write what onSpan collected. */
  flush(): void;
  onLog(datasetId: number, log: LogRecordRow): void;
  /** The writer forgot its cached row IDs (retention, a rolled-back transaction). */
  clearCaches(): void;
}

/** What the layer above the store does inside each write transaction. */
export interface WriteHooks {
  /** First, before any row (e.g. redact batches nobody redacted; re-read settings). */
  beforeRows(batches: DecodedBatch[]): void;
  index: RowIndexer;
  /** Last, after every row and before the dataset counts and COMMIT (e.g. redaction counts). */
  beforeCommit(batches: DecodedBatch[]): void;
}

const TRACE_CACHE_GENERATION = 100_000;

/** A batch's summary of a trace, in the order insertTrace and updateTrace take it after their keys. */
function summaryValues(agg: TraceAgg): (bigint | number | string | Buffer | null)[] {
  return [agg.start, agg.end, agg.count, agg.errors, agg.rootService, agg.rootName, agg.rootSpanId, ...bloomColumns(agg.bloom)];
}

export class BatchWriter {
  private readonly ids: CatalogIds;
  /** Recently seen trace IDs (latin1 of the bytes) → trace_seq; two generations bound memory. */
  private traceSeqs = new Map<string, number>();
  private previousTraceSeqs = new Map<string, number>();
  private nextTraceSeq: number;
  private readonly stmt: WriteStatements;
  private readonly index: RowIndexer;
  private readonly collisions: SpanIdCollisions;
  private readonly contentHasher: SpanContentHasher;
  private readonly chunkSealer: ChunkSealer;
  private readonly buckets: TraceBucketWriter;

  constructor(
    private readonly db: Db,
    private readonly hooks: WriteHooks,
  ) {
    this.index = hooks.index;
    this.collisions = new SpanIdCollisions(db);
    this.ids = new CatalogIds(db);
    this.contentHasher = new SpanContentHasher(db);
    this.chunkSealer = new ChunkSealer(db);
    this.buckets = new TraceBucketWriter(db);
    this.stmt = prepareWriteStatements(db);
    this.nextTraceSeq = (this.stmt.maxTraceSeq.get() as number) + 1;
  }

  /** Commits all batches into dataset `datasetId` in one transaction and returns what was added. */
  write(batches: DecodedBatch[], datasetId = LIVE_DATASET_ID): WriteTotals {
    try {
      return this.writeAll(batches, datasetId);
    } catch (e) {
      this.clearCaches(); // cached IDs may name rows the rollback removed
      this.contentHasher.reset(); // and the running hashes may include them
      this.chunkSealer.reset();
      this.buckets.clear();
      throw e;
    }
  }

  private writeAll(batches: DecodedBatch[], datasetId: number): WriteTotals {
    // IMMEDIATE takes the write lock first, so another process writing the same file (an
    // import beside a running serve) cannot hand out the same trace_seq.
    return this.db
      .transaction(() => {
        this.nextTraceSeq = Math.max(this.nextTraceSeq, (this.stmt.maxTraceSeq.get() as number) + 1);
        if (!this.stmt.datasetExists.get(datasetId)) throw new Error(`dataset ${datasetId} does not exist`);
        this.hooks.beforeRows(batches);
        this.contentHasher.beginTransaction();
        this.chunkSealer.beginTransaction();
        const totals: WriteTotals = { spans: 0, traces: 0, metricPoints: 0, logRecords: 0, duplicateSpans: 0, renamedSpans: 0 };
        for (const batch of batches) this.writeOne(batch, datasetId, totals);
        this.hooks.beforeCommit(batches);
        this.chunkSealer.sealCompleted();
        if (totals.spans || totals.metricPoints || totals.logRecords)
          this.stmt.bumpCounters.run(totals.traces, totals.spans, totals.metricPoints, totals.logRecords, datasetId);
        return totals;
      })
      .immediate();
  }

  private writeOne(batch: DecodedBatch, datasetId: number, totals: WriteTotals): void {
    const traces = new Map<string, TraceAgg>();
    const s = this.stmt;
    // Made by the decode worker for the receivers; imports and tests hand batches straight in.
    const blooms = batch.traceBlooms ?? traceBloomsOf(batch);
    const facts = this.index.precomputed?.(batch);
    // The span's position in the batch (facts are in that order, duplicates included).
    let at = -1;
    for (const group of batch.spans) {
      const resourceId = this.ids.resource(group.resource, datasetId);
      const scopeId = this.ids.scope(group.scope);
      const resourceFingerprint = this.ids.resourceFingerprint(resourceId);
      const scopeFingerprint = this.ids.scopeFingerprint(scopeId);
      const service = group.resource.serviceName;
      for (const span of group.spans) {
        at++;
        const key = datasetId + ':' + span.traceId.toString('latin1');
        let agg = traces.get(key);
        let seq = agg?.seq ?? this.lookupCachedTrace(key);
        let isNew = false;
        if (seq === undefined) {
          seq = s.findTrace.get(span.traceId, datasetId) as number | undefined;
          if (seq === undefined) {
            // One writer: it hands out sequence numbers itself and inserts the row at the end.
            seq = this.nextTraceSeq++;
            isNew = true;
          }
          this.rememberTrace(key, seq);
        }
        let info = this.insertSpan(seq, span, resourceId, scopeId);
        let renamed = false;
        for (let attempt = 0; info.changes === 0 && attempt < 8 && this.collisions.renameIfDistinct(seq, span, resourceId, attempt); attempt++) {
          info = this.insertSpan(seq, span, resourceId, scopeId);
          renamed = info.changes > 0;
        }
        if (info.changes === 0) {
          totals.duplicateSpans++;
          continue;
        }
        totals.spans++;
        if (renamed) totals.renamedSpans++;
        this.contentHasher.onSpan(Number(info.lastInsertRowid), datasetId, span, resourceFingerprint, scopeFingerprint);
        // A renamed span carries its original ID as an attribute now: its facts are worked out again.
        this.index.onSpan(datasetId, seq, span, group.resource, renamed ? undefined : facts?.[at]);
        if (!agg) {
          agg = {
            seq,
            traceId: span.traceId,
            isNew,
            start: span.startTimeUnixNano,
            end: span.endTimeUnixNano,
            count: 0,
            errors: 0,
            rootService: null,
            rootName: null,
            rootSpanId: null,
            services: new Set(),
            bloom: blooms.get(span.traceId.toString('latin1')) ?? emptyBloom(),
          };
          traces.set(key, agg);
        }
        if (renamed) addAttributes(agg.bloom, span.attributesJson);
        agg.count++;
        if (span.startTimeUnixNano < agg.start) agg.start = span.startTimeUnixNano;
        if (span.endTimeUnixNano > agg.end) agg.end = span.endTimeUnixNano;
        if (span.statusCode === STATUS_CODE_ERROR) agg.errors++;
        if (span.parentSpanId === null) {
          agg.rootService = service;
          agg.rootName = span.name;
          agg.rootSpanId = span.spanId;
        }
        agg.services.add(service);
      }
    }
    this.index.flush();
    for (const agg of traces.values()) {
      if (agg.isNew) {
        s.insertTrace.run(agg.seq, datasetId, agg.traceId, ...summaryValues(agg));
        totals.traces++;
        this.buckets.note(datasetId, agg.seq, agg.start, agg.end, agg.errors, agg.services, false);
      } else {
        const now = s.updateTrace.get(...summaryValues(agg), agg.seq) as { start: bigint; end: bigint; errors: bigint };
        // This batch brought the trace's earliest span: its start, and so its bucket, may have moved.
        this.buckets.note(datasetId, agg.seq, now.start, now.end, Number(now.errors), agg.services, now.start === agg.start);
      }
      for (const service of agg.services) s.insertTraceService.run(service, agg.seq);
    }
    this.buckets.flush();
    for (const group of batch.metrics) {
      const resourceId = this.ids.resource(group.resource, datasetId);
      const scopeId = this.ids.scope(group.scope);
      const metricId = this.ids.metric(group.metric);
      for (const p of group.points) {
        const info = s.insertPoint.run(
          metricId,
          resourceId,
          scopeId,
          p.startTimeUnixNano,
          p.timeUnixNano,
          p.attributesJson,
          p.flags,
          p.valueDouble,
          p.valueInt,
          p.count,
          p.sum,
          p.min,
          p.max,
          p.bucketsJson,
        );
        for (const e of p.exemplars) {
          s.insertExemplar.run(info.lastInsertRowid, e.timeUnixNano, e.valueDouble, e.valueInt, e.traceId, e.spanId, e.filteredAttributesJson);
        }
        totals.metricPoints++;
      }
    }
    for (const group of batch.logs) {
      const resourceId = this.ids.resource(group.resource, datasetId);
      const scopeId = this.ids.scope(group.scope);
      for (const l of group.logs) {
        s.insertLog.run(
          resourceId,
          scopeId,
          l.timeUnixNano,
          l.observedTimeUnixNano,
          l.severityNumber,
          l.severityText,
          l.bodyJson,
          l.attributesJson,
          l.droppedAttributesCount,
          l.flags,
          l.traceId,
          l.spanId,
          l.eventName,
        );
        this.index.onLog(datasetId, l);
        totals.logRecords++;
      }
    }
  }

  private insertSpan(seq: number, span: SpanRecord, resourceId: number, scopeId: number): { changes: number; lastInsertRowid: number | bigint } {
    return this.stmt.insertSpan.run(
      seq,
      span.traceId,
      span.spanId,
      span.parentSpanId,
      resourceId,
      scopeId,
      span.name,
      span.kind,
      span.startTimeUnixNano,
      span.endTimeUnixNano,
      span.statusCode,
      span.statusMessage,
      span.traceState,
      span.flags,
      span.attributesJson,
      span.droppedAttributesCount,
      span.eventsJson,
      span.droppedEventsCount,
      span.linksJson,
      span.droppedLinksCount,
    );
  }

  private rememberTrace(key: string, seq: number): void {
    if (this.traceSeqs.size >= TRACE_CACHE_GENERATION) {
      this.previousTraceSeqs = this.traceSeqs;
      this.traceSeqs = new Map();
    }
    this.traceSeqs.set(key, seq);
  }

  private lookupCachedTrace(key: string): number | undefined {
    return this.traceSeqs.get(key) ?? this.previousTraceSeqs.get(key);
  }

  /** Forget cached row IDs (after retention deleted rows, or a rolled-back transaction). */
  clearCaches(): void {
    this.traceSeqs.clear();
    this.previousTraceSeqs.clear();
    this.nextTraceSeq = (this.stmt.maxTraceSeq.get() as number) + 1;
    this.ids.clear();
    this.index.clearCaches();
  }
}
