import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { decodeProtobuf } from '../../electron/core/otlp/decode-proto.js';
import { ProtobufError } from '../../electron/core/otlp/protobuf-reader.js';

async function sdkSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'ranker', 'host.name': 'gpu-7' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('ranker-lib', '2.1.0');
  tracer.startActiveSpan(
    'predict',
    { kind: SpanKind.SERVER, attributes: { 'ml.model.version': 'v3', 'ml.prediction.score': 0.25, batch: 16, ok: true, tags: ['a', 'b'] } },
    (root) => {
      const child = tracer.startSpan('s3.GetObject', { kind: SpanKind.CLIENT, attributes: { storage_latency_ms: 812 } }, trace.setSpan(context.active(), root));
      child.addEvent('timeout', { 'retry.count': 2 });
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'read timed out' });
      child.end();
      root.addLink({ context: child.spanContext(), attributes: { why: 'test' } });
      root.end();
    },
  );
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

test('protobuf from the OpenTelemetry SDK decodes with every field intact', async () => {
  const spans = await sdkSpans();
  const body = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
  const batch = decodeProtobuf('traces', body);
  assert.equal(batch.rejected, 0);
  const group = batch.spans[0]!;
  assert.equal(group.resource.serviceName, 'ranker');
  assert.match(group.resource.attributesJson, /"host.name":"gpu-7"/);
  assert.equal(group.scope.name, 'ranker-lib');
  assert.equal(group.scope.version, '2.1.0');
  const byName = new Map(group.spans.map((s) => [s.name, s]));
  const predict = byName.get('predict')!;
  const read = byName.get('s3.GetObject')!;
  const sdkPredict = spans.find((s) => s.name === 'predict')!;
  assert.equal(predict.traceId.toString('hex'), sdkPredict.spanContext().traceId);
  assert.equal(predict.spanId.toString('hex'), sdkPredict.spanContext().spanId);
  assert.equal(predict.parentSpanId, null);
  assert.equal(read.parentSpanId!.toString('hex'), sdkPredict.spanContext().spanId);
  assert.equal(predict.kind, 2);
  assert.equal(read.kind, 3);
  assert.equal(predict.attributesJson, '{"ml.model.version":"v3","ml.prediction.score":0.25,"batch":16,"ok":true,"tags":["a","b"]}');
  assert.equal(read.statusCode, 2);
  assert.equal(read.statusMessage, 'read timed out');
  assert.match(read.eventsJson!, /"name":"timeout","attributes":\{"retry.count":2\}/);
  assert.match(predict.linksJson!, new RegExp(`"spanId":"${read.spanId.toString('hex')}".*"why":"test"`));
  const [sec, nanos] = sdkPredict.startTime;
  assert.equal(predict.startTimeUnixNano, BigInt(sec) * 1_000_000_000n + BigInt(nanos));
});

test('truncated protobuf and wrong wire types fail with the byte offset', async () => {
  const body = Buffer.from(ProtobufTraceSerializer.serializeRequest(await sdkSpans())!);
  assert.throws(
    () => decodeProtobuf('traces', body.subarray(0, body.length - 7)),
    (e: Error) => e instanceof ProtobufError && /at byte \d+/.test(e.message),
  );
  // field 1 (resource_spans) sent as fixed32 instead of length-delimited
  assert.throws(() => decodeProtobuf('traces', Buffer.from([0x0d, 1, 2, 3, 4])), /resource_spans has wire type fixed32, expected length-delimited/);
  // a span whose trace_id field is a varint
  const badSpan = Buffer.from([0x0a, 0x06, 0x12, 0x04, 0x12, 0x02, 0x08, 0x01]);
  assert.throws(() => decodeProtobuf('traces', badSpan), /trace_id has wire type varint/);
});

test('an empty protobuf body is a valid, empty request', () => {
  const batch = decodeProtobuf('traces', Buffer.alloc(0));
  assert.equal(batch.spans.length, 0);
  assert.equal(batch.rejected, 0);
});
