/**
 * BubbleUp for drift: any time range the user brushes on a model's timeline is compared
 * with the baseline on every signal (same tests and noise floors as the detector) and on
 * every infrastructure factor (same attribution). Causes are claimed only when a signal in
 * the selection actually drifted; the factor table is shown either way.
 */
import type { AnalysisSettings, SelectionComparison } from '../../../shared/model/analysis.js';
import { DEFAULT_ANALYSIS_SETTINGS } from '../../../shared/model/analysis.js';
import type { Db } from '../store/db.js';
import { attributeCauses } from './attribute-causes.js';
import { traceIdLookup } from './trace-id-lookup.js';
import { chainText, hitPhrase } from './analyze.js';
import { compareWithBaseline } from './compare-samples.js';
import { buildSignals, isOutputSignal, VERSION_MIX } from './detect-drift.js';
import { hostFactors, loadTraceFactors, metricFactors } from './load-factors.js';
import { listModels, loadModelData } from './model-data.js';
import { NoiseThresholds } from './noise-threshold.js';
import { MIN_PREDICTIONS, planWindows } from './windows.js';

export interface SelectionRequest {
  datasetId: number;
  model: string;
  fromMs: number;
  toMs: number;
  baseline?: { fromMs: number; toMs: number };
  settings?: Partial<AnalysisSettings>;
}

export class SelectionError extends Error {
  override name = 'SelectionError';
}

const iso = (ms: number): string => new Date(Math.round(ms)).toISOString();

export function explainSelection(db: Db, request: SelectionRequest): SelectionComparison {
  const settings = { ...DEFAULT_ANALYSIS_SETTINGS, ...request.settings };
  const key = listModels(db, { datasetId: request.datasetId, model: request.model })[0];
  if (!key) throw new SelectionError(`no predictions of model "${request.model}" in dataset ${request.datasetId}`);
  const data = loadModelData(db, key, {});
  if (data.n < MIN_PREDICTIONS) throw new SelectionError(`${data.n} predictions; at least ${MIN_PREDICTIONS} are needed`);
  const plan = planWindows(data.timeMs, request.baseline);
  const inBaseline = new Set(plan.baseline);
  const selection = Int32Array.from(
    (function* () {
      for (let i = 0; i < data.n; i++) if (data.timeMs[i]! >= request.fromMs && data.timeMs[i]! < request.toMs && !inBaseline.has(i)) yield i;
    })(),
  );
  if (selection.length < 30) throw new SelectionError(`the selection holds ${selection.length} predictions outside the baseline; at least 30 are needed`);
  const noise = new NoiseThresholds(settings);
  const defs = buildSignals(data, plan).filter((d) => d.version === null);
  const compared = defs
    .map((def) => {
      const c = compareWithBaseline(def.column, def.baseline, selection, settings);
      const pTest = c.pValue !== null;
      const threshold = pTest ? settings.alpha : Math.max(settings.distanceThreshold, noise.threshold(def, c.windowCount));
      const drifted = c.windowCount >= 30 && (pTest ? c.pValue! < threshold : c.statistic >= threshold);
      const ratio = pTest ? settings.alpha / Math.max(c.pValue!, 1e-12) : c.statistic / threshold;
      return {
        def,
        ratio,
        signal: {
          signal: def.signal,
          version: null,
          test: c.test,
          statistic: c.statistic,
          threshold,
          pValue: c.pValue,
          psi: c.psi,
          baselineCount: c.baselineCount,
          windowCount: c.windowCount,
          drifted,
        },
      };
    })
    .sort((a, b) => b.ratio - a.ratio);
  const isOutput = (c: (typeof compared)[number]): boolean => isOutputSignal(c.def.signal);
  const primary =
    compared.find((c) => isOutput(c) && c.signal.drifted) ??
    compared.find((c) => c.def.signal !== VERSION_MIX && c.signal.drifted) ??
    compared.find((c) => c.def.signal !== VERSION_MIX);
  if (!primary) throw new SelectionError('the model has no score, label or feature to compare');
  const factors = [...loadTraceFactors(db, data), ...metricFactors(db, data), ...hostFactors(data)];
  const attribution = attributeCauses({
    data,
    windows: plan.windows,
    baselineIdx: plan.baseline,
    runIdx: selection,
    primary: primary.def,
    factors,
    settings,
    referenceWindows: plan.baselineWindows,
    traceIdOf: traceIdLookup(db),
  });
  const drifted = primary.signal.drifted;
  const causes = drifted ? attribution.causes : [];
  const top = causes[0];
  const note = !drifted
    ? `The selection does not drift from the baseline on any signal, so no cause is claimed. ${attribution.candidates.length} factors are more frequent in it.`
    : top
      ? `${primary.def.signal} drifted in the selection; ${Math.round(top.explainedShare * 100)}% of it goes away when the ${hitPhrase(top.explainedVia ?? top.factor, top.explainedVia ? 'present' : top.evidence.hitRule)} are replaced by requests of the same minutes without it.${top.chain.length > 2 ? ` Chain: ${chainText(top)}.` : ''}`
      : `${primary.def.signal} drifted in the selection, and no infrastructure factor explains it (${attribution.compared} factors compared).`;
  return {
    datasetName: data.datasetName,
    model: data.model,
    selection: { start: iso(request.fromMs), end: iso(request.toMs), count: selection.length },
    baseline: { start: iso(plan.baselineStartMs), end: iso(plan.baselineEndMs), count: plan.baseline.length },
    signals: compared.map((c) => c.signal),
    causes,
    factors: attribution.candidates,
    note,
  };
}
