/**
 * Realistic inference traces for benchmarks, made with the OpenTelemetry SDK and encoded by
 * its own OTLP protobuf serializer: 4–10 spans per trace, 10–20 attributes per span, events
 * on some spans, several services.
 */
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const CHILD_OPS = ['feature-store GET', 's3 GetObject', 'redis GET', 'gpu.infer', 'tokenize', 'postprocess', 'db SELECT', 'queue.wait', 'embedding.lookup'];

function attributes(r: () => number, n: number, prefix: string): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (let i = 0; i < n; i++) {
    const kind = i % 4;
    const key = `${prefix}.attr_${i}`;
    out[key] = kind === 0 ? `value-${Math.floor(r() * 1000)}` : kind === 1 ? Math.floor(r() * 10_000) : kind === 2 ? r() * 100 : r() > 0.5;
  }
  return out;
}

/** Returns SDK spans for `traceCount` traces. */
export async function makeSpans(traceCount: number, seed = 1): Promise<ReadableSpan[]> {
  const r = rng(seed);
  const exporter = new InMemorySpanExporter();
  const providers = ['api-gateway', 'ranker', 'feature-store'].map(
    (service) =>
      new BasicTracerProvider({
        resource: resourceFromAttributes({
          'service.name': service,
          'service.version': '1.8.2',
          'host.name': `${service}-7f9c`,
          'cloud.region': 'eu-west-1',
          'k8s.pod.name': `${service}-pod-3`,
        }),
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      }),
  );
  const tracers = providers.map((p, i) => p.getTracer(`lib-${i}`, '0.9.0'));
  for (let t = 0; t < traceCount; t++) {
    const root = tracers[0]!.startSpan('POST /v1/rank', {
      kind: SpanKind.SERVER,
      attributes: {
        ...attributes(r, 10 + Math.floor(r() * 10), 'http'),
        'ml.model.name': 'ranker',
        'ml.model.version': r() > 0.1 ? 'v3' : 'v3-lite',
        'ml.prediction.score': r(),
      },
    });
    const ctx = trace.setSpan(context.active(), root);
    const children = 3 + Math.floor(r() * 7);
    for (let c = 0; c < children; c++) {
      const tracer = tracers[1 + (c % 2)]!;
      const span = tracer.startSpan(
        CHILD_OPS[Math.floor(r() * CHILD_OPS.length)]!,
        { kind: SpanKind.CLIENT, attributes: attributes(r, 10 + Math.floor(r() * 10), 'op') },
        ctx,
      );
      if (r() < 0.3) span.addEvent('retry', { attempt: 1 + Math.floor(r() * 3), 'error.type': 'timeout' });
      if (r() < 0.05) span.setStatus({ code: SpanStatusCode.ERROR, message: 'deadline exceeded' });
      span.end();
    }
    root.end();
  }
  await Promise.all(providers.map((p) => p.forceFlush()));
  return exporter.getFinishedSpans();
}

/** Encodes spans as one ExportTraceServiceRequest (what OTLPTraceExporter sends). */
export function encodeRequest(spans: ReadableSpan[]): Buffer {
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
}

/**
 * A request body that can be replayed with fresh trace IDs: the offsets of every trace ID
 * in it are found once, and each replay overwrites their last 4 bytes with a counter.
 */
export class ReplayableBody {
  private readonly offsets: number[] = [];
  readonly spanCount: number;

  constructor(
    readonly template: Buffer,
    spans: ReadableSpan[],
  ) {
    this.spanCount = spans.length;
    const ids = new Set(spans.map((s) => s.spanContext().traceId));
    for (const id of ids) {
      const needle = Buffer.from(id, 'hex');
      for (let at = template.indexOf(needle); at >= 0; at = template.indexOf(needle, at + 1)) this.offsets.push(at + 12);
    }
  }

  /** A copy with trace IDs made unique by `counter` (a 32-bit number). */
  replay(counter: number): Buffer {
    const out = Buffer.from(this.template);
    for (const o of this.offsets) out.writeUInt32BE(counter >>> 0, o);
    return out;
  }
}
