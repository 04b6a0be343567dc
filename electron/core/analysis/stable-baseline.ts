/**
 * "The baseline is the earliest stable part": the default baseline (the first fifth of the
 * windows) moves later while one of its windows differs from the others in it, for the
 * model's main output (score, else label), judged with the same noise-aware threshold as drift.
 * A warm-up or an incident at the very start then becomes a finding instead of the reference.
 * If no stable run of that length exists in the first half of the data, the earliest is kept.
 */
import type { AnalysisSettings } from '../../../shared/model/analysis.js';
import { compareWithBaseline, prepareBaseline } from './compare-samples.js';
import type { Column, ModelData } from './model-data.js';
import { NoiseThresholds } from './noise-threshold.js';
import { windowIndices, type WindowPlan } from './windows.js';

function mainOutput(data: ModelData): { name: string; column: Column } | null {
  let n = 0;
  for (let i = 0; i < data.n; i++) if (!Number.isNaN(data.score.values[i]!)) n++;
  if (n >= data.n / 2) return { name: 'score', column: data.score };
  return data.label.categories.length ? { name: 'label', column: data.label } : null;
}

/** Index of the first window in [start, start + k) that differs from the rest of that range, or -1. */
function firstUnstable(data: ModelData, plan: WindowPlan, start: number, k: number, output: { name: string; column: Column }, noise: NoiseThresholds, settings: AnalysisSettings): number {
  const windows = plan.windows.slice(start, start + k);
  for (const w of windows) {
    const rest = Int32Array.from(windows.filter((o) => o !== w).flatMap((o) => Array.from(windowIndices(o))));
    const idx = windowIndices(w);
    if (rest.length < 30 || idx.length < 30) continue;
    const c = compareWithBaseline(output.column, prepareBaseline(output.column, rest), idx, settings);
    const threshold = c.pValue !== null ? null : Math.max(settings.distanceThreshold, noise.threshold({ signal: `stability:${output.name}`, version: null, column: output.column, baselineIdx: rest }, c.windowCount));
    const drifted = c.pValue !== null ? c.pValue < settings.alpha / k : c.statistic >= threshold!;
    if (drifted) return w.index;
  }
  return -1;
}

export function stableBaseline(data: ModelData, plan: WindowPlan, settings: AnalysisSettings): WindowPlan {
  const k = plan.windows.length - plan.evaluated.length;
  const output = mainOutput(data);
  if (!output || k < 2) return plan;
  const noise = new NoiseThresholds(settings);
  let start = 0;
  while (start + k <= Math.ceil(plan.windows.length / 2)) {
    const bad = firstUnstable(data, plan, start, k, output, noise, settings);
    if (bad < 0) break;
    start = bad + 1;
  }
  if (start === 0 || start + k > Math.ceil(plan.windows.length / 2)) return plan;
  const inBaseline = plan.windows.slice(start, start + k);
  const baseline = Int32Array.from(inBaseline.flatMap((w) => Array.from(windowIndices(w))));
  return {
    windows: plan.windows,
    baseline,
    baselineStartMs: inBaseline[0]!.startMs,
    baselineEndMs: inBaseline[inBaseline.length - 1]!.endMs,
    evaluated: plan.windows.filter((w) => w.index < start || w.index >= start + k),
  };
}
