/**
 * Reads a prediction (and ground truth) out of one span's or log record's attributes, using
 * the attribute mapping. Attributes arrive as stored JSON text; most spans carry nothing of
 * interest, so a regular expression over the text decides whether parsing is worth it.
 */
import type { MlAttributeMapping } from '../../../shared/model/ml-mapping.js';
import type { ExtractedActual, ExtractedPrediction, FeatureValue } from '../../../shared/model/span-facts.js';
import { agentName, isGenAiCall } from './genai-signals.js';

export type { ExtractedActual, ExtractedPrediction, FeatureValue };

export type AttributeMap = Record<string, unknown>;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A test on the raw stored-JSON text: true when any mapped key may be present. */
export function mappingPrefilter(mapping: MlAttributeMapping): RegExp {
  const exact = [...mapping.modelName, ...mapping.score, ...mapping.label, ...mapping.predictionId, ...mapping.actualLabel, ...mapping.actualScore].map(
    (k) => `"${escapeRegExp(k)}"`,
  );
  return new RegExp(exact.join('|'));
}

function first(attrs: AttributeMap, keys: readonly string[]): unknown {
  for (const k of keys) {
    const v = attrs[k];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

function asNumber(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function asText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  // A list (one value per choice): the first choice's.
  if (Array.isArray(v)) return v.length > 0 ? asText(v[0]) : null;
  return null;
}

function featureValue(v: unknown): FeatureValue | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return v;
  return null;
}

function readFeatures(attrs: AttributeMap, mapping: MlAttributeMapping): Record<string, FeatureValue> | null {
  const out: Record<string, FeatureValue> = {};
  let any = false;
  for (const key of mapping.featureObjects) {
    let obj = attrs[key];
    if (typeof obj === 'string') {
      try {
        obj = JSON.parse(obj);
      } catch {
        continue;
      }
    }
    if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
      for (const [name, raw] of Object.entries(obj as Record<string, unknown>)) {
        const v = featureValue(raw);
        if (v !== null) {
          out[name] = v;
          any = true;
        }
      }
    }
  }
  for (const [key, raw] of Object.entries(attrs)) {
    for (const prefix of mapping.featurePrefixes) {
      if (key.startsWith(prefix) && key.length > prefix.length) {
        const v = featureValue(raw);
        if (v !== null) {
          out[key.slice(prefix.length)] = v;
          any = true;
        }
      }
    }
  }
  return any ? out : null;
}

/** A prediction when the attributes name a model and carry a score or a label, or describe a language model call; else null. */
export function extractPrediction(attrs: AttributeMap, mapping: MlAttributeMapping): ExtractedPrediction | null {
  const modelName = agentName(attrs) ?? asText(first(attrs, mapping.modelName));
  if (!modelName) return null;
  const score = asNumber(first(attrs, mapping.score));
  const label = asText(first(attrs, mapping.label));
  if (score === null && label === null && !isGenAiCall(attrs)) return null;
  return {
    modelName,
    modelVersion: asText(first(attrs, mapping.modelVersion)) ?? 'unversioned',
    score,
    label,
    confidence: asNumber(first(attrs, mapping.confidence)),
    predictionId: asText(first(attrs, mapping.predictionId)),
    features: readFeatures(attrs, mapping),
  };
}

/** Ground truth (`ml.actual.*` with a prediction ID), from a span or a log record; else null. */
export function extractActual(attrs: AttributeMap, mapping: MlAttributeMapping): ExtractedActual | null {
  const predictionId = asText(first(attrs, mapping.predictionId));
  if (!predictionId) return null;
  const label = asText(first(attrs, mapping.actualLabel));
  const score = asNumber(first(attrs, mapping.actualScore));
  if (label === null && score === null) return null;
  return { predictionId, label, score };
}
