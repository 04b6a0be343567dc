/**
 * What the ML index takes from one span, worked out without the store: its prediction and
 * ground truth under the attribute mapping, a language model call's signals, retrieved
 * documents, evaluations and factor observations. The writer stores them (ml-index-writer.ts);
 * the decode worker works them out beside decoding (ingest/decoder-ml-facts.ts), so the writer,
 * the busier thread under ingest, only inserts them (the extraction was 3.2 s of its 20 s in a
 * bench:ingest profile, its regular expressions alone 0.9 s). They depend on nothing but the
 * span and the mapping, so either thread gets the same facts.
 */
import type { MlAttributeMapping } from '../../../shared/model/ml-mapping.js';
import type { SpanRecord } from '../otlp/model.js';
import { extractActual, extractPrediction, type AttributeMap } from './extract-prediction.js';
import { classifyFactors, factorsNeedAttributes, mayCarryFactors } from './classify-factors.js';
import { GENAI_HINT, genAiCallSignals, isGenAiCall, retrievedDocuments, spanEvaluations, type StoredEvent } from './genai-signals.js';
import type { SpanFacts, SpanPrediction } from '../../../shared/model/span-facts.js';

export type { BatchSpanFacts, SpanFacts } from '../../../shared/model/span-facts.js';

const STATUS_ERROR = 2;
/** Raw-text test for an evaluation result among a span's events or a log record's attributes. */
export const EVALUATION_HINT = '"gen_ai.evaluation.';

export function parseObject(json: string): AttributeMap {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as AttributeMap) : {};
  } catch {
    return {};
  }
}

const NO_ATTRIBUTES: AttributeMap = Object.freeze({});

function parseEvents(json: string | null): StoredEvent[] {
  if (!json) return [];
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? (v as StoredEvent[]) : [];
  } catch {
    return [];
  }
}

/** The span's facts under `mapping` (`prefilter`: mappingPrefilter(mapping)); null when it has none. */
export function spanFacts(span: SpanRecord, mapping: MlAttributeMapping, prefilter: RegExp): SpanFacts | null {
  const durationNs = span.endTimeUnixNano - span.startTimeUnixNano;
  const forFactors = {
    name: span.name,
    kind: span.kind,
    durationMs: Number(durationNs) / 1e6,
    statusCode: span.statusCode,
    statusMessage: span.statusMessage,
    attributesJson: span.attributesJson,
    eventsJson: span.eventsJson,
  };
  const mlHint = prefilter.test(span.attributesJson);
  const factorHint = mayCarryFactors(forFactors);
  const genAiHint = GENAI_HINT.test(span.attributesJson);
  const evaluationHint = span.eventsJson !== null && span.eventsJson.includes(EVALUATION_HINT);
  if (!mlHint && !factorHint && !genAiHint && !evaluationHint) return null;
  // Most spans classify from their name, kind, status and events alone: no parse for them.
  const attrs = mlHint || genAiHint || factorsNeedAttributes(span.attributesJson) ? parseObject(span.attributesJson) : NO_ATTRIBUTES;
  let events: StoredEvent[] | undefined;
  const eventsOf = (): StoredEvent[] => (events ??= parseEvents(span.eventsJson));
  const facts: SpanFacts = {};
  if (mlHint || genAiHint) {
    const p = extractPrediction(attrs, mapping);
    if (p) {
      const prediction: SpanPrediction = { ...p, quality: null, operation: null, finishReason: null };
      if (isGenAiCall(attrs)) {
        const g = genAiCallSignals(attrs, eventsOf(), span.startTimeUnixNano, durationNs, p.features);
        prediction.features = g.features;
        // Never NULL for a language model call: the analysis joins its evaluations and retrievals by it.
        prediction.quality = JSON.stringify(g.quality);
        prediction.operation = g.operation;
        prediction.finishReason = g.finishReason;
      }
      facts.prediction = prediction;
    }
    const a = extractActual(attrs, mapping);
    if (a) facts.actual = a;
  }
  if (genAiHint) {
    const documents = retrievedDocuments(span.name, span.statusCode === STATUS_ERROR, attrs);
    if (documents !== null) facts.documents = documents;
  }
  if (evaluationHint) {
    const evaluations = spanEvaluations(eventsOf());
    if (evaluations.length) facts.evaluations = evaluations;
  }
  if (factorHint) {
    const found = classifyFactors(forFactors, attrs, eventsOf());
    if (found.length) facts.factors = found;
  }
  return Object.keys(facts).length > 0 ? facts : null;
}
