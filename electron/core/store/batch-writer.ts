/**
 * The one writer. It takes decoded batches and commits them in a single transaction (group
 * commit: several requests share one fsync-free WAL commit), keeping the trace summary, the
 * per-trace service index and the dataset's counts up to date in the same transaction, so a reader
 * never sees spans without their summary. A span already stored (same trace and span ID,
 * e.g. an exporter retry) is ignored.
 */
import { addAttributes, bloomColumns, emptyBloom, traceBloomsOf, type Bloom } from './attribute-bloom.js';
import { SpanIdCollisions } from './span-id-collisions.js';
import { createHash } from 'node:crypto';
import type { Db } from './open-store.js';
import type { DecodedBatch, MetricRecord, ResourceRecord, ScopeRecord, SpanRecord } from '../otlp/model.js';
import { STATUS_CODE_ERROR } from '../../../shared/model/telemetry.js';
import { MlIndexWriter } from '../ml/ml-index-writer.js';
import { StoreRedactor } from '../redaction/redaction-settings.js';

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

const TRACE_CACHE_GENERATION = 100_000;

function fingerprint(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32);
}

export class BatchWriter {
  private readonly resourceIds = new Map<string, number>();
  private readonly scopeIds = new Map<string, number>();
  private readonly metricIds = new Map<string, number>();
  /** Recently seen trace IDs (latin1 of the bytes) → trace_seq; two generations bound memory. */
  private traceSeqs = new Map<string, number>();
  private previousTraceSeqs = new Map<string, number>();
  private nextTraceSeq: number;
  private readonly stmt;
  private readonly ml: MlIndexWriter;
  private readonly collisions: SpanIdCollisions;
  private readonly redaction: StoreRedactor;

  constructor(private readonly db: Db) {
    this.ml = new MlIndexWriter(db);
    this.collisions = new SpanIdCollisions(db);
    this.redaction = new StoreRedactor(db);
    this.stmt = {
      findResource: db.prepare('SELECT id FROM resources WHERE fingerprint = ?').pluck(),
      insertResource: db.prepare('INSERT INTO resources(dataset_id, fingerprint, service_name, attributes, dropped_attributes_count, schema_url) VALUES (?, ?, ?, ?, ?, ?)'),
      findScope: db.prepare('SELECT id FROM scopes WHERE fingerprint = ?').pluck(),
      insertScope: db.prepare('INSERT INTO scopes(fingerprint, name, version, attributes, dropped_attributes_count, schema_url) VALUES (?, ?, ?, ?, ?, ?)'),
      findMetric: db.prepare('SELECT id FROM metrics WHERE fingerprint = ?').pluck(),
      insertMetric: db.prepare(
        'INSERT INTO metrics(fingerprint, name, description, unit, type, aggregation_temporality, is_monotonic, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      findTrace: db.prepare('SELECT trace_seq FROM traces WHERE trace_id = ? AND dataset_id = ?').pluck(),
      insertTrace: db.prepare(
        `INSERT INTO traces(trace_seq, dataset_id, trace_id, start_time_unix_nano, end_time_unix_nano, span_count, error_count, root_service_name, root_span_name, root_span_id,
           attr_bloom_0, attr_bloom_1, attr_bloom_2, attr_bloom_3)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      maxTraceSeq: db.prepare('SELECT coalesce(max(trace_seq), 0) FROM traces').pluck(),
      insertSpan: db.prepare(
        `INSERT OR IGNORE INTO spans(trace_seq, trace_id, span_id, parent_span_id, resource_id, scope_id, name, kind,
           start_time_unix_nano, end_time_unix_nano, status_code, status_message, trace_state, flags,
           attributes, dropped_attributes_count, events, dropped_events_count, links, dropped_links_count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateTrace: db.prepare(
        `UPDATE traces SET
           start_time_unix_nano = min(start_time_unix_nano, ?),
           end_time_unix_nano = max(end_time_unix_nano, ?),
           span_count = span_count + ?,
           error_count = error_count + ?,
           root_service_name = coalesce(?, root_service_name),
           root_span_name = coalesce(?, root_span_name),
           root_span_id = coalesce(?, root_span_id),
           attr_bloom_0 = attr_bloom_0 | ?, attr_bloom_1 = attr_bloom_1 | ?, attr_bloom_2 = attr_bloom_2 | ?, attr_bloom_3 = attr_bloom_3 | ?
         WHERE trace_seq = ?`,
      ),
      insertTraceService: db.prepare('INSERT OR IGNORE INTO trace_services(service_name, trace_seq) VALUES (?, ?)'),
      insertPoint: db.prepare(
        `INSERT INTO metric_points(metric_id, resource_id, scope_id, start_time_unix_nano, time_unix_nano, attributes, flags,
           value_double, value_int, count, sum, min, max, buckets)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertExemplar: db.prepare(
        'INSERT INTO exemplars(point_id, time_unix_nano, value_double, value_int, trace_id, span_id, filtered_attributes) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      insertLog: db.prepare(
        `INSERT INTO log_records(resource_id, scope_id, time_unix_nano, observed_time_unix_nano, severity_number, severity_text,
           body, attributes, dropped_attributes_count, flags, trace_id, span_id, event_name)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      bumpCounters: db.prepare('UPDATE datasets SET traces = traces + ?, spans = spans + ?, metric_points = metric_points + ?, log_records = log_records + ? WHERE id = ?'),
      datasetExists: db.prepare('SELECT 1 FROM datasets WHERE id = ?').pluck(),
    };
    this.nextTraceSeq = (this.stmt.maxTraceSeq.get() as number) + 1;
  }

  /** Commits all batches into dataset `datasetId` in one transaction and returns what was added. */
  write(batches: DecodedBatch[], datasetId = LIVE_DATASET_ID): WriteTotals {
    try {
      return this.writeAll(batches, datasetId);
    } catch (e) {
      this.clearCaches(); // cached IDs may name rows the rollback removed
      throw e;
    }
  }

  private writeAll(batches: DecodedBatch[], datasetId: number): WriteTotals {
    // IMMEDIATE takes the write lock first, so another process writing the same file (an
    // import beside a running serve) cannot hand out the same trace_seq.
    return this.db.transaction(() => {
      this.nextTraceSeq = Math.max(this.nextTraceSeq, (this.stmt.maxTraceSeq.get() as number) + 1);
      if (!this.stmt.datasetExists.get(datasetId)) throw new Error(`dataset ${datasetId} does not exist`);
      this.ml.refreshMapping();
      // Batches come redacted from the decode worker or the import thread; this is the safety net.
      this.redaction.redactUnredacted(batches);
      const totals: WriteTotals = { spans: 0, traces: 0, metricPoints: 0, logRecords: 0, duplicateSpans: 0, renamedSpans: 0 };
      for (const batch of batches) this.writeOne(batch, datasetId, totals);
      this.redaction.flushCounts(batches);
      if (totals.spans || totals.metricPoints || totals.logRecords) this.stmt.bumpCounters.run(totals.traces, totals.spans, totals.metricPoints, totals.logRecords, datasetId);
      return totals;
    }).immediate();
  }

  private writeOne(batch: DecodedBatch, datasetId: number, totals: WriteTotals): void {
    const traces = new Map<string, TraceAgg>();
    const s = this.stmt;
    // Made by the decode worker for the receivers; imports and tests hand batches straight in.
    const blooms = batch.traceBlooms ?? traceBloomsOf(batch);
    for (const group of batch.spans) {
      const resourceId = this.resourceId(group.resource, datasetId);
      const scopeId = this.scopeId(group.scope);
      const service = group.resource.serviceName;
      for (const span of group.spans) {
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
        this.ml.onSpan(datasetId, seq, span, group.resource);
        if (!agg) {
          agg = { seq, traceId: span.traceId, isNew, start: span.startTimeUnixNano, end: span.endTimeUnixNano, count: 0, errors: 0, rootService: null, rootName: null, rootSpanId: null, services: new Set(), bloom: blooms.get(span.traceId.toString('latin1')) ?? emptyBloom() };
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
    this.ml.flush();
    for (const agg of traces.values()) {
      if (agg.isNew) {
        s.insertTrace.run(agg.seq, datasetId, agg.traceId, agg.start, agg.end, agg.count, agg.errors, agg.rootService, agg.rootName, agg.rootSpanId, ...bloomColumns(agg.bloom));
        totals.traces++;
      } else s.updateTrace.run(agg.start, agg.end, agg.count, agg.errors, agg.rootService, agg.rootName, agg.rootSpanId, ...bloomColumns(agg.bloom), agg.seq);
      for (const service of agg.services) s.insertTraceService.run(service, agg.seq);
    }
    for (const group of batch.metrics) {
      const resourceId = this.resourceId(group.resource, datasetId);
      const scopeId = this.scopeId(group.scope);
      const metricId = this.metricId(group.metric);
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
      const resourceId = this.resourceId(group.resource, datasetId);
      const scopeId = this.scopeId(group.scope);
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
        this.ml.onLog(datasetId, l);
        totals.logRecords++;
      }
    }
  }

  private insertSpan(seq: number, span: SpanRecord, resourceId: number, scopeId: number): { changes: number } {
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

  private resourceId(r: ResourceRecord, datasetId: number): number {
    const key = datasetId + '\u0000' + r.attributesJson + '\u0000' + r.droppedAttributesCount + '\u0000' + r.schemaUrl;
    let id = this.resourceIds.get(key);
    if (id === undefined) {
      const fp = fingerprint(key);
      id = (this.stmt.findResource.get(fp) as number | undefined) ?? Number(this.stmt.insertResource.run(datasetId, fp, r.serviceName, r.attributesJson, r.droppedAttributesCount, r.schemaUrl).lastInsertRowid);
      this.resourceIds.set(key, id);
    }
    return id;
  }

  private scopeId(sc: ScopeRecord): number {
    const key = sc.name + '\u0000' + sc.version + '\u0000' + sc.attributesJson + '\u0000' + sc.droppedAttributesCount + '\u0000' + sc.schemaUrl;
    let id = this.scopeIds.get(key);
    if (id === undefined) {
      const fp = fingerprint(key);
      id = (this.stmt.findScope.get(fp) as number | undefined) ?? Number(this.stmt.insertScope.run(fp, sc.name, sc.version, sc.attributesJson, sc.droppedAttributesCount, sc.schemaUrl).lastInsertRowid);
      this.scopeIds.set(key, id);
    }
    return id;
  }

  private metricId(m: MetricRecord): number {
    const key = [m.name, m.description, m.unit, m.type, m.aggregationTemporality, m.isMonotonic ? 1 : 0, m.metadataJson].join('\u0000');
    let id = this.metricIds.get(key);
    if (id === undefined) {
      const fp = fingerprint(key);
      id =
        (this.stmt.findMetric.get(fp) as number | undefined) ??
        Number(this.stmt.insertMetric.run(fp, m.name, m.description, m.unit, m.type, m.aggregationTemporality, m.isMonotonic ? 1 : 0, m.metadataJson).lastInsertRowid);
      this.metricIds.set(key, id);
    }
    return id;
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
    this.resourceIds.clear();
    this.scopeIds.clear();
    this.metricIds.clear();
    this.ml.clearCaches();
  }
}

