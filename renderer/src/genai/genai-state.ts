/**
 * The GenAI page's own URL parameters (the data context travels beside them): which model and
 * operation of which dataset is shown. `gds` keeps the group's dataset apart from the context's
 * `dataset`, as Models' `mds` does.
 */
import type { GenAiGroup } from '../../../shared/model/genai.js';

export interface GenAiViewState {
  dataset?: number;
  model?: string;
  /** `gen_ai.operation.name` of the chosen group; '' when its calls did not say. */
  operation?: string;
}

export function readGenAiState(p: URLSearchParams): GenAiViewState {
  const ds = p.get('gds');
  return {
    dataset: ds && /^\d{1,9}$/.test(ds) ? Number(ds) : undefined,
    model: p.get('model') || undefined,
    operation: p.has('op') ? (p.get('op') ?? '') : undefined,
  };
}

export function genAiParams(s: GenAiViewState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.dataset !== undefined) p.set('gds', String(s.dataset));
  if (s.model) p.set('model', s.model);
  if (s.operation !== undefined) p.set('op', s.operation);
  return p;
}

export const groupState = (g: GenAiGroup): GenAiViewState => ({ dataset: g.datasetId, model: g.model, operation: g.operation });

export const groupKey = (g: GenAiGroup): string => `${g.datasetId}/${g.model}/${g.operation}`;

/** The group the URL names; else the busiest one that answers (chat before embeddings); else the first. */
export function chooseGroup(groups: GenAiGroup[], s: GenAiViewState): GenAiGroup | undefined {
  const fits = (g: GenAiGroup): boolean =>
    (s.dataset === undefined || g.datasetId === s.dataset) && (!s.model || g.model === s.model) && (s.operation === undefined || g.operation === s.operation);
  return groups.find(fits) ?? groups.find((g) => g.finishReasons.length > 0) ?? groups[0];
}
