/** Drift and its causes: analysis, a brushed selection, the attribute mapping of predictions. */
import { z } from 'zod';
import { ML_MAPPING_FIELDS } from '../../model/ml-mapping.js';
import { datasetId, RANGE_MESSAGE, rangeInOrder, timeRange } from './common.js';

const attributeNames = z
  .array(z.string().min(1, 'an attribute name cannot be empty').max(200, 'an attribute name is at most 200 characters'))
  .max(50, 'at most 50 names per field');
/** A user attribute mapping: for each field, attribute names tried before the defaults. */
export const mlMappingSchema = z
  .object(
    Object.fromEntries(ML_MAPPING_FIELDS.map((f) => [f, attributeNames.optional()])) as Record<
      (typeof ML_MAPPING_FIELDS)[number],
      z.ZodOptional<typeof attributeNames>
    >,
  )
  .strict();

const baselineInOrder = (r: { baselineFromMs?: number | undefined; baselineToMs?: number | undefined }): boolean =>
  r.baselineFromMs === undefined || r.baselineToMs === undefined || r.baselineToMs > r.baselineFromMs;

export const analysisSchemas = {
  /**
   * Drift per model and version in scope, with ranked infrastructure causes, and the
   * per-model timelines the Models page draws. Runs in a worker thread.
   */
  analyze: z
    .object({
      datasetId: datasetId.optional(),
      service: z.string().min(1).optional(),
      model: z.string().min(1).optional(),
      ...timeRange,
      baselineFromMs: z.number().optional(),
      baselineToMs: z.number().optional(),
      /** Compare the other versions with this one instead of with an earlier period. */
      baselineVersion: z.string().min(1).optional(),
      /** Significance for KS and chi-square (default 0.05). */
      alpha: z.number().gt(0).lt(1).optional(),
      /** Threshold for normalised Wasserstein and Jensen-Shannon distance (default 0.1). */
      distanceThreshold: z.number().gt(0).max(10).optional(),
    })
    .strict()
    .refine((r) => (r.baselineFromMs === undefined) === (r.baselineToMs === undefined), 'baselineFromMs and baselineToMs go together')
    .refine(baselineInOrder, 'the baseline must end after it starts')
    .refine((r) => r.baselineVersion === undefined || r.baselineFromMs === undefined, 'choose one baseline: a period or a version')
    .refine(rangeInOrder, RANGE_MESSAGE),
  /** Language model calls per model and operation: rates, latencies, tokens, finish reasons, evaluations, retrievals, exemplars. */
  genAiOverview: z
    .object({
      datasetId: datasetId.optional(),
      model: z.string().min(1).optional(),
      ...timeRange,
      /** Time buckets of the series (default 60). */
      buckets: z.number().int().min(1).max(500).optional(),
    })
    .strict()
    .refine(rangeInOrder, RANGE_MESSAGE),
  /** Compares a brushed time range of one model with its baseline on every signal and factor. */
  explainSelection: z
    .object({
      datasetId,
      model: z.string().min(1),
      fromMs: z.number(),
      toMs: z.number(),
      baselineFromMs: z.number().optional(),
      baselineToMs: z.number().optional(),
    })
    .strict()
    .refine((r) => r.toMs > r.fromMs, RANGE_MESSAGE)
    .refine((r) => (r.baselineFromMs === undefined) === (r.baselineToMs === undefined), 'baselineFromMs and baselineToMs go together')
    .refine(baselineInOrder, 'the baseline must end after it starts'),
  /** The user's attribute mapping and the effective one (user names first, then the defaults). */
  getMlMapping: z.object({}).strict(),
  /** Saves the user's attribute mapping and re-extracts predictions from the stored spans. */
  saveMlMapping: z.object({ mapping: mlMappingSchema }).strict(),
};
