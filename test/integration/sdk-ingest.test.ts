/**
 * The official OpenTelemetry JS SDK sends traces, metrics and logs to a running
 * `sightline serve` over OTLP/HTTP protobuf, OTLP/HTTP JSON and OTLP/gRPC (gzip where the
 * exporter offers it); everything must be stored with IDs, attributes, events, links and
 * resource intact.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { cliJson, startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import type { OtlpJsonTraces } from '../../electron/core/store/otlp-trace-export.js';
import type { StoreStats, TraceSummary } from '../../shared/model/telemetry.js';

let serve: ServeProcess;
let dbPath: string;

before(async () => {
  dbPath = path.join(tempDir(), 'sdk.db');
  serve = await startServe(dbPath);
});
after(async () => serve.stop());

type Protocol = 'http/protobuf' | 'http/json' | 'grpc';
const PROTOCOLS: Protocol[] = ['http/protobuf', 'http/json', 'grpc'];

function traceExporter(p: Protocol): SpanExporter {
  const http = `http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`;
  if (p === 'http/protobuf') return new ProtoTraceExporter({ url: http, compression: 'gzip' as never });
  if (p === 'http/json') return new JsonTraceExporter({ url: http });
  return new GrpcTraceExporter({ url: `http://127.0.0.1:${serve.ports.otlpGrpc}`, compression: 'gzip' as never });
}
function metricExporter(p: Protocol): PushMetricExporter {
  const http = `http://127.0.0.1:${serve.ports.otlpHttp}/v1/metrics`;
  const temporalityPreference = AggregationTemporality.CUMULATIVE;
  if (p === 'http/protobuf') return new ProtoMetricExporter({ url: http, temporalityPreference });
  if (p === 'http/json') return new JsonMetricExporter({ url: http, temporalityPreference });
  return new GrpcMetricExporter({ url: `http://127.0.0.1:${serve.ports.otlpGrpc}`, temporalityPreference });
}
function logExporter(p: Protocol): LogRecordExporter {
  const http = `http://127.0.0.1:${serve.ports.otlpHttp}/v1/logs`;
  if (p === 'http/protobuf') return new ProtoLogExporter({ url: http });
  if (p === 'http/json') return new JsonLogExporter({ url: http });
  return new GrpcLogExporter({ url: `http://127.0.0.1:${serve.ports.otlpGrpc}` });
}

const serviceOf = (p: Protocol): string => `ranker-${p.replace(/\W/g, '-')}`;

for (const protocol of PROTOCOLS) {
  test(`traces over ${protocol} are stored intact`, async () => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': serviceOf(protocol), 'host.name': 'gpu-node-3', 'ml.model.name': 'ranker' }),
      spanProcessors: [new SimpleSpanProcessor(traceExporter(protocol))],
    });
    const tracer = provider.getTracer('inference', '1.4.0');
    const root = tracer.startSpan('POST /predict', {
      kind: SpanKind.SERVER,
      attributes: { 'ml.model.version': 'v2', 'ml.prediction.score': 0.8125, 'http.status_code': 200, cached: false },
    });
    const ctx = trace.setSpan(context.active(), root);
    const read = tracer.startSpan(
      's3 GetObject features',
      { kind: SpanKind.CLIENT, attributes: { 'rpc.service': 'S3', 'aws.s3.bucket': 'features', storage_latency_ms: 1890 } },
      ctx,
    );
    read.addEvent('read.timeout', { 'timeout.ms': 500 });
    read.setStatus({ code: SpanStatusCode.ERROR, message: 'deadline exceeded' });
    read.end();
    const infer = tracer.startSpan(
      'gpu.infer',
      {
        kind: SpanKind.INTERNAL,
        attributes: { 'gpu.utilization': 0.97 },
        links: [{ context: read.spanContext(), attributes: { reason: 'default features' } }],
      },
      ctx,
    );
    infer.end();
    root.end();
    await provider.forceFlush();
    await provider.shutdown();

    const traceId = root.spanContext().traceId;
    const exported = await cliJson<OtlpJsonTraces>(['trace', '--db', dbPath, traceId, '--json']);
    const rs = exported.resourceSpans[0]!;
    const resourceAttrs = Object.fromEntries(rs.resource.attributes.map((a) => [a.key, a.value]));
    assert.deepEqual(resourceAttrs['service.name'], { stringValue: serviceOf(protocol) });
    assert.deepEqual(resourceAttrs['host.name'], { stringValue: 'gpu-node-3' });
    assert.equal(rs.scopeSpans[0]!.scope.name, 'inference');
    assert.equal(rs.scopeSpans[0]!.scope.version, '1.4.0');
    const spans = new Map(rs.scopeSpans.flatMap((s) => s.spans).map((s) => [s.name, s]));
    assert.equal(spans.size, 3);
    const r = spans.get('POST /predict')!;
    const s3 = spans.get('s3 GetObject features')!;
    const gpu = spans.get('gpu.infer')!;
    assert.equal(r.traceId, traceId);
    assert.equal(r.spanId, root.spanContext().spanId);
    assert.equal(r.parentSpanId, undefined);
    assert.equal(s3.parentSpanId, r.spanId);
    assert.equal(r.kind, 2);
    assert.equal(s3.kind, 3);
    assert.deepEqual(r.attributes, [
      { key: 'ml.model.version', value: { stringValue: 'v2' } },
      { key: 'ml.prediction.score', value: { doubleValue: 0.8125 } },
      { key: 'http.status_code', value: { intValue: '200' } },
      { key: 'cached', value: { boolValue: false } },
    ]);
    assert.deepEqual(s3.status, { code: 2, message: 'deadline exceeded' });
    assert.equal(s3.events.length, 1);
    assert.equal(s3.events[0]!['name'], 'read.timeout');
    assert.deepEqual(s3.events[0]!['attributes'], [{ key: 'timeout.ms', value: { intValue: '500' } }]);
    assert.equal(gpu.links[0]!['spanId'], s3.spanId);
    assert.equal(gpu.links[0]!['traceId'], traceId);
    assert.deepEqual(gpu.links[0]!['attributes'], [{ key: 'reason', value: { stringValue: 'default features' } }]);
    const [sec, nanos] = (read as unknown as { startTime: [number, number] }).startTime;
    assert.equal(s3.startTimeUnixNano, (BigInt(sec) * 1_000_000_000n + BigInt(nanos)).toString());

    const list = await cliJson<TraceSummary[]>(['traces', '--db', dbPath, '--service', serviceOf(protocol), '--json']);
    assert.equal(list.length, 1);
    assert.equal(list[0]!.spanCount, 3);
    assert.equal(list[0]!.errorCount, 1);
    assert.equal(list[0]!.rootSpanName, 'POST /predict');
  });

  test(`metrics over ${protocol} are stored: gauge, counter, histogram`, async () => {
    const exporter = metricExporter(protocol);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': serviceOf(protocol) }), readers: [reader] });
    const meter = provider.getMeter('gpu-metrics');
    meter.createObservableGauge('hw.gpu.utilization', { unit: '1' }).addCallback((r) => r.observe(0.93, { 'hw.id': 'gpu0' }));
    meter.createCounter('requests', { description: 'served' }).add(7, { route: '/predict' });
    const h = meter.createHistogram('storage.read.duration', { unit: 'ms' });
    for (const v of [12, 24, 1900]) h.record(v, { bucket: 'features' });
    await provider.forceFlush();
    await provider.shutdown();

    const db = new Database(dbPath, { readonly: true });
    const rows = db
      .prepare(
        `SELECT m.name, m.type, m.unit, p.value_double, p.value_int, p.count, p.sum, p.attributes, p.buckets
         FROM metric_points p JOIN metrics m ON m.id = p.metric_id JOIN resources r ON r.id = p.resource_id
         WHERE r.service_name = ? ORDER BY m.name`,
      )
      .all(serviceOf(protocol)) as {
      name: string;
      type: number;
      unit: string;
      value_double: number | null;
      value_int: number | null;
      count: number | null;
      sum: number | null;
      attributes: string;
      buckets: string | null;
    }[];
    db.close();
    const byName = new Map(rows.map((r) => [r.name, r]));
    assert.equal(byName.get('hw.gpu.utilization')!.type, 1);
    assert.equal(byName.get('hw.gpu.utilization')!.value_double, 0.93);
    assert.equal(byName.get('hw.gpu.utilization')!.attributes, '{"hw.id":"gpu0"}');
    assert.equal(byName.get('requests')!.type, 2);
    assert.equal(Number(byName.get('requests')!.value_int ?? byName.get('requests')!.value_double), 7);
    const hist = byName.get('storage.read.duration')!;
    assert.equal(hist.type, 3);
    assert.equal(hist.unit, 'ms');
    assert.equal(hist.count, 3);
    assert.equal(hist.sum, 1936);
    const buckets = JSON.parse(hist.buckets!) as { bucketCounts: number[]; explicitBounds: number[] };
    assert.equal(
      buckets.bucketCounts.reduce((a, b) => a + b, 0),
      3,
    );
    assert.ok(buckets.explicitBounds.length > 0);
  });

  test(`logs over ${protocol} are stored with their trace context`, async () => {
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': serviceOf(protocol) }),
      processors: [new SimpleLogRecordProcessor({ exporter: logExporter(protocol) })],
    });
    const logger = provider.getLogger('app-log');
    const tracer = new BasicTracerProvider().getTracer('t');
    const span = tracer.startSpan('with-log');
    logger.emit({
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: 'feature read fell back to defaults',
      attributes: { 'feature.count': 12 },
      context: trace.setSpan(context.active(), span),
    });
    span.end();
    await provider.forceFlush();
    await provider.shutdown();
    const db = new Database(dbPath, { readonly: true });
    const row = db
      .prepare(
        `SELECT l.severity_number, l.severity_text, l.body, l.attributes, hex(l.trace_id) AS trace_id, hex(l.span_id) AS span_id
         FROM log_records l JOIN resources r ON r.id = l.resource_id WHERE r.service_name = ?`,
      )
      .get(serviceOf(protocol)) as { severity_number: number; severity_text: string; body: string; attributes: string; trace_id: string; span_id: string };
    db.close();
    assert.equal(row.severity_number, SeverityNumber.WARN);
    assert.equal(row.severity_text, 'WARN');
    assert.equal(row.body, '"feature read fell back to defaults"');
    assert.equal(row.attributes, '{"feature.count":12}');
    assert.equal(row.trace_id.toLowerCase(), span.spanContext().traceId);
    assert.equal(row.span_id.toLowerCase(), span.spanContext().spanId);
  });
}

test('stats count everything that arrived', async () => {
  const stats = await cliJson<StoreStats>(['stats', '--db', dbPath, '--json']);
  assert.equal(stats.traces, 3);
  assert.equal(stats.spans, 9);
  assert.ok(stats.metricPoints >= 9, `metric points: ${stats.metricPoints}`);
  assert.equal(stats.logRecords, 3);
  for (const p of PROTOCOLS) assert.ok(stats.services.includes(serviceOf(p)));
});
