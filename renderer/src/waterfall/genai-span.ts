/**
 * What a span says as a language model call, for the span detail: its token counts
 * (OpenTelemetry GenAI `gen_ai.usage.*`, older `prompt_tokens`/`completion_tokens`, OpenInference
 * `llm.token_count.*`) and its evaluation results (`gen_ai.evaluation.result`, as span events or
 * as log records parented to the span). Pure, and read only for the one span that is open.
 */
import type { Attributes, LogRecordView, SpanEventView } from '../../../shared/model/telemetry.js';
import { EVALUATION_EVENT } from '../../../shared/model/genai.js';

export interface SpanTokens {
  input: number | null;
  output: number | null;
}

export interface SpanEvaluation {
  name: string;
  score: number | null;
  label: string | null;
  source: 'event' | 'log';
}

const INPUT_KEYS = ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt'];
const OUTPUT_KEYS = ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion'];

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function first(attrs: Attributes, keys: string[]): number | null {
  for (const k of keys) {
    const v = num(attrs[k]);
    if (v !== null) return v;
  }
  return null;
}

/** Whether the span is a language model call (an operation, an OpenInference LLM span, or token usage). */
export function isLanguageModelSpan(attrs: Attributes): boolean {
  if (text(attrs['gen_ai.operation.name']) !== null || attrs['openinference.span.kind'] === 'LLM') return true;
  return first(attrs, INPUT_KEYS) !== null || first(attrs, OUTPUT_KEYS) !== null;
}

export function spanTokens(attrs: Attributes): SpanTokens | null {
  const input = first(attrs, INPUT_KEYS);
  const output = first(attrs, OUTPUT_KEYS);
  return input === null && output === null ? null : { input, output };
}

function evaluation(attrs: Attributes, source: SpanEvaluation['source']): SpanEvaluation | null {
  const name = text(attrs['gen_ai.evaluation.name']);
  if (name === null) return null;
  return { name, score: num(attrs['gen_ai.evaluation.score.value']), label: text(attrs['gen_ai.evaluation.score.label']), source };
}

/** The span's evaluation results: its events first, then log records that carry one. */
export function spanEvaluations(events: SpanEventView[], logs: LogRecordView[]): SpanEvaluation[] {
  const out: SpanEvaluation[] = [];
  for (const e of events) {
    const r = e.name === EVALUATION_EVENT ? evaluation(e.attributes, 'event') : null;
    if (r) out.push(r);
  }
  for (const l of logs) {
    const r = evaluation(l.attributes, 'log');
    if (r) out.push(r);
  }
  return out;
}
