/**
 * "The baseline is the earliest ordinary fifth": as many windows as a fifth of the range (at
 * least two), taken in time order, skipping
 *  - windows whose infrastructure is anomalous (anomalous-windows.ts: an early incident), and
 *  - windows whose main output (score, else label) differs from the other chosen ones, judged
 *    with the same noise-aware threshold as drift (a warm-up).
 * The skipped windows are evaluated like any other, so an early incident or a warm-up becomes
 * a finding instead of the reference. If the chosen windows would start in the second half, or
 * too few ordinary windows exist at all, the earliest fifth is kept.
 */
import type { AnalysisSettings } from '../../../shared/model/analysis.js';
import { baselineFromSorted, compareWithBaseline, countsOf, numericSample, sortedWithout, type PreparedBaseline } from './compare-samples.js';
import type { Column, ModelData } from './model-data.js';
import { NoiseThresholds } from './noise-threshold.js';
import { positionsOf, windowIndices, type Window, type WindowPlan } from './windows.js';

function mainOutput(data: ModelData): { name: string; column: Column } | null {
  let n = 0;
  for (let i = 0; i < data.n; i++) if (!Number.isNaN(data.score.values[i]!)) n++;
  if (n >= data.n / 2) return { name: 'score', column: data.score };
  return data.label.categories.length ? { name: 'label', column: data.label } : null;
}

/**
 * The first of `chosen` whose output differs from the others in it, or null. Each window is
 * compared with the other chosen windows: their values are all the chosen windows' values,
 * sorted (or counted) once, less the window's own, so no window sorts the rest again (this
 * search took 0.7 s of a 1M-prediction analysis when it did).
 */
function firstUnstable(chosen: Window[], output: { name: string; column: Column }, noise: NoiseThresholds, settings: AnalysisSettings): Window | null {
  const column = output.column;
  const allIdx = positionsOf(chosen);
  const allSorted = column.type === 'numeric' ? numericSample(column.values, allIdx) : null;
  const allCounts = column.type === 'categorical' ? countsOf(column.values, column.categories.length, allIdx) : null;
  for (const w of chosen) {
    const idx = windowIndices(w);
    if (allIdx.length - idx.length < 30 || idx.length < 30) continue;
    const sample = column.type === 'numeric' ? numericSample(column.values, idx) : undefined;
    let reference: PreparedBaseline;
    if (column.type === 'numeric') reference = baselineFromSorted(sortedWithout(allSorted!, sample!));
    else {
      const own = countsOf(column.values, column.categories.length, idx);
      reference = { type: 'categorical', counts: allCounts!.map((c, k) => c - own[k]!) };
    }
    const c = compareWithBaseline(column, reference, idx, settings, sample);
    // The rest's positions, made only when the noise floor is measured (it is cached by size).
    const subject = {
      signal: `stability:${output.name}`,
      version: null,
      column,
      get baselineIdx(): Int32Array {
        return positionsOf(chosen.filter((o) => o !== w));
      },
    };
    const threshold = c.pValue !== null ? null : Math.max(settings.distanceThreshold, noise.threshold(subject, c.windowCount));
    const drifted = c.pValue !== null ? c.pValue < settings.alpha / chosen.length : c.statistic >= threshold!;
    if (drifted) return w;
  }
  return null;
}

/** `anomalous`: windows whose infrastructure looks like an incident (never chosen). */
export function stableBaseline(data: ModelData, plan: WindowPlan, settings: AnalysisSettings, anomalous: Set<number> = new Set()): WindowPlan {
  const k = plan.windows.length - plan.evaluated.length;
  const output = mainOutput(data);
  if (k < 2) return plan;
  const noise = new NoiseThresholds(settings);
  // A warm-up is looked for in the first half; windows skipped for their infrastructure can
  // push the baseline further (an incident covering most of the early range).
  const half = Math.ceil(plan.windows.length / 2);
  const excluded = new Set(anomalous);
  let chosen: Window[];
  for (;;) {
    chosen = plan.windows.filter((w) => !excluded.has(w.index)).slice(0, k);
    // Windows skipped for their infrastructure extend the search; a disagreeing output alone
    // never pushes the baseline past the first half (it could land inside a long drift).
    const skippedForInfra = [...anomalous].filter((i) => i < half).length;
    if (chosen.length < k || chosen[chosen.length - 1]!.index >= half + skippedForInfra) return plan;
    const bad = output ? firstUnstable(chosen, output, noise, settings) : null;
    if (!bad) break;
    // Everything up to the window that disagrees goes: a warm-up settles, it does not come back.
    for (const w of chosen) if (w.index <= bad.index) excluded.add(w.index);
  }
  if (chosen.every((w, i) => w.index === i)) return plan;
  const baseline = positionsOf(chosen);
  const inBaseline = new Set(chosen.map((w) => w.index));
  return {
    windows: plan.windows,
    baseline,
    baselineStartMs: chosen[0]!.startMs,
    baselineEndMs: chosen[chosen.length - 1]!.endMs,
    baselineWindows: [...inBaseline],
    evaluated: plan.windows.filter((w) => !inBaseline.has(w.index)),
  };
}
