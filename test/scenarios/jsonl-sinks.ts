/**
 * SDK exporters that write OTLP JSON Lines (one export request per line, as the Collector's
 * file exporter does) instead of sending them: the scenario generator's output as an
 * archive, for the demo and the analysis benchmark. Serialised by the SDK's own serializers.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { AggregationTemporality, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ScenarioSinks } from './inference-traffic.js';

export function jsonLinesSinks(writeLine: (line: string) => void): ScenarioSinks {
  const decoder = new TextDecoder();
  const done = (cb: (r: ExportResult) => void): void => cb({ code: ExportResultCode.SUCCESS });
  const spans: SpanExporter = {
    export: (batch: ReadableSpan[], cb) => {
      writeLine(decoder.decode(JsonTraceSerializer.serializeRequest(batch)!));
      done(cb);
    },
    shutdown: async () => {},
  };
  const metrics: PushMetricExporter = {
    export: (rm: ResourceMetrics, cb) => {
      writeLine(decoder.decode(JsonMetricsSerializer.serializeRequest(rm)!));
      done(cb);
    },
    forceFlush: async () => {},
    shutdown: async () => {},
    selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
  };
  const logs: LogRecordExporter = {
    export: (batch: ReadableLogRecord[], cb) => {
      writeLine(decoder.decode(JsonLogsSerializer.serializeRequest(batch)!));
      done(cb);
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  return { spans, metrics, logs };
}
