/**
 * What the ML index takes from one span (electron/core/ml/span-facts.ts works it out): the
 * shapes alone, here so a decoded batch can carry them from the decode worker to the writer
 * (otlp/model.ts) without the ML code.
 */
import type { FactorKind } from './factor-kinds.js';

export type FeatureValue = number | string;

export interface ExtractedPrediction {
  modelName: string;
  modelVersion: string;
  score: number | null;
  label: string | null;
  confidence: number | null;
  predictionId: string | null;
  features: Record<string, FeatureValue> | null;
}

export interface ExtractedActual {
  predictionId: string;
  label: string | null;
  score: number | null;
}

export interface Evaluation {
  name: string;
  score: number | null;
  label: string | null;
}

export interface FactorObservation {
  kind: FactorKind;
  /** What was measured, e.g. "feature-store.read duration" or "model.predict gpu.temperature_c". */
  name: string;
  /** 'ms' for durations, 'count' for events and errors (hit when ≥ 1), '' for other measures. */
  unit: string;
  value: number;
}

export interface SpanPrediction extends ExtractedPrediction {
  /** A language model call's quality signals as JSON (never null for one), its operation and finish reason. */
  quality: string | null;
  operation: string | null;
  finishReason: string | null;
}

/** Facts of one span; absent parts are left out. */
export interface SpanFacts {
  prediction?: SpanPrediction;
  actual?: ExtractedActual;
  /** How many documents a retrieval brought back. */
  documents?: number;
  evaluations?: Evaluation[];
  factors?: FactorObservation[];
}

/**
 * Facts worked out for a batch's spans before it reached the writer: a JSON array of each span's
 * SpanFacts or null, in span order (each group's spans, group after group), under the mapping
 * whose settings text was `mapping` (null: none saved). One string rather than thousands of
 * small objects while the batch waits for the writer (under overload, many do). The writer uses
 * them only under the same mapping, and only for a batch redacted before they were made (the
 * facts are of the stored, redacted span).
 */
export interface BatchSpanFacts {
  mapping: string | null;
  json: string;
}
