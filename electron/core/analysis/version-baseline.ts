/**
 * "Compare against another version": the baseline is every prediction of one version, and
 * the windows hold the other versions only. The model's columns are reordered (baseline
 * version first, then the rest, each in time order), so the rest of the analysis keeps
 * working on contiguous index ranges.
 */
import type { Column, ModelData } from './model-data.js';
import { indexRange, planWindows, type WindowPlan } from './windows.js';
import { sharedPermuted } from './shared-columns.js';

function permuteColumn(c: Column, order: Int32Array): Column {
  return c.type === 'numeric'
    ? { type: 'numeric', values: sharedPermuted(c.values, order) }
    : { type: 'categorical', values: Int32Array.from(order, (i) => c.values[i]!), categories: c.categories };
}

export function versionBaseline(data: ModelData, version: string): { data: ModelData; plan: WindowPlan } | { error: string } {
  const vi = data.version.categories.indexOf(version);
  if (vi < 0) return { error: `version "${version}" was not served in scope` };
  const base: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < data.n; i++) (data.version.values[i] === vi ? base : rest).push(i);
  if (base.length < 30 || rest.length < 30)
    return { error: `version "${version}" has ${base.length} predictions and the others ${rest.length}; at least 30 each are needed` };
  const order = Int32Array.from([...base, ...rest]);
  const features = new Map<string, Column>();
  for (const [name, c] of data.features) features.set(name, permuteColumn(c, order));
  const quality = new Map<string, Column>();
  for (const [name, c] of data.quality) quality.set(name, permuteColumn(c, order));
  const permuted: ModelData = {
    ...data,
    timeMs: Float64Array.from(order, (i) => data.timeMs[i]!),
    traceSeq: sharedPermuted(data.traceSeq, order),
    version: permuteColumn(data.version, order) as ModelData['version'],
    host: permuteColumn(data.host, order) as ModelData['host'],
    score: permuteColumn(data.score, order) as ModelData['score'],
    confidence: permuteColumn(data.confidence, order) as ModelData['confidence'],
    label: permuteColumn(data.label, order) as ModelData['label'],
    features,
    quality,
  };
  const nb = base.length;
  const others = planWindows(permuted.timeMs.subarray(nb));
  const windows = others.windows.map((w) => ({ ...w, from: w.from + nb, to: w.to + nb }));
  const plan: WindowPlan = {
    windows,
    baselineWindows: [],
    evaluated: windows,
    baseline: indexRange(0, nb),
    baselineStartMs: permuted.timeMs[0]!,
    baselineEndMs: permuted.timeMs[nb - 1]! + 1,
  };
  return { data: permuted, plan };
}
