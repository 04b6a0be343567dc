/**
 * Scenario generator: realistic inference traffic for a ranking model, made with the
 * OpenTelemetry JS SDK, with planted incidents. Each request is one trace:
 *
 *   POST /rank (SERVER, ranker-api on one of three GPU hosts)
 *   ├─ feature-store.read (CLIENT, rpc.service=S3): 15–40 ms; a read over 500 ms times out
 *   │                                               and the request uses default features
 *   ├─ embedding.lookup (CLIENT, gRPC EmbeddingService): 6–14 ms; over 90 ms an attempt times
 *   │                    out and is retried (three attempts); then a cached embedding is used
 *   │                    (event embedding.fallback), which is staler: the similarity feature drops
 *   ├─ gpu.inference (gpu.* attributes); over a 60 ms deadline the request falls back to
 *   │                the "lite" model (event model.fallback)
 *   └─ model.predict (ml.* attributes: model, version, score, label, confidence, features)
 *
 * plus DCGM gauges per host every 30 s, a cumulative histogram of feature-read latency per
 * host (from the same reads), and ground truth as log records (ml.actual.label
 * joined by ml.prediction.id) for half of the requests. Timestamps are set explicitly, so
 * hours or days of traffic are generated in seconds. What each scenario plants is in
 * scenario-plans.ts: single causes, confounded pairs (a real cause beside a change that
 * explains nothing), partial and early incidents, a network incident whose symptoms
 * (timeouts, retries, fallbacks) follow its latency, a week of diurnal traffic.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { seededRandom } from '../../electron/core/stats/significance.js';
import type { FactorKind } from '../../shared/model/factor-kinds.js';
import { effectsOf, expectationOf, type ScenarioName } from './scenario-plans.js';
import { flushScenario, scenarioLoggerProvider, scenarioTracerProvider, shutdownScenario } from './sdk-pipelines.js';
import { sendGpuMetrics, sendReadLatencyHistograms } from './scenario-metrics.js';

export { SCENARIOS, HARD_SCENARIOS, type ScenarioName } from './scenario-plans.js';

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
  /** The expected top cause's factor name, and a factor that changes at the same time but explains nothing. */
  expectedFactor: RegExp | null;
  coincidentFactor: RegExp | null;
  requests: number;
  spans: number;
}

const STORAGE_TIMEOUT_MS = 500;
const GPU_DEADLINE_MS = 60;
const EMBEDDING_TIMEOUT_MS = 90;
const EMBEDDING_ATTEMPTS = 3;
const CHUNK = 250;
const DAY_MS = 24 * 3600_000;

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Traffic volume by hour of day (peak mid-afternoon, trough before dawn), relative to its peak. */
function diurnalVolume(t: number): number {
  const hour = (t % DAY_MS) / 3600_000;
  return 0.55 + 0.45 * Math.cos((2 * Math.PI * (hour - 15)) / 24);
}

/** Request times: evenly spread, or for diurnal traffic thinned by the hour's volume. */
function requestTimes(requests: number, startMs: number, durationMs: number, diurnal: boolean, r: () => number): number[] {
  if (!diurnal) return Array.from({ length: requests }, (_, i) => startMs + (durationMs * (i + r())) / requests);
  const times: number[] = [];
  while (times.length < requests) {
    const t = startMs + durationMs * r();
    if (r() < diurnalVolume(t)) times.push(t);
  }
  return times.sort((a, b) => a - b);
}

export async function generateScenario(options: ScenarioOptions, sinks: ScenarioSinks): Promise<ScenarioTruth> {
  const scenario = options.scenario;
  const fx = effectsOf(scenario);
  const model = options.model ?? `ranker-${scenario}`;
  const durationMs = options.durationMs ?? (fx.diurnal ? 7 * DAY_MS : 2 * 3600_000);
  const requests = options.requests ?? (fx.diurnal ? 30_000 : 6000);
  const startMs = options.startMs ?? Date.now() - durationMs - 60_000;
  const endMs = startMs + durationMs;
  const r = seededRandom(options.seed ?? 42);
  const incident = fx.incident ? { startMs: startMs + durationMs * fx.incident.from, endMs: startMs + durationMs * fx.incident.to } : null;
  const hosts = [1, 2, 3].map((k) => `${model}-gpu-node-${k}`);
  const throttledHost = hosts[1]!;
  const resources = hosts.map((host) =>
    resourceFromAttributes({ 'service.name': 'ranker-api', 'service.version': '3.2.0', 'host.name': host, 'deployment.environment': 'prod' }),
  );
  const providers = resources.map((resource) => scenarioTracerProvider(sinks, resource));
  const tracers = providers.map((p) => p.getTracer('ranker-api', '3.2.0'));
  const logProvider = scenarioLoggerProvider(sinks, 'label-collector');
  const logger = logProvider?.getLogger('ground-truth');
  const inIncident = (t: number): boolean => incident !== null && t >= incident.startMs && t < incident.endMs;
  let spans = 0;
  /** Feature-read latencies per host and 30 s slot, for the latency histogram metric. */
  const readLatency = hosts.map(() => new Map<number, number[]>());
  const times = requestTimes(requests, startMs, durationMs, fx.diurnal, r);

  for (let i = 0; i < requests; i++) {
    const t = times[i]!;
    const h = Math.floor(r() * hosts.length);
    const tracer = tracers[h]!;
    const host = hosts[h]!;
    const incidentNow = inIncident(t);
    // Inputs: a new cohort arrives in drift-no-infra (lower click-through, fresher items); with
    // diurnal traffic, night-time users click less and use the web more.
    const cohort = fx.cohort && incidentNow && r() < 0.6;
    const night = fx.diurnal ? 1 - diurnalVolume(t) : 0;
    let userCtr = Math.max(0, (cohort ? 0.02 : 0.08 - 0.04 * night) + (cohort ? 0.01 : 0.03) * normal(r));
    let popularity = Math.min(1, Math.max(0, 0.5 + 0.2 * normal(r)));
    const recencyHours = Math.max(0.1, (cohort ? 2 : 12) * Math.exp(0.5 * normal(r)));
    const device = r() < night * 0.5 ? 'web' : ['ios', 'android', 'web'][Math.floor(r() * 3)]!;

    const root = tracer.startSpan('POST /rank', {
      kind: SpanKind.SERVER,
      startTime: t,
      attributes: { 'http.request.method': 'POST', 'http.route': '/rank', 'http.response.status_code': 200 },
    });
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    let cursor = t + 1 + r() * 2;

    // Feature store read: timeouts (→ default features) or a slowdown that stays under the deadline.
    const slowRead = incidentNow && r() < fx.storageTimeoutShare;
    const slowButInTime = !slowRead && incidentNow && r() < fx.storageSlowShare;
    let readMs = 15 + 25 * r() * r() + (fx.diurnal ? 10 * (1 - night) * r() : 0);
    if (slowRead) readMs = 600 + 1900 * r();
    else if (slowButInTime) readMs = 150 + 300 * r();
    const read = tracer.startSpan(
      'feature-store.read',
      {
        kind: SpanKind.CLIENT,
        startTime: cursor,
        attributes: {
          'rpc.system': 'aws-api',
          'rpc.service': 'S3',
          'rpc.method': 'GetObject',
          'aws.s3.bucket': 'ranker-features',
          'aws.s3.key': `users/${i % 997}.parquet`,
        },
      },
      ctx,
    );
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

    // Embedding lookup: 10× slower in a network incident, every request; attempts over the
    // timeout are retried, and after the last one a cached (staler) embedding is used.
    let similarity = Math.min(1, Math.max(0, 0.6 + 0.1 * normal(r)));
    for (let attempt = 1; attempt <= EMBEDDING_ATTEMPTS; attempt++) {
      const callMs = (6 + 8 * r()) * (fx.network && incidentNow ? 10 : 1);
      const timedOut = callMs > EMBEDDING_TIMEOUT_MS;
      const call = tracer.startSpan(
        'embedding.lookup',
        {
          kind: SpanKind.CLIENT,
          startTime: cursor,
          attributes: {
            'rpc.system': 'grpc',
            'rpc.service': 'EmbeddingService',
            'rpc.method': 'Lookup',
            'server.address': 'embeddings.internal',
            'server.port': 9000,
            attempt,
          },
        },
        ctx,
      );
      const tookMs = timedOut ? EMBEDDING_TIMEOUT_MS : callMs;
      if (timedOut) call.setStatus({ code: SpanStatusCode.ERROR, message: 'DEADLINE_EXCEEDED: embedding lookup timed out' });
      call.end(cursor + tookMs);
      spans++;
      cursor += tookMs + 0.2;
      if (!timedOut) break;
      if (attempt === EMBEDDING_ATTEMPTS) {
        root.addEvent('embedding.fallback', { 'fallback.to': 'cache' }, cursor);
        similarity = Math.min(1, Math.max(0, 0.3 + 0.1 * normal(r)));
      }
    }

    // GPU inference: a throttled host is slower; past the deadline, the lite model answers.
    const throttled = fx.gpuThrottle !== 'none' && incidentNow && host === throttledHost;
    const gpuMs = throttled ? (fx.gpuThrottle === 'fallback' ? 70 + 80 * r() : 25 + 30 * r()) : 8 + 10 * r();
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
    if (fx.rollout) {
      const share = Math.min(1, Math.max(0, (t - startMs - durationMs * 0.4) / (durationMs * 0.2)));
      if (r() < share) version = 'v2';
    }
    if (fallback) version = 'lite';
    const logit =
      version === 'lite'
        ? -1.2 + 4 * userCtr + 0.6 * popularity + 0.35 * normal(r)
        : -1.6 + 18 * userCtr + 1.6 * popularity - 0.02 * recencyHours + 1.2 * (similarity - 0.6) + 0.3 * normal(r);
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
          'ml.feature.item_similarity': similarity,
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
      logger.emit({
        timestamp: t + 600_000,
        body: 'ground truth',
        attributes: { 'ml.prediction.id': predictionId, 'ml.actual.label': clicked ? 'click' : 'skip' },
      });
    }
    if ((i + 1) % CHUNK === 0) await Promise.all(providers.map((p) => p.forceFlush()));
  }
  await flushScenario(providers, logProvider);

  if (sinks.metrics) await sendReadLatencyHistograms(sinks.metrics, resources, readLatency, startMs, endMs);
  if (sinks.metrics)
    await sendGpuMetrics(sinks.metrics, resources, hosts, {
      startMs,
      endMs,
      throttledHost,
      throttledWhile: fx.gpuThrottle !== 'none' ? inIncident : () => false,
      r,
    });
  await shutdownScenario(providers, logProvider);
  return { model, startMs, endMs, incident, ...expectationOf(scenario), requests, spans };
}
