/**
 * Scenario generator: realistic inference traffic for a ranking model, made with the
 * OpenTelemetry JS SDK, with planted incidents. Each request is one trace:
 *
 *   POST /rank (SERVER, ranker-api on one of three GPU hosts)
 *   ├─ feature-store.read (CLIENT, rpc.service=S3): 15–40 ms; a read over 500 ms times out
 *   │                                               and the request uses default features
 *   ├─ gpu.inference (gpu.* attributes); over a 60 ms deadline the request falls back to
 *   │                the "lite" model (event model.fallback)
 *   └─ model.predict (ml.* attributes: model, version, score, label, confidence, features)
 *
 * plus DCGM gauges per host every 30 s, a cumulative histogram of feature-read latency per
 * host (from the same reads), and ground truth as log records (ml.actual.label
 * joined by ml.prediction.id) for half of the requests. Timestamps are set explicitly, so two
 * hours of traffic are generated in seconds. Scenarios:
 *  - storage-slowdown: 35% of feature reads slow during the incident → default features →
 *    scores drop. Expected cause: storage.
 *  - gpu-throttle: one host's GPU throttles → its requests fall back to the lite model.
 *    Expected cause: gpu.
 *  - rollout-no-drift: v2 takes over from v1 with the same behaviour. Expected: no finding.
 *  - drift-no-infra: a new user cohort (different features) arrives; infrastructure is fine.
 *    Expected: a finding with no cause.
 *  - quiet: nothing happens. Expected: no finding.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { ValueType } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { seededRandom } from '../../shared/stats/significance.js';
import type { FactorKind } from '../../shared/model/factor-kinds.js';

export const SCENARIOS = ['storage-slowdown', 'gpu-throttle', 'rollout-no-drift', 'drift-no-infra', 'quiet'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioOptions {
  scenario: ScenarioName;
  /** Model name (defaults to "ranker-<scenario>") and host prefix, so scenarios can share a store. */
  model?: string;
  requests?: number;
  startMs?: number;
  durationMs?: number;
  seed?: number;
}

export interface ScenarioSinks {
  spans: SpanExporter;
  metrics?: PushMetricExporter;
  logs?: LogRecordExporter;
}

export interface ScenarioTruth {
  model: string;
  startMs: number;
  endMs: number;
  /** The planted incident, or null. */
  incident: { startMs: number; endMs: number } | null;
  /** The drift the analysis should find, and its expected top cause (null: drift without infrastructure cause). */
  expectDrift: boolean;
  expectedCause: FactorKind | null;
  requests: number;
  spans: number;
}

const STORAGE_TIMEOUT_MS = 500;
const GPU_DEADLINE_MS = 60;
const CHUNK = 250;

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function exportMetrics(exporter: PushMetricExporter, rm: ResourceMetrics): Promise<void> {
  return new Promise((resolve, reject) =>
    exporter.export(rm, (result) => (result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error ?? new Error('metric export failed')))),
  );
}

export async function generateScenario(options: ScenarioOptions, sinks: ScenarioSinks): Promise<ScenarioTruth> {
  const scenario = options.scenario;
  const model = options.model ?? `ranker-${scenario}`;
  const requests = options.requests ?? 6000;
  const durationMs = options.durationMs ?? 2 * 3600_000;
  const startMs = options.startMs ?? Date.now() - durationMs - 60_000;
  const endMs = startMs + durationMs;
  const r = seededRandom(options.seed ?? 42);
  const incident = scenario === 'quiet' || scenario === 'rollout-no-drift' ? null : { startMs: startMs + durationMs * (50 / 120), endMs: startMs + durationMs * (90 / 120) };
  const hosts = [1, 2, 3].map((k) => `${model}-gpu-node-${k}`);
  const throttledHost = hosts[1]!;
  const resources = hosts.map((host) => resourceFromAttributes({ 'service.name': 'ranker-api', 'service.version': '3.2.0', 'host.name': host, 'deployment.environment': 'prod' }));
  const processors = resources.map(() => new BatchSpanProcessor(sinks.spans, { maxQueueSize: 100_000, maxExportBatchSize: 2000, scheduledDelayMillis: 60_000 }));
  const providers = resources.map((resource, i) => new BasicTracerProvider({ resource, spanProcessors: [processors[i]!] }));
  const tracers = providers.map((p) => p.getTracer('ranker-api', '3.2.0'));
  const logProvider = sinks.logs
    ? new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': 'label-collector' }), processors: [new BatchLogRecordProcessor({ exporter: sinks.logs, maxQueueSize: 100_000, maxExportBatchSize: 2000, scheduledDelayMillis: 60_000 })] })
    : null;
  const logger = logProvider?.getLogger('ground-truth');
  const inIncident = (t: number): boolean => incident !== null && t >= incident.startMs && t < incident.endMs;
  let spans = 0;
  /** Feature-read latencies per host and 30 s slot, for the latency histogram metric. */
  const readLatency = hosts.map(() => new Map<number, number[]>());

  for (let i = 0; i < requests; i++) {
    const t = startMs + (durationMs * (i + r())) / requests;
    const h = Math.floor(r() * hosts.length);
    const tracer = tracers[h]!;
    const host = hosts[h]!;
    // Inputs: a new cohort arrives in drift-no-infra (lower click-through, fresher items).
    const cohort = scenario === 'drift-no-infra' && inIncident(t) && r() < 0.6;
    let userCtr = Math.max(0, (cohort ? 0.02 : 0.08) + (cohort ? 0.01 : 0.03) * normal(r));
    let popularity = Math.min(1, Math.max(0, 0.5 + 0.2 * normal(r)));
    const recencyHours = Math.max(0.1, (cohort ? 2 : 12) * Math.exp(0.5 * normal(r)));
    const device = ['ios', 'android', 'web'][Math.floor(r() * 3)]!;

    const root = tracer.startSpan('POST /rank', { kind: SpanKind.SERVER, startTime: t, attributes: { 'http.request.method': 'POST', 'http.route': '/rank', 'http.response.status_code': 200 } });
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    let cursor = t + 1 + r() * 2;

    // Feature store read.
    const slowRead = scenario === 'storage-slowdown' && inIncident(t) && r() < 0.35;
    let readMs = 15 + 25 * r() * r();
    if (slowRead) readMs = 600 + 1900 * r();
    const read = tracer.startSpan('feature-store.read', { kind: SpanKind.CLIENT, startTime: cursor, attributes: { 'rpc.system': 'aws-api', 'rpc.service': 'S3', 'rpc.method': 'GetObject', 'aws.s3.bucket': 'ranker-features', 'aws.s3.key': `users/${i % 997}.parquet` } }, ctx);
    let defaults = false;
    if (readMs > STORAGE_TIMEOUT_MS) {
      readMs = STORAGE_TIMEOUT_MS + r() * 5;
      read.setStatus({ code: SpanStatusCode.ERROR, message: 'timeout: read exceeded 500 ms deadline' });
      read.setAttribute('error.type', 'timeout');
      defaults = true;
      userCtr = 0;
      popularity = 0.5;
    }
    read.end(cursor + readMs);
    spans++;
    const slot = Math.floor((t - startMs) / 30_000);
    const slotReads = readLatency[h]!.get(slot) ?? [];
    slotReads.push(readMs);
    readLatency[h]!.set(slot, slotReads);
    cursor += readMs + 0.5;
    if (defaults) root.addEvent('features.default_used', { 'features.missing': 'user_ctr,item_popularity' }, cursor);

    // GPU inference.
    const throttled = scenario === 'gpu-throttle' && inIncident(t) && host === throttledHost;
    const gpuMs = throttled ? 70 + 80 * r() : 8 + 10 * r();
    const gpu = tracer.startSpan(
      'gpu.inference',
      {
        kind: SpanKind.INTERNAL,
        startTime: cursor,
        attributes: {
          'gpu.id': `${host}/0`,
          'gpu.utilization': throttled ? 0.99 : 0.55 + 0.3 * r(),
          'gpu.temperature_c': throttled ? 88 + 4 * r() : 62 + 10 * r(),
          'gpu.sm_clock_mhz': throttled ? 600 + 200 * r() : 1380 + 80 * r(),
          'gpu.throttled': throttled,
        },
      },
      ctx,
    );
    gpu.end(cursor + Math.min(gpuMs, GPU_DEADLINE_MS + 1));
    spans++;
    cursor += Math.min(gpuMs, GPU_DEADLINE_MS + 1) + 0.3;
    const fallback = gpuMs > GPU_DEADLINE_MS;
    if (fallback) root.addEvent('model.fallback', { 'fallback.reason': 'gpu deadline exceeded', 'fallback.to': 'lite' }, cursor);

    // Model version served.
    let version = 'v1';
    if (scenario === 'rollout-no-drift') {
      const share = Math.min(1, Math.max(0, (t - startMs - durationMs * 0.4) / (durationMs * 0.2)));
      if (r() < share) version = 'v2';
    }
    if (fallback) version = 'lite';
    const logit = version === 'lite' ? -1.2 + 4 * userCtr + 0.6 * popularity + 0.35 * normal(r) : -1.6 + 18 * userCtr + 1.6 * popularity - 0.02 * recencyHours + 0.3 * normal(r);
    const score = sigmoid(logit);
    const label = score >= 0.5 ? 'click' : 'skip';
    const predictionId = `${model}-${i}`;
    const predictMs = 2 + 3 * r();
    const predict = tracer.startSpan(
      'model.predict',
      {
        kind: SpanKind.INTERNAL,
        startTime: cursor,
        attributes: {
          'ml.model.name': model,
          'ml.model.version': version,
          'ml.prediction.id': predictionId,
          'ml.prediction.score': score,
          'ml.prediction.label': label,
          'ml.prediction.confidence': Math.abs(score - 0.5) * 2,
          'ml.feature.user_ctr': userCtr,
          'ml.feature.item_popularity': popularity,
          'ml.feature.recency_hours': recencyHours,
          'ml.feature.device': device,
        },
      },
      ctx,
    );
    predict.end(cursor + predictMs);
    spans++;
    cursor += predictMs + 0.5;
    root.end(cursor);
    spans++;

    if (logger && r() < 0.5) {
      const clicked = r() < sigmoid(-1.6 + 18 * userCtr + 1.6 * popularity - 0.02 * recencyHours);
      logger.emit({ timestamp: t + 600_000, body: 'ground truth', attributes: { 'ml.prediction.id': predictionId, 'ml.actual.label': clicked ? 'click' : 'skip' } });
    }
    if ((i + 1) % CHUNK === 0) await Promise.all(providers.map((p) => p.forceFlush()));
  }
  await Promise.all(providers.map((p) => p.forceFlush()));
  await logProvider?.forceFlush();

  if (sinks.metrics) await sendReadLatencyHistograms(sinks.metrics, resources, readLatency, startMs, endMs);
  if (sinks.metrics) await sendGpuMetrics(sinks.metrics, resources, hosts, { startMs, endMs, throttledHost, throttledWhile: scenario === 'gpu-throttle' ? inIncident : () => false, r });
  await Promise.all(providers.map((p) => p.shutdown()));
  await logProvider?.shutdown();
  return { model, startMs, endMs, incident, expectDrift: incident !== null, expectedCause: scenario === 'storage-slowdown' ? 'storage' : scenario === 'gpu-throttle' ? 'gpu' : null, requests, spans };
}

interface GpuMetricPlan {
  startMs: number;
  endMs: number;
  throttledHost: string;
  throttledWhile: (t: number) => boolean;
  r: () => number;
}

/** DCGM-style gauges per host every 30 s: SM clock and temperature. */
async function sendGpuMetrics(exporter: PushMetricExporter, resources: Resource[], hosts: string[], plan: GpuMetricPlan): Promise<void> {
  const hr = (ms: number): [number, number] => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
  for (let h = 0; h < hosts.length; h++) {
    const clock: { t: number; v: number }[] = [];
    const temp: { t: number; v: number }[] = [];
    for (let t = plan.startMs; t < plan.endMs; t += 30_000) {
      const throttled = hosts[h] === plan.throttledHost && plan.throttledWhile(t);
      clock.push({ t, v: throttled ? 650 + 100 * plan.r() : 1400 + 50 * plan.r() });
      temp.push({ t, v: throttled ? 89 + 2 * plan.r() : 65 + 5 * plan.r() });
    }
    const gauge = (name: string, unit: string, points: { t: number; v: number }[]) => ({
      descriptor: { name, description: '', unit, valueType: ValueType.DOUBLE },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE as const,
      dataPoints: points.map((p) => ({ startTime: hr(p.t), endTime: hr(p.t), attributes: { gpu: '0' }, value: p.v })),
    });
    await exportMetrics(exporter, {
      resource: resources[h]!,
      scopeMetrics: [{ scope: { name: 'dcgm-exporter', version: '3.3.5' }, metrics: [gauge('DCGM_FI_DEV_SM_CLOCK', 'MHz', clock), gauge('DCGM_FI_DEV_GPU_TEMP', 'Cel', temp)] }],
    });
  }
}

const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500];

/** feature_store.read.duration: a cumulative histogram per host, one point per 30 s. */
async function sendReadLatencyHistograms(exporter: PushMetricExporter, resources: Resource[], perHost: Map<number, number[]>[], startMs: number, endMs: number): Promise<void> {
  const hr = (ms: number): [number, number] => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
  for (let h = 0; h < resources.length; h++) {
    const counts = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
    let count = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    const points = [];
    for (let slot = 0; startMs + slot * 30_000 < endMs; slot++) {
      for (const ms of perHost[h]!.get(slot) ?? []) {
        counts[LATENCY_BOUNDS_MS.findIndex((b) => ms <= b) === -1 ? LATENCY_BOUNDS_MS.length : LATENCY_BOUNDS_MS.findIndex((b) => ms <= b)]!++;
        count++;
        sum += ms;
        min = Math.min(min, ms);
        max = Math.max(max, ms);
      }
      const t = startMs + (slot + 1) * 30_000;
      points.push({ startTime: hr(startMs), endTime: hr(t), attributes: { 'rpc.service': 'S3' }, value: { buckets: { boundaries: LATENCY_BOUNDS_MS, counts: [...counts] }, count, sum, min, max } });
    }
    await exportMetrics(exporter, {
      resource: resources[h]!,
      scopeMetrics: [
        {
          scope: { name: 'ranker-api', version: '3.2.0' },
          metrics: [{ descriptor: { name: 'feature_store.read.duration', description: 'feature read latency', unit: 'ms', valueType: ValueType.DOUBLE }, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.HISTOGRAM as const, dataPoints: points }],
        },
      ],
    });
  }
}
