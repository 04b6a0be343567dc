/**
 * Issue #17 at ingest and load: a language model call's quality signals (cut at length,
 * refused, response length), time to first token from an attribute or an event, evaluation
 * results from span events and from log records (also when the log arrives before its span),
 * documents retrieved from vector-store and OpenInference retriever spans (a failed search
 * returned none), joined to the call by the analysis; kept across a rebuild of the ML index.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openWriter } from '../../electron/core/store/open-store.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import { reextractMlIndex } from '../../electron/core/ml/reextract.js';
import { classifyFactors, spanClass } from '../../electron/core/ml/classify-factors.js';
import { genAiCallSignals } from '../../electron/core/ml/genai-signals.js';
import { extractPrediction } from '../../electron/core/ml/extract-prediction.js';
import { Redactor } from '../../electron/core/redaction/redactor.js';
import { DEFAULT_REDACTION_RULES } from '../../shared/model/redaction.js';
import { mergeMapping } from '../../shared/model/ml-mapping.js';
import { GENAI_QUALITY } from '../../shared/model/genai.js';
import { listModels, loadModelData, type Column } from '../../electron/core/analysis/model-data.js';
import { tempDir } from '../helpers/serve-process.js';

type Attr = { key: string; value: Record<string, unknown> };
const s = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const i = (key: string, v: number): Attr => ({ key, value: { intValue: String(v) } });
const d = (key: string, v: number): Attr => ({ key, value: { doubleValue: v } });
const list = (key: string, v: string[]): Attr => ({ key, value: { arrayValue: { values: v.map((x) => ({ stringValue: x })) } } });
const T0 = 1_790_000_000_000_000_000n;
const ns = (ms: number): string => String(T0 + BigInt(Math.round(ms * 1e6)));
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

interface SpanSpec {
  id: number;
  parent?: number;
  name: string;
  kind?: number;
  fromMs: number;
  toMs: number;
  attrs: Attr[];
  status?: number;
  events?: { name: string; atMs: number; attrs: Attr[] }[];
}

function traceBody(trace: number, spans: SpanSpec[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [s('service.name', 'rag-api'), s('host.name', 'api-1')] },
        scopeSpans: [
          {
            spans: spans.map((x) => ({
              traceId: hex(trace, 32),
              spanId: hex(x.id, 16),
              ...(x.parent ? { parentSpanId: hex(x.parent, 16) } : {}),
              name: x.name,
              kind: x.kind ?? 3,
              startTimeUnixNano: ns(x.fromMs),
              endTimeUnixNano: ns(x.toMs),
              attributes: x.attrs,
              status: { code: x.status ?? 0, message: x.status === 2 ? 'timeout' : '' },
              events: (x.events ?? []).map((e) => ({ name: e.name, timeUnixNano: ns(e.atMs), attributes: e.attrs })),
            })),
          },
        ],
      },
    ],
  });
}

function evaluationLog(trace: number, span: number, name: string, score: number, label: string): string {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [s('service.name', 'judge')] },
        scopeLogs: [
          {
            logRecords: [
              {
                timeUnixNano: ns(60_000),
                eventName: 'gen_ai.evaluation.result',
                traceId: hex(trace, 32),
                spanId: hex(span, 16),
                attributes: [s('gen_ai.evaluation.name', name), d('gen_ai.evaluation.score.value', score), s('gen_ai.evaluation.score.label', label)],
              },
            ],
          },
        ],
      },
    ],
  });
}

const chat = (id: number, finish: string, outputTokens: number, extra: Partial<SpanSpec> = {}): SpanSpec => ({
  id,
  parent: 1,
  name: 'chat llama',
  fromMs: 100,
  toMs: 2100,
  attrs: [
    s('gen_ai.operation.name', 'chat'),
    s('gen_ai.request.model', 'llama'),
    list('gen_ai.response.finish_reasons', [finish]),
    i('gen_ai.usage.input_tokens', 900),
    i('gen_ai.usage.output_tokens', outputTokens),
  ],
  ...extra,
});

function valuesOf(column: Column | undefined): (number | string | null)[] {
  if (!column) return [];
  if (column.type === 'numeric') return [...column.values].map((v) => (Number.isNaN(v) ? null : v));
  return [...column.values].map((v) => (v < 0 ? null : column.categories[v]!));
}

test('a RAG request: quality signals of the call, its evaluations (event and early log) and its retrievals are joined to it', () => {
  const dbPath = path.join(tempDir('sightline-genai-unit-'), 'g.db');
  const db = openWriter(dbPath);
  const writer = new IngestWriter(db);
  // Trace 1: an OpenInference retriever returning three documents, a chat call cut at length,
  // time to first token as an event, relevance as a span event; groundedness arrives as a log
  // record before the trace does.
  writer.write([decodeJson('logs', evaluationLog(1, 3, 'groundedness', 0.91, 'grounded'))]);
  writer.write([
    decodeJson(
      'traces',
      traceBody(1, [
        { id: 1, name: 'POST /ask', kind: 2, fromMs: 0, toMs: 2200, attrs: [] },
        {
          id: 2,
          parent: 1,
          name: 'retrieve',
          kind: 1,
          fromMs: 10,
          toMs: 40,
          attrs: [s('openinference.span.kind', 'RETRIEVER'), s('retrieval.documents.0.document.id', 'a'), s('retrieval.documents.2.document.id', 'c')],
        },
        chat(3, 'length', 512, {
          events: [
            { name: 'gen_ai.first_token', atMs: 350, attrs: [] },
            { name: 'gen_ai.evaluation.result', atMs: 2100, attrs: [s('gen_ai.evaluation.name', 'relevance'), d('gen_ai.evaluation.score.value', 0.4)] },
          ],
        }),
      ]),
    ),
  ]);
  // Trace 2: a qdrant search that timed out (no documents), a refused answer, TTFT as an attribute.
  writer.write([
    decodeJson(
      'traces',
      traceBody(2, [
        { id: 11, name: 'POST /ask', kind: 2, fromMs: 0, toMs: 2200, attrs: [] },
        { id: 12, parent: 11, name: 'search docs', fromMs: 10, toMs: 310, status: 2, attrs: [s('db.system.name', 'qdrant'), s('db.operation.name', 'search')] },
        chat(13, 'content_filter', 20, { parent: 11, attrs: [...chat(13, 'content_filter', 20).attrs, d('gen_ai.server.time_to_first_token', 0.12)] }),
      ]),
    ),
  ]);
  writer.write([decodeJson('logs', evaluationLog(2, 13, 'groundedness', 0.2, 'ungrounded'))]);

  const load = () => {
    const [key] = listModels(db, {});
    assert.equal(key?.model, 'llama');
    return loadModelData(db, key!, {});
  };
  const check = (why: string): void => {
    const data = load();
    assert.equal(data.n, 2);
    const q = (name: string) => valuesOf(data.quality.get(name));
    assert.deepEqual(q('truncated'), ['yes', 'no'], why);
    assert.deepEqual(q('refused'), ['no', 'yes'], why);
    assert.deepEqual(q('response_tokens'), [512, 20], why);
    assert.deepEqual(q('eval.groundedness'), [0.91, 0.2], `${why}: the log before its span is joined too`);
    assert.deepEqual(q('eval.groundedness.label'), ['grounded', 'ungrounded'], why);
    assert.deepEqual(q('eval.relevance'), [0.4, null], why);
    assert.deepEqual(q('documents_retrieved'), [3, 0], `${why}: flattened OpenInference documents; a failed search returned none`);
    assert.deepEqual(q('empty_retrieval'), ['no', 'yes'], why);
    assert.deepEqual(valuesOf(data.features.get('time_to_first_token_ms')), [250, 120], why);
    assert.deepEqual(valuesOf(data.features.get('output_tokens_per_s')), [256, 10], why);
    assert.deepEqual(valuesOf(data.features.get('input_tokens')), [900, 900], why);
    assert.equal(data.features.get('output_tokens'), undefined, `${why}: the answer's length is a quality signal, not an input`);
  };
  check('at ingest');
  reextractMlIndex(db);
  check('after rebuilding the ML index');
  db.close();
});

test('finish reasons in other spellings; time to first token in milliseconds', () => {
  const q = (reason: string) => genAiCallSignals({ 'gen_ai.response.finish_reasons': [reason] }, [], 0n, 1_000_000_000n, null).quality;
  assert.deepEqual(q('MAX_TOKENS'), { truncated: 'yes', refused: 'no' }, 'Gemini');
  assert.deepEqual(q('max_tokens'), { truncated: 'yes', refused: 'no' }, 'Anthropic');
  assert.deepEqual(q('SAFETY'), { truncated: 'no', refused: 'yes' }, 'Gemini safety');
  assert.deepEqual(q('end_turn'), { truncated: 'no', refused: 'no' });
  const cutAt = (output: number) =>
    genAiCallSignals({ 'gen_ai.request.max_tokens': 256 }, [], 0n, 1_000_000_000n, { output_tokens: output }).quality[GENAI_QUALITY.truncated];
  assert.deepEqual([cutAt(256), cutAt(120)], ['yes', 'no'], 'without a finish reason, an answer as long as max_tokens was cut');
  const g = genAiCallSignals({ 'openinference.span.kind': 'LLM', 'llm.time_to_first_token_ms': 87 }, [], 0n, 1_000_000_000n, {
    completion: 40,
    prompt: 10,
    total: 50,
  });
  assert.deepEqual(g, {
    operation: 'llm',
    finishReason: null,
    quality: { response_tokens: 40 },
    features: { prompt: 10, output_tokens_per_s: 40, time_to_first_token_ms: 87 },
  });
});

test('a model generating is not an infrastructure factor; a vector store reached over HTTP is storage', () => {
  const span = (name: string, kind: number) => ({ name, kind, durationMs: 900, statusCode: 0, statusMessage: '', attributesJson: '{}', eventsJson: null });
  assert.equal(spanClass(span('chat gpt-4o', 3), { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' }), null);
  assert.deepEqual(classifyFactors(span('chat gpt-4o', 3), { 'gen_ai.operation.name': 'chat' }, []), []);
  assert.equal(spanClass(span('embeddings e5', 3), { 'gen_ai.operation.name': 'embeddings' }), 'network', 'an embedding call is a dependency like any other');
  assert.equal(spanClass(span('POST', 3), { 'server.address': 'idx-1a2b.svc.pinecone.io' }), 'storage');
  assert.equal(spanClass(span('retrieve', 1), { 'openinference.span.kind': 'RETRIEVER' }), 'storage');
});

test('an OpenLLMetry-style call keeps its finish reason through the default redaction, and is a generation', () => {
  const redacted = JSON.parse(
    new Redactor(DEFAULT_REDACTION_RULES).redactJson(
      JSON.stringify({
        'gen_ai.system': 'OpenAI',
        'llm.request.type': 'chat',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.prompt.0.content': 'my account is 4481-2290',
        'gen_ai.completion.0.content': 'Call the bank.',
        'gen_ai.completion.0.finish_reason': 'length',
        'gen_ai.usage.prompt_tokens': 30,
        'gen_ai.usage.completion_tokens': 64,
      }),
    )!,
  ) as Record<string, unknown>;
  assert.equal(redacted['gen_ai.prompt.0.content'], '[REDACTED]');
  assert.equal(redacted['gen_ai.completion.0.content'], '[REDACTED]');
  const p = extractPrediction(redacted, mergeMapping({}));
  assert.equal(p?.modelName, 'gpt-4o-mini');
  const g = genAiCallSignals(redacted, [], 0n, 2_000_000_000n, p!.features);
  assert.deepEqual(
    [g.operation, g.finishReason, g.quality, g.features],
    ['chat', 'length', { truncated: 'yes', refused: 'no', response_tokens: 64 }, { prompt_tokens: 30, output_tokens_per_s: 32 }],
  );
  const span = { name: 'openai.chat', kind: 3, durationMs: 2000, statusCode: 0, statusMessage: '', attributesJson: JSON.stringify(redacted), eventsJson: null };
  assert.equal(spanClass(span, redacted), null, 'the call is the model generating, not a network factor');
});
