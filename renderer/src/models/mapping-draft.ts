/**
 * The attribute mapping as the form holds it: one text per field, names separated by commas,
 * turned into the mapping the core takes and checked with the contract's own saveMlMapping
 * schema, so the form refuses exactly what the core would.
 */
import { requestSchemas } from '../../../shared/api/contract.js';
import { ML_MAPPING_FIELDS, type MlAttributeMapping } from '../../../shared/model/ml-mapping.js';
import { problemsUnder } from '../app/schema-problems.js';

export type MappingField = (typeof ML_MAPPING_FIELDS)[number];
export type MappingDraft = Record<MappingField, string>;

/** What each field means, in the order the form shows them. */
export const MAPPING_FIELD_LABELS: Record<MappingField, string> = {
  modelName: 'Model name',
  modelVersion: 'Model version',
  score: 'Prediction (numeric score)',
  label: 'Predicted label (class)',
  confidence: 'Confidence',
  predictionId: 'Prediction ID (joins ground truth)',
  actualLabel: 'Actual label (ground truth)',
  actualScore: 'Actual score (ground truth)',
  featurePrefixes: 'Feature prefixes (prefix + feature name)',
  featureObjects: 'Feature objects (all features as one JSON object)',
};

export function draftOfMapping(m: Partial<MlAttributeMapping>): MappingDraft {
  return Object.fromEntries(ML_MAPPING_FIELDS.map((f) => [f, (m[f] ?? []).join(', ')])) as MappingDraft;
}

/** The names of one field: split at commas, trimmed, empty entries dropped. */
const namesOf = (text: string): string[] =>
  text
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);

/** The mapping a draft describes: only the fields that name something. */
export function mappingOfDraft(d: MappingDraft): Partial<MlAttributeMapping> {
  const out: Partial<MlAttributeMapping> = {};
  for (const f of ML_MAPPING_FIELDS) {
    const names = namesOf(d[f]);
    if (names.length) out[f] = names;
  }
  return out;
}

/** Each field's problem (`form`: one about the mapping as a whole), as the core would say it. */
export function mappingProblems(mapping: unknown): Partial<Record<MappingField | 'form', string>> {
  const parsed = requestSchemas.saveMlMapping.safeParse({ mapping });
  if (parsed.success) return {};
  const problems: Partial<Record<MappingField | 'form', string>> = {};
  for (const [field, message] of Object.entries(problemsUnder(parsed.error.issues, ['mapping']))) {
    const key = (ML_MAPPING_FIELDS as readonly string[]).includes(field) ? (field as MappingField) : 'form';
    problems[key] ??= key === 'form' && field ? `${field}: ${message}` : message;
  }
  return problems;
}
