/**
 * The SDK pipelines both scenario generators send through: tracer and logger providers whose
 * batch processors hold a whole chunk of requests (flushed by the generator, not by a timer),
 * and the flush and shutdown at the end.
 */
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { ScenarioSinks } from './inference-traffic.js';

const BATCH = { maxQueueSize: 100_000, maxExportBatchSize: 2000, scheduledDelayMillis: 60_000 };

export function scenarioTracerProvider(sinks: ScenarioSinks, resource: Resource): BasicTracerProvider {
  return new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(sinks.spans, BATCH)] });
}

/** A logger provider of `service`, or null when the sinks take no logs. */
export function scenarioLoggerProvider(sinks: ScenarioSinks, service: string): LoggerProvider | null {
  return sinks.logs
    ? new LoggerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        processors: [new BatchLogRecordProcessor({ exporter: sinks.logs, ...BATCH })],
      })
    : null;
}

export async function flushScenario(providers: BasicTracerProvider[], logs: LoggerProvider | null): Promise<void> {
  await Promise.all(providers.map((p) => p.forceFlush()));
  await logs?.forceFlush();
}

export async function shutdownScenario(providers: BasicTracerProvider[], logs: LoggerProvider | null): Promise<void> {
  await Promise.all(providers.map((p) => p.shutdown()));
  await logs?.shutdown();
}
