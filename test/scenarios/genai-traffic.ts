/**
 * Scenario generator for a RAG service (issue #17), made with the OpenTelemetry JS SDK and the
 * GenAI semantic conventions, with planted incidents. Each request is one trace:
 *
 *   POST /ask (SERVER, rag-api)
 *   ├─ embeddings <embedder> (CLIENT, gen_ai.operation.name=embeddings): the question's vector
 *   ├─ search docs (CLIENT, db.system.name=qdrant): 5 documents in 10–30 ms; a search over
 *   │                300 ms times out and is retried once; after two timeouts the answer is
 *   │                written without context (an empty retrieval)
 *   └─ chat <model> (CLIENT, gen_ai.*: usage, finish reasons, max tokens, time to first token)
 *      └─ generate (SERVER, llm-server on one of three GPU hosts, gpu.* attributes): tokens at
 *                   ~55/s; the gateway cuts a stream at 6 s, so a throttled GPU (~18/s) ends
 *                   most answers at `length` (one that is only slowed, ~47/s, cuts none)
 *
 * An evaluator scores each answer's groundedness (0–1, with a label) as a
 * `gen_ai.evaluation.result` log record parented to the chat span, a minute later, and its
 * relevance as an event on the chat span. Groundedness follows the documents retrieved;
 * relevance falls when an answer is cut. DCGM-style gauges per GPU host every 30 s (in one
 * scenario the only sign of the GPU: the model server's spans carry no gpu.* attributes).
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { seededRandom } from '../../electron/core/stats/significance.js';
import type { FactorKind } from '../../shared/model/factor-kinds.js';
import { flushScenario, scenarioLoggerProvider, scenarioTracerProvider, shutdownScenario } from './sdk-pipelines.js';
import { sendGpuMetrics } from './scenario-metrics.js';
import type { ScenarioSinks } from './inference-traffic.js';

export const GENAI_SCENARIOS = [
  'llm-gpu-throttle',
  'llm-gpu-throttle-metrics-only',
  'rag-vector-slowdown',
  'rag-vector-with-gpu-noise',
  'genai-quiet',
] as const;
export type GenAiScenario = (typeof GENAI_SCENARIOS)[number];

export interface GenAiScenarioOptions {
  scenario: GenAiScenario;
  /** The chat model's name (defaults to "llama-<scenario>"); hosts are named after it. */
  model?: string;
  /** The embedding model's name (defaults to "<model>-embedder"). */
  embedder?: string;
  requests?: number;
  startMs?: number;
  durationMs?: number;
  seed?: number;
}

export interface GenAiScenarioTruth {
  model: string;
  embedder: string;
  startMs: number;
  endMs: number;
  incident: { startMs: number; endMs: number } | null;
  expectDrift: boolean;
  expectedCause: FactorKind | null;
  /** The expected top cause's factor name, a factor that changes alongside but explains nothing, and a quality signal that must drift. */
  expectedFactor: RegExp | null;
  coincidentFactor: RegExp | null;
  expectedSignal: RegExp | null;
  requests: number;
}

interface Effects {
  /** Share of incident searches that time out (both attempts). */
  searchTimeoutShare: number;
  /** One GPU host throttles in the incident: 'cut' slows decoding below the stream budget; 'slow' only somewhat. */
  gpu: 'none' | 'cut' | 'slow';
  /** Whether the model server's spans carry gpu.* attributes; without them only the hosts' DCGM metrics show the GPU. */
  gpuOnSpans: boolean;
}

function effectsOf(s: GenAiScenario): Effects {
  switch (s) {
    case 'llm-gpu-throttle':
      return { searchTimeoutShare: 0, gpu: 'cut', gpuOnSpans: true };
    case 'llm-gpu-throttle-metrics-only':
      return { searchTimeoutShare: 0, gpu: 'cut', gpuOnSpans: false };
    case 'rag-vector-slowdown':
      return { searchTimeoutShare: 0.4, gpu: 'none', gpuOnSpans: true };
    case 'rag-vector-with-gpu-noise':
      return { searchTimeoutShare: 0.4, gpu: 'slow', gpuOnSpans: true };
    case 'genai-quiet':
      return { searchTimeoutShare: 0, gpu: 'none', gpuOnSpans: true };
  }
}

function expectationOf(s: GenAiScenario): Pick<GenAiScenarioTruth, 'expectDrift' | 'expectedCause' | 'expectedFactor' | 'coincidentFactor' | 'expectedSignal'> {
  const fx = effectsOf(s);
  if (fx.searchTimeoutShare > 0)
    return {
      expectDrift: true,
      expectedCause: 'storage',
      expectedFactor: /^search docs /,
      coincidentFactor: fx.gpu === 'slow' ? /^generate gpu\.|DCGM/ : null,
      expectedSignal: /^quality:(eval\.groundedness|empty_retrieval|documents_retrieved)/,
    };
  if (fx.gpu === 'cut')
    return {
      expectDrift: true,
      expectedCause: 'gpu',
      expectedFactor: fx.gpuOnSpans ? /^generate gpu\.|DCGM/ : /DCGM/,
      coincidentFactor: null,
      expectedSignal: /^quality:truncated$/,
    };
  return { expectDrift: false, expectedCause: null, expectedFactor: null, coincidentFactor: null, expectedSignal: null };
}

/** A user's question as sent to the model: must never be stored or reported in clear. */
export const PRIVATE_PROMPT = 'How do I reset the password of account 4481-2290 for jane.doe@example.com?';
const SEARCH_TIMEOUT_MS = 300;
const STREAM_BUDGET_MS = 6000;
const MAX_TOKENS = 512;
const TOP_K = 5;
const CHUNK = 250;

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}
const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

export async function generateGenAiScenario(options: GenAiScenarioOptions, sinks: ScenarioSinks): Promise<GenAiScenarioTruth> {
  const fx = effectsOf(options.scenario);
  const model = options.model ?? `llama-${options.scenario}`;
  const embedder = options.embedder ?? `${model}-embedder`;
  const durationMs = options.durationMs ?? 2 * 3600_000;
  const requests = options.requests ?? 6000;
  const startMs = options.startMs ?? Date.now() - durationMs - 60_000;
  const endMs = startMs + durationMs;
  const r = seededRandom(options.seed ?? 42);
  const incident = options.scenario === 'genai-quiet' ? null : { startMs: startMs + (durationMs * 50) / 120, endMs: startMs + (durationMs * 90) / 120 };
  const inIncident = (t: number): boolean => incident !== null && t >= incident.startMs && t < incident.endMs;

  const api = scenarioTracerProvider(sinks, resourceFromAttributes({ 'service.name': 'rag-api', 'service.version': '1.4.0', 'host.name': `${model}-api-1` }));
  const gpuHosts = [1, 2, 3].map((k) => `${model}-gpu-node-${k}`);
  const throttledHost = gpuHosts[2]!;
  const gpuResources: Resource[] = gpuHosts.map((host) =>
    resourceFromAttributes({ 'service.name': 'llm-server', 'service.version': 'vllm-0.6', 'host.name': host }),
  );
  const servers = gpuResources.map((resource) => scenarioTracerProvider(sinks, resource));
  const providers = [api, ...servers];
  const apiTracer = api.getTracer('rag-api', '1.4.0');
  const serverTracers = servers.map((p) => p.getTracer('vllm', '0.6'));
  const logProvider = scenarioLoggerProvider(sinks, 'rag-evaluator');
  const evaluator = logProvider?.getLogger('groundedness-judge', '2.0');

  for (let i = 0; i < requests; i++) {
    const t = startMs + (durationMs * (i + r())) / requests;
    const incidentNow = inIncident(t);
    const root = apiTracer.startSpan('POST /ask', {
      kind: SpanKind.SERVER,
      startTime: t,
      attributes: { 'http.request.method': 'POST', 'http.route': '/ask', 'http.response.status_code': 200 },
    });
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    let cursor = t + 1 + r();
    const questionTokens = Math.max(8, Math.round(40 + 15 * normal(r)));

    const embedMs = 8 + 6 * r();
    apiTracer
      .startSpan(
        `embeddings ${embedder}`,
        {
          kind: SpanKind.CLIENT,
          startTime: cursor,
          attributes: {
            'gen_ai.operation.name': 'embeddings',
            'gen_ai.provider.name': 'vllm',
            'gen_ai.request.model': embedder,
            'gen_ai.usage.input_tokens': questionTokens,
            'server.address': 'embedder.internal',
          },
        },
        ctx,
      )
      .end(cursor + embedMs);
    cursor += embedMs + 0.3;

    // Retrieval: in an incident a share of searches hang past the deadline, twice.
    const hangs = incidentNow && r() < fx.searchTimeoutShare;
    let documents = 0;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const searchMs = hangs ? SEARCH_TIMEOUT_MS : 10 + 20 * r() * r();
      const search = apiTracer.startSpan(
        'search docs',
        {
          kind: SpanKind.CLIENT,
          startTime: cursor,
          attributes: {
            'db.system.name': 'qdrant',
            'db.operation.name': 'search',
            'db.collection.name': 'kb-articles',
            'db.vector.query.top_k': TOP_K,
            'server.address': 'qdrant.internal',
            attempt,
          },
        },
        ctx,
      );
      if (hangs) {
        search.setStatus({ code: SpanStatusCode.ERROR, message: 'timeout: search exceeded 300 ms deadline' });
        search.setAttribute('error.type', 'timeout');
      } else {
        documents = TOP_K;
        search.setAttribute('db.response.returned_rows', documents);
      }
      search.end(cursor + searchMs);
      cursor += searchMs + 0.3;
      if (!hangs) break;
    }

    // Generation on one of three GPU hosts; a throttled one decodes slower, and the gateway
    // cuts the stream at its budget (finish reason `length`).
    const h = Math.floor(r() * gpuHosts.length);
    const throttled = fx.gpu !== 'none' && incidentNow && gpuHosts[h] === throttledHost;
    // 'slow' stays above what the longest answer needs within the budget: nothing is cut.
    const tokensPerS = throttled ? (fx.gpu === 'cut' ? 16 + 6 * r() : 45 + 5 * r()) : 52 + 10 * r();
    const inputTokens = questionTokens + 180 + documents * (110 + Math.round(30 * r()));
    const wanted = Math.min(250, Math.max(20, Math.round(170 + 60 * normal(r))));
    const ttftMs = (60 + inputTokens * 0.08 + 20 * r()) * (throttled ? 1.8 : 1);
    const budgetTokens = Math.floor(((STREAM_BUDGET_MS - ttftMs) / 1000) * tokensPerS);
    const rareLong = r() < 0.02;
    const outputTokens = Math.min(rareLong ? MAX_TOKENS : wanted, budgetTokens, MAX_TOKENS);
    const cut = rareLong || outputTokens < wanted;
    const generateMs = ttftMs + (outputTokens / tokensPerS) * 1000;
    const chat = apiTracer.startSpan(
      `chat ${model}`,
      {
        kind: SpanKind.CLIENT,
        startTime: cursor,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'vllm',
          'gen_ai.request.model': model,
          'gen_ai.response.model': model,
          'gen_ai.request.max_tokens': MAX_TOKENS,
          'gen_ai.usage.input_tokens': inputTokens,
          'gen_ai.usage.output_tokens': outputTokens,
          'gen_ai.response.finish_reasons': [cut ? 'length' : 'stop'],
          'gen_ai.server.time_to_first_token': Math.round(ttftMs) / 1000,
          // Content, as instrumentations record it when asked to: private, redacted at ingest.
          'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `${PRIVATE_PROMPT} #${i}` }] }]),
          'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Reset it from Settings → Account.' }] }]),
          'server.address': 'llm.internal',
        },
      },
      ctx,
    );
    serverTracers[h]!.startSpan(
      'generate',
      {
        kind: SpanKind.SERVER,
        startTime: cursor + 1,
        attributes: fx.gpuOnSpans
          ? {
              'gpu.id': `${gpuHosts[h]}/0`,
              'gpu.utilization': throttled ? 0.97 + 0.02 * r() : 0.6 + 0.25 * r(),
              'gpu.temperature_c': throttled ? 87 + 4 * r() : 62 + 8 * r(),
              'gpu.sm_clock_mhz': throttled ? (fx.gpu === 'cut' ? 600 : 1000) + 150 * r() : 1380 + 80 * r(),
              'gpu.throttled': throttled,
            }
          : { 'vllm.request.id': `req-${i}` },
      },
      trace.setSpan(ROOT_CONTEXT, chat),
    ).end(cursor + 1 + generateMs);
    // The judge: relevance falls when an answer is cut; groundedness follows the context it had.
    const relevance = clamp01(0.86 + 0.06 * normal(r) - (cut ? 0.25 : 0));
    chat.addEvent(
      'gen_ai.evaluation.result',
      { 'gen_ai.evaluation.name': 'relevance', 'gen_ai.evaluation.score.value': Math.round(relevance * 1000) / 1000 },
      cursor + generateMs + 2,
    );
    chat.end(cursor + generateMs + 2);
    const groundedness = clamp01((documents > 0 ? 0.84 : 0.32) + 0.08 * normal(r));
    evaluator?.emit({
      timestamp: t + 60_000,
      context: trace.setSpan(ROOT_CONTEXT, chat),
      eventName: 'gen_ai.evaluation.result',
      attributes: {
        'gen_ai.evaluation.name': 'groundedness',
        'gen_ai.evaluation.score.value': Math.round(groundedness * 1000) / 1000,
        'gen_ai.evaluation.score.label': groundedness >= 0.6 ? 'grounded' : 'ungrounded',
      },
    });
    cursor += generateMs + 3;
    root.end(cursor);
    if ((i + 1) % CHUNK === 0) await Promise.all(providers.map((p) => p.forceFlush()));
  }
  await flushScenario(providers, logProvider);
  if (sinks.metrics)
    await sendGpuMetrics(sinks.metrics, gpuResources, gpuHosts, {
      startMs,
      endMs,
      throttledHost,
      throttledWhile: fx.gpu !== 'none' ? inIncident : () => false,
      r,
    });
  await shutdownScenario(providers, logProvider);
  return { model, embedder, startMs, endMs, incident, ...expectationOf(options.scenario), requests };
}
