/**
 * What a span or log record says about a language model call's quality (issue #17), read at
 * ingest: the call's own quality signals (truncated, refused, response length) and
 * performance features (output tokens per second, time to first token); evaluation results
 * (`gen_ai.evaluation.result`, as span events or log records, keyed by the evaluated span);
 * and the documents a retrieval returned (vector-store spans, OpenInference retrievers),
 * keyed by trace. The analysis joins the last two to the call (model-data.ts), since they
 * arrive on other spans, other records, or later.
 */
import {
  EVALUATION_EVENT,
  GENAI_FEATURES,
  GENAI_QUALITY,
  GENERATION_OPERATIONS,
  REFUSAL_REASONS,
  TRUNCATION_REASONS,
  VECTOR_STORES,
} from '../../../shared/model/genai.js';
import type { Evaluation } from '../../../shared/model/span-facts.js';

/** (The same shapes as extract-prediction.ts's, which imports this module.) */
type AttributeMap = Record<string, unknown>;
type FeatureValue = number | string;

/** Cheap test on raw attribute text: might the span be a GenAI call or a retrieval? */
export const GENAI_HINT = /"(?:gen_ai\.|llm\.|retrieval\.documents|openinference\.span\.kind|db\.system)/;

export interface StoredEvent {
  timeUnixNano?: unknown;
  name?: unknown;
  attributes?: unknown;
}

export type { Evaluation };

function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** Whether the attributes describe a language model call (not only name a model). */
export function isGenAiCall(attrs: AttributeMap): boolean {
  if (text(attrs['gen_ai.operation.name']) !== null || text(attrs['llm.request.type']) !== null) return true;
  if (text(attrs['gen_ai.system']) !== null || text(attrs['gen_ai.provider.name']) !== null) return true;
  const kind = text(attrs['openinference.span.kind']);
  if (kind === 'LLM' || kind === 'EMBEDDING') return true;
  for (const key in attrs) if (key.startsWith('gen_ai.usage.') || key.startsWith('llm.token_count.')) return true;
  return attrs['gen_ai.response.finish_reasons'] !== undefined;
}

/**
 * An agent invocation is judged as the agent (its name), not as the model it uses: the
 * model's own chat calls under it are that model's predictions, and counting the agent's span
 * as one more would mix a whole conversation's totals into them.
 */
export function agentName(attrs: AttributeMap): string | null {
  if (text(attrs['gen_ai.operation.name']) !== 'invoke_agent') return null;
  return text(attrs['gen_ai.agent.name']) ?? text(attrs['gen_ai.agent.id']) ?? UNNAMED_AGENT;
}

/** An agent invocation that names no agent: still not its model's prediction. */
const UNNAMED_AGENT = 'agent';

/** Whether the span is a model generating (chat, completion), whose own duration is the model's work, not infrastructure. */
export function isGenerationSpan(attrs: AttributeMap): boolean {
  const op = text(attrs['gen_ai.operation.name']) ?? text(attrs['llm.request.type']);
  if (op !== null) return GENERATION_OPERATIONS.has(op);
  return text(attrs['openinference.span.kind']) === 'LLM';
}

/** The first choice's finish reason, lower-cased. */
function finishReason(attrs: AttributeMap): string | null {
  const keys = [
    'gen_ai.response.finish_reasons',
    'gen_ai.response.finish_reason',
    'gen_ai.completion.0.finish_reason',
    'llm.finish_reason',
    'llm.response.finish_reason',
  ];
  for (const key of keys) {
    let v = attrs[key];
    if (Array.isArray(v)) v = v[0];
    const t = text(v);
    if (t !== null) return t.toLowerCase();
  }
  return null;
}

/** Feature names (after the usage prefix) that count the answer's tokens: a quality signal, not an input. */
const OUTPUT_TOKEN_FEATURES = ['output_tokens', 'completion_tokens', 'completion'];
/** Totals include the output tokens: as a feature they would echo the response length. */
const TOTAL_TOKEN_FEATURES = ['total_tokens', 'total'];

/** Time to first token from attributes (seconds by OpenTelemetry's convention, or `_ms`), else from a first-token event. */
function timeToFirstTokenMs(attrs: AttributeMap, events: readonly StoredEvent[], startNs: bigint): number | null {
  for (const key in attrs) {
    if (!/time_to_first_(token|chunk)(_ms|_s)?$|(^|\.)ttft(_ms|_s)?$/.test(key)) continue;
    const v = num(attrs[key]);
    if (v === null || v < 0) continue;
    return key.endsWith('_ms') ? v : v * 1000;
  }
  for (const e of events) {
    const name = text(e.name);
    if (name === null || !/first[._ -]?(token|chunk)/i.test(name)) continue;
    const t = typeof e.timeUnixNano === 'number' ? e.timeUnixNano : num(e.timeUnixNano);
    if (t === null) continue;
    const ms = (t - Number(startNs)) / 1e6;
    if (ms >= 0) return Math.round(ms * 1000) / 1000;
  }
  return null;
}

export interface GenAiCallSignals {
  /** `gen_ai.operation.name` (chat, embeddings…), or OpenInference's span kind in lower case. */
  operation: string | null;
  /** The first choice's finish reason, lower-cased. */
  finishReason: string | null;
  quality: Record<string, FeatureValue>;
  /** The features with the answer's token counts moved out, and the derived performance features in. */
  features: Record<string, FeatureValue> | null;
}

/** A language model call's quality signals and features, from its attributes, events and timing. */
export function genAiCallSignals(
  attrs: AttributeMap,
  events: readonly StoredEvent[],
  startNs: bigint,
  durationNs: bigint,
  features: Record<string, FeatureValue> | null,
): GenAiCallSignals {
  const quality: Record<string, FeatureValue> = {};
  const reason = finishReason(attrs);
  if (reason !== null) {
    quality[GENAI_QUALITY.truncated] = TRUNCATION_REASONS.has(reason) ? 'yes' : 'no';
    quality[GENAI_QUALITY.refused] = REFUSAL_REASONS.has(reason) ? 'yes' : 'no';
  }
  let out: Record<string, FeatureValue> | null = features ? { ...features } : null;
  let outputTokens: number | null = null;
  if (out) {
    for (const k of OUTPUT_TOKEN_FEATURES) {
      const v = out[k];
      if (typeof v === 'number' && outputTokens === null) outputTokens = v;
      delete out[k];
    }
    for (const k of TOTAL_TOKEN_FEATURES) delete out[k];
  }
  if (outputTokens !== null) {
    quality[GENAI_QUALITY.responseTokens] = outputTokens;
    // Without a finish reason, an answer as long as its limit was cut there.
    const maxTokens = num(attrs['gen_ai.request.max_tokens']);
    if (reason === null && maxTokens !== null && maxTokens > 0) quality[GENAI_QUALITY.truncated] = outputTokens >= maxTokens ? 'yes' : 'no';
    // What a throttled GPU or a saturated server lowers first, before answers get cut.
    if (outputTokens > 0 && durationNs > 0n) {
      out = { ...out, [GENAI_FEATURES.outputTokensPerSecond]: Math.round((outputTokens / (Number(durationNs) / 1e9)) * 100) / 100 };
    }
  }
  const ttft = timeToFirstTokenMs(attrs, events, startNs);
  if (ttft !== null) out = { ...out, [GENAI_FEATURES.timeToFirstTokenMs]: ttft };
  if (out && Object.keys(out).length === 0) out = null;
  // OpenLLMetry names the operation llm.request.type (chat, completion, embedding).
  const operation = text(attrs['gen_ai.operation.name']) ?? text(attrs['llm.request.type']) ?? text(attrs['openinference.span.kind'])?.toLowerCase() ?? null;
  return { operation, finishReason: reason, quality, features: out };
}

/** An evaluation result from an event's or a log record's attributes, or null. */
export function evaluationOf(attrs: AttributeMap): Evaluation | null {
  const name = text(attrs['gen_ai.evaluation.name']);
  if (name === null) return null;
  const score = num(attrs['gen_ai.evaluation.score.value'] ?? attrs['gen_ai.evaluation.score']);
  const label = text(attrs['gen_ai.evaluation.score.label'] ?? attrs['gen_ai.evaluation.label']);
  if (score === null && label === null) return null;
  return { name, score, label };
}

/** The evaluation results recorded as events on a span (about that span). */
export function spanEvaluations(events: readonly StoredEvent[]): Evaluation[] {
  const out: Evaluation[] = [];
  for (const e of events) {
    if (e.name !== EVALUATION_EVENT && !(e.attributes && typeof e.attributes === 'object' && 'gen_ai.evaluation.name' in e.attributes)) continue;
    const ev = e.attributes && typeof e.attributes === 'object' ? evaluationOf(e.attributes as AttributeMap) : null;
    if (ev) out.push(ev);
  }
  return out;
}

/** Whether a span is a retrieval: a vector store's, an OpenInference retriever, a GenAI retrieval operation. */
function isRetrieval(spanName: string, attrs: AttributeMap): boolean {
  const system = text(attrs['db.system.name']) ?? text(attrs['db.system']);
  if (system !== null && VECTOR_STORES.has(system.toLowerCase())) return true;
  if (text(attrs['openinference.span.kind']) === 'RETRIEVER') return true;
  const op = text(attrs['gen_ai.operation.name']);
  if (op !== null && /^retriev/.test(op)) return true;
  // By its name only when it says how many documents it returned: a failing
  // retrieve_user_profile query of an ordinary database is no empty RAG retrieval.
  return /retriev/i.test(spanName) && documentCount(attrs) !== null;
}

/** More documents than this is a malformed key, not a retrieval. */
const MAX_DOCUMENTS = 1_000_000;
const COUNT_KEYS = ['db.response.returned_rows', 'gen_ai.retrieval.documents.count', 'retrieval.documents.count', 'retrieval.document_count'];

/** How many documents the attributes say were returned: a count attribute, the OpenInference list, or its flattened keys. */
function documentCount(attrs: AttributeMap): number | null {
  for (const key of COUNT_KEYS) {
    const v = num(attrs[key]);
    if (v !== null && v >= 0) return Math.min(Math.floor(v), MAX_DOCUMENTS);
  }
  const list = attrs['retrieval.documents'];
  if (Array.isArray(list)) return list.length;
  let max = -1;
  for (const key in attrs) {
    const m = /^retrieval\.documents\.(\d+)\./.exec(key);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max >= 0 ? Math.min(max + 1, MAX_DOCUMENTS) : null;
}

/**
 * Documents a retrieval span returned, or null when the span is no retrieval or does not
 * say. A retrieval that failed (a timeout, an error) without a count returned nothing.
 */
export function retrievedDocuments(spanName: string, failed: boolean, attrs: AttributeMap): number | null {
  if (!isRetrieval(spanName, attrs)) return null;
  const n = documentCount(attrs);
  if (n !== null) return n;
  return failed ? 0 : null;
}
