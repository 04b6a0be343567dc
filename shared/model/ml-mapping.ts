/**
 * Which span and log attributes carry a model's predictions (DESIGN.md, "The AI lens").
 * Sightline's own `ml.*` names come first, then aliases seen in the wild; a user mapping
 * (Settings, or a JSON file) puts its names in front of these. Every list is tried in order
 * and the first attribute present wins.
 */

export interface MlAttributeMapping {
  modelName: string[];
  modelVersion: string[];
  score: string[];
  label: string[];
  confidence: string[];
  predictionId: string[];
  actualLabel: string[];
  actualScore: string[];
  /** Attribute-name prefixes whose suffix is a feature name (`ml.feature.ctr` → `ctr`). */
  featurePrefixes: string[];
  /** Attributes holding all features as one JSON object (string or map value). */
  featureObjects: string[];
}

export const ML_MAPPING_FIELDS = [
  'modelName',
  'modelVersion',
  'score',
  'label',
  'confidence',
  'predictionId',
  'actualLabel',
  'actualScore',
  'featurePrefixes',
  'featureObjects',
] as const satisfies readonly (keyof MlAttributeMapping)[];

export const DEFAULT_ML_MAPPING: MlAttributeMapping = {
  // A language model is the one asked for; the snapshot that answered (gpt-4o → gpt-4o-2024-08-06)
  // is its version, so a provider swapping snapshots under a name shows as a version change.
  modelName: ['ml.model.name', 'model.name', 'model_name', 'gen_ai.request.model', 'gen_ai.response.model', 'llm.model_name', 'embedding.model_name'],
  modelVersion: ['ml.model.version', 'model.version', 'model_version', 'gen_ai.response.model'],
  score: ['ml.prediction.score', 'model.output_prediction', 'model_prediction', 'prediction.score', 'prediction'],
  // A language model call needs neither: its finish reason, token counts and evaluations are
  // quality signals of their own (genai.ts).
  label: ['ml.prediction.label', 'prediction.label', 'predicted_label'],
  confidence: ['ml.prediction.confidence', 'model.confidence', 'confidence'],
  predictionId: ['ml.prediction.id', 'prediction.id', 'prediction_id'],
  actualLabel: ['ml.actual.label'],
  actualScore: ['ml.actual.score'],
  // Token usage of a language model call is its features (OpenTelemetry GenAI and OpenInference
  // names); the output tokens become the response-length quality signal.
  featurePrefixes: ['ml.feature.', 'gen_ai.usage.', 'llm.token_count.'],
  featureObjects: ['model.input_features', 'features.data'],
};

/** The user's names first, then the defaults, without repeats. */
export function mergeMapping(user: Partial<MlAttributeMapping>): MlAttributeMapping {
  const out = { ...DEFAULT_ML_MAPPING };
  for (const field of ML_MAPPING_FIELDS) {
    const extra = user[field] ?? [];
    out[field] = [...new Set([...extra, ...DEFAULT_ML_MAPPING[field]])];
  }
  return out;
}
