/** Drift and its causes (in a worker thread), the GenAI view's numbers, and the attribute mapping of predictions. */
import type { ApiImplementation } from '../../../shared/api/contract.js';
import { mergeMapping } from '../../../shared/model/ml-mapping.js';
import { readUserMapping, writeUserMapping } from '../ml/mapping-settings.js';
import type { CoreContext } from './core-context.js';
import { genAiOverview } from '../genai/genai-overview.js';

type AnalysisMethods = 'analyze' | 'explainSelection' | 'genAiOverview' | 'getMlMapping' | 'saveMlMapping';

const baselineOf = (r: { baselineFromMs?: number | undefined; baselineToMs?: number | undefined }): { fromMs: number; toMs: number } | undefined =>
  r.baselineFromMs !== undefined && r.baselineToMs !== undefined ? { fromMs: r.baselineFromMs, toMs: r.baselineToMs } : undefined;

export function analysisService(ctx: CoreContext): Pick<ApiImplementation, AnalysisMethods> {
  return {
    analyze: (r) =>
      ctx.runJob({
        kind: 'analyze',
        options: {
          datasetId: r.datasetId,
          service: r.service,
          model: r.model,
          fromMs: r.fromMs,
          toMs: r.toMs,
          baseline: baselineOf(r),
          baselineVersion: r.baselineVersion,
          settings: {
            ...(r.alpha !== undefined ? { alpha: r.alpha } : {}),
            ...(r.distanceThreshold !== undefined ? { distanceThreshold: r.distanceThreshold } : {}),
          },
        },
      }),
    explainSelection: (r) =>
      ctx.runJob({ kind: 'explainSelection', request: { datasetId: r.datasetId, model: r.model, fromMs: r.fromMs, toMs: r.toMs, baseline: baselineOf(r) } }),
    genAiOverview: (r) => genAiOverview(ctx.reader, r),
    getMlMapping: () => {
      const user = readUserMapping(ctx.reader);
      return { user, effective: mergeMapping(user) };
    },
    saveMlMapping: async (r) => {
      ctx.withWriter((db) => writeUserMapping(db, r.mapping));
      return ctx.runJob({ kind: 'reextract' });
    },
  };
}
