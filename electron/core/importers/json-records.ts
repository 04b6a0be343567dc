/**
 * One parsed JSON value from an archive → decoded batches: OTLP export requests (traces,
 * metrics or logs, or a bare `{"resourceSpans":…}`), Jaeger and Zipkin, told apart by their
 * content.
 */
import { decodeJsonValue } from '../otlp/decode-json.js';
import type { DecodedBatch } from '../otlp/model.js';
import { PayloadError } from '../otlp/payload-error.js';
import { isJaeger, jaegerToOtlp } from './jaeger-to-otlp.js';
import { isZipkin, zipkinToOtlp } from './zipkin-to-otlp.js';

export type JsonRecordKind = 'otlp-traces' | 'otlp-metrics' | 'otlp-logs' | 'jaeger' | 'zipkin';

export function classifyJson(v: unknown): JsonRecordKind | null {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if ('resourceSpans' in o || 'resource_spans' in o) return 'otlp-traces';
    if ('resourceMetrics' in o || 'resource_metrics' in o) return 'otlp-metrics';
    if ('resourceLogs' in o || 'resource_logs' in o) return 'otlp-logs';
  }
  if (isJaeger(v)) return 'jaeger';
  if (isZipkin(v)) return 'zipkin';
  return null;
}

export function jsonRecordToBatch(v: unknown): { kind: JsonRecordKind; batch: DecodedBatch } {
  const kind = classifyJson(v);
  switch (kind) {
    case 'otlp-traces':
      return { kind, batch: decodeJsonValue('traces', v) };
    case 'otlp-metrics':
      return { kind, batch: decodeJsonValue('metrics', v) };
    case 'otlp-logs':
      return { kind, batch: decodeJsonValue('logs', v) };
    case 'jaeger':
      return { kind, batch: decodeJsonValue('traces', jaegerToOtlp(v)) };
    case 'zipkin':
      return { kind, batch: decodeJsonValue('traces', zipkinToOtlp(v)) };
    default:
      throw new PayloadError('not OTLP JSON (resourceSpans, resourceMetrics or resourceLogs), Jaeger JSON or Zipkin v2 JSON');
  }
}
