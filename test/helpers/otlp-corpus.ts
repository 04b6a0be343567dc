/**
 * Valid OTLP requests for every signal, made by the OpenTelemetry SDK and encoded by its own
 * serializers (protobuf and JSON): the seeds the fuzz suite mutates.
 */
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';

export type CorpusSignal = 'traces' | 'metrics' | 'logs';

export interface CorpusEntry {
  signal: CorpusSignal;
  protobuf: Buffer;
  json: Buffer;
}

class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const resource = resourceFromAttributes({ 'service.name': 'fuzz-seed', 'host.name': 'gpu-3', 'deployment.environment': 'test' });

async function traces(): Promise<CorpusEntry> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('fuzz', '1.0.0');
  tracer.startActiveSpan(
    'predict',
    { kind: SpanKind.SERVER, attributes: { 'ml.model.name': 'ranker', 'ml.prediction.score': 0.42, tags: ['a', 'b'], n: 7, ok: true } },
    (root) => {
      const child = tracer.startSpan(
        's3.GetObject',
        { kind: SpanKind.CLIENT, attributes: { 'db.system': 's3', storage_latency_ms: 812 } },
        trace.setSpan(context.active(), root),
      );
      child.addEvent('timeout', { 'retry.count': 2 });
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'read timed out' });
      child.end();
      root.addLink({ context: child.spanContext(), attributes: { why: 'seed' } });
      root.end();
    },
  );
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  return {
    signal: 'traces',
    protobuf: Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!),
    json: Buffer.from(JsonTraceSerializer.serializeRequest(spans)!),
  };
}

async function metrics(): Promise<CorpusEntry> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ resource, readers: [reader] });
  const meter = provider.getMeter('fuzz');
  meter.createCounter('requests').add(5, { route: '/rank' });
  meter.createHistogram('latency', { unit: 'ms' }).record(12.5, { route: '/rank' });
  meter.createGauge('gpu.utilization', { unit: '1' }).record(0.93, { 'gpu.id': '0' });
  meter.createUpDownCounter('queue.depth').add(-3);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return {
    signal: 'metrics',
    protobuf: Buffer.from(ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!),
    json: Buffer.from(JsonMetricsSerializer.serializeRequest(resourceMetrics)!),
  };
}

async function logs(): Promise<CorpusEntry> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('fuzz');
  logger.emit({ severityNumber: 17, severityText: 'ERROR', body: 'feature store read timed out', attributes: { 'retry.count': 2 } });
  logger.emit({ severityNumber: 9, body: { nested: { list: [1, 2, 3] } } });
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();
  return {
    signal: 'logs',
    protobuf: Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!),
    json: Buffer.from(JsonLogsSerializer.serializeRequest(records)!),
  };
}

export async function otlpCorpus(): Promise<CorpusEntry[]> {
  return [await traces(), await metrics(), await logs()];
}
