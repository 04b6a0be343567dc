/**
 * Finds the windows where a model's outputs or inputs moved away from the baseline.
 *
 * Signals: score, confidence, label, a language model's quality signals ("quality:truncated",
 * "quality:eval.groundedness") and every feature (all versions pooled), the version mix,
 * and score and label per version (a new version is compared with what was served before
 * it, so a rollout that changes nothing stays quiet). KS and chi-square p-values are
 * Benjamini-Hochberg adjusted over every test of the model, so many features do not raise
 * alarms by chance; a finding needs `minWindows` drifted windows in a row (one quiet window
 * may interrupt). Distances must also exceed the baseline's own sampling noise for the
 * window's size (noise-threshold.ts): with 300 requests a window, normalised Wasserstein
 * between two samples of the same distribution is often above 0.1. A change in the version mix alone is not drift; it is reported beside
 * other signals as the finding it explains (a fallback to a "lite" model).
 */
import type { AnalysisSettings, DriftSignal } from '../../../shared/model/analysis.js';
import { QUALITY_SIGNAL_PREFIX } from '../../../shared/model/genai.js';
import { benjaminiHochberg } from '../stats/significance.js';
import type { Comparison } from './compare-samples.js';
import type { Column, ModelData } from './model-data.js';
import type { Window, WindowPlan } from './windows.js';
import { NoiseThresholds } from './noise-threshold.js';
import {
  MIN_WINDOW_VALUES,
  signalDef,
  signalTestRequest,
  testSignal,
  VersionPositions,
  type SignalDef,
  type SignalTested,
  type SignalTestSource,
} from './signal-tests.js';

export { MIN_WINDOW_VALUES, type SignalDef } from './signal-tests.js';

export const VERSION_MIX = 'version_mix';
/** The model's outputs: what a drift finding is about first (a language model's quality signals are outputs too). */
const OUTPUTS = ['score', 'label', 'confidence'];
export const isOutputSignal = (signal: string): boolean => OUTPUTS.includes(signal) || signal.startsWith(QUALITY_SIGNAL_PREFIX);
/** A version needs this many baseline predictions to be its own baseline. */
const MIN_VERSION_BASELINE = 100;

export interface SignalResult {
  def: SignalDef;
  window: Window;
  comparison: Comparison;
  adjustedP: number | null;
  drifted: boolean;
  /** ≥ 1 means drift. */
  ratio: number;
  /** The threshold applied: alpha for p-values; for distances the configured one or the baseline's own noise, whichever is higher. */
  threshold: number;
}

export interface DriftRun {
  windows: Window[];
  results: SignalResult[];
}

function filterVersion(data: ModelData, idx: Int32Array, versionIndex: number): Int32Array {
  if (versionIndex < 0) return idx;
  return idx.filter((i) => data.version.values[i] === versionIndex);
}

/** How many of `indices` have a value in `column` (what the prepared baseline would hold). */
function presentCount(column: Column, indices: Int32Array): number {
  let n = 0;
  if (column.type === 'numeric') {
    for (let i = 0; i < indices.length; i++) if (!Number.isNaN(column.values[indices[i]!]!)) n++;
  } else for (let i = 0; i < indices.length; i++) if (column.values[indices[i]!]! >= 0) n++;
  return n;
}

export function buildSignals(data: ModelData, plan: WindowPlan): SignalDef[] {
  const defs: SignalDef[] = [];
  const pooled = (signal: string, column: Column): void => {
    if (presentCount(column, plan.baseline) >= MIN_WINDOW_VALUES) defs.push(signalDef(signal, null, column, -1, plan.baseline));
  };
  pooled('score', data.score);
  pooled('confidence', data.confidence);
  pooled('label', data.label);
  if (data.version.categories.length > 1) pooled(VERSION_MIX, data.version);
  for (const [name, column] of [...data.quality].sort((a, b) => a[0].localeCompare(b[0]))) pooled(`${QUALITY_SIGNAL_PREFIX}${name}`, column);
  for (const [name, column] of [...data.features].sort((a, b) => a[0].localeCompare(b[0]))) pooled(`feature:${name}`, column);
  if (data.version.categories.length > 1) {
    data.version.categories.forEach((version, vi) => {
      const own = filterVersion(data, plan.baseline, vi);
      const baselineIdx = own.length >= MIN_VERSION_BASELINE ? own : plan.baseline;
      for (const [signal, column] of [
        ['score', data.score],
        ['label', data.label],
      ] as const) {
        if (presentCount(column, baselineIdx) >= MIN_WINDOW_VALUES) defs.push(signalDef(signal, version, column, vi, baselineIdx));
      }
    });
  }
  return defs;
}

const massDefs = new WeakMap<SignalDef, SignalDef>();
/** The point-mass signal of a numeric signal ("mass:feature:user_ctr"), one object per def. */
function massDef(def: SignalDef): SignalDef {
  let m = massDefs.get(def);
  // The def's properties as they are (a spread would prepare its baseline, a getter).
  if (!m)
    massDefs.set(
      def,
      (m = Object.defineProperties(
        {},
        { ...Object.getOwnPropertyDescriptors(def), signal: { value: `mass:${def.signal}`, enumerable: true, writable: true, configurable: true } },
      ) as SignalDef),
    );
  return m;
}

/** Tests one signal here, sharing the windows' version positions and the noise floors between signals. */
function tester(data: ModelData, plan: WindowPlan, settings: AnalysisSettings): (def: SignalDef) => SignalTested[] {
  const positions = new VersionPositions(data.version.values);
  const noise = new NoiseThresholds(settings);
  return (def) => testSignal(def, plan, positions, settings, noise);
}

/**
 * Every signal in every evaluated window, window by window (each window's in the order of the
 * signals); p-values adjusted over all of them, distances held to the larger of the configured
 * threshold and the baseline's noise.
 */
export function testWindows(data: ModelData, plan: WindowPlan, defs: SignalDef[], settings: AnalysisSettings): SignalResult[] {
  return combine(plan, defs, defs.map(tester(data, plan, settings)), settings);
}

/** The same with every other numeric signal tested on another thread (the analysis's second core), to the same answer. */
export async function testWindowsOnTwoThreads(
  data: ModelData,
  plan: WindowPlan,
  defs: SignalDef[],
  settings: AnalysisSettings,
  source: SignalTestSource,
): Promise<SignalResult[]> {
  const here = tester(data, plan, settings);
  // Numeric signals cost most (sorting, distances, noise floors): every other one goes there.
  const remote = new Set(defs.filter((d) => d.column.type === 'numeric').filter((_, k) => k % 2 === 1));
  const sent = remote.size ? source(signalTestRequest([...remote], plan, data.version.values, settings)) : null;
  sent?.catch(() => {}); // awaited below, unless a signal here fails first
  const tested = defs.map((def) => (sent && remote.has(def) ? null : here(def)));
  let replies: SignalTested[][] | null = null;
  try {
    replies = sent && (await sent);
  } catch {
    replies = null; // the thread failed: tested here instead, to the same answer
  }
  let next = 0;
  return combine(
    plan,
    defs,
    defs.map((def, k) => tested[k] ?? (replies ? replies[next++]! : here(def))),
    settings,
  );
}

function combine(plan: WindowPlan, defs: SignalDef[], tested: SignalTested[][], settings: AnalysisSettings): SignalResult[] {
  const byWindow: SignalResult[][] = plan.evaluated.map(() => []);
  const noiseOf = new Map<SignalResult, number>();
  defs.forEach((def, d) => {
    for (const t of tested[d]!) {
      const window: Window = plan.evaluated[t.k]!;
      const result: SignalResult = { def, window, comparison: t.comparison, adjustedP: null, drifted: false, ratio: 0, threshold: settings.alpha };
      byWindow[t.k]!.push(result);
      if (t.noise !== null) noiseOf.set(result, t.noise);
      if (t.mass) byWindow[t.k]!.push({ def: massDef(def), window, comparison: t.mass, adjustedP: null, drifted: false, ratio: 0, threshold: settings.alpha });
    }
  });
  const results = byWindow.flat();
  const withP = results.filter((r) => r.comparison.pValue !== null);
  const adjusted = benjaminiHochberg(withP.map((r) => r.comparison.pValue!));
  withP.forEach((r, i) => (r.adjustedP = adjusted[i]!));
  for (const r of results) {
    if (r.adjustedP !== null) {
      // A point mass must also be large (its Cohen's h at the distance threshold), not only significant.
      r.drifted = r.adjustedP < settings.alpha && (r.comparison.effect === undefined || r.comparison.effect >= settings.distanceThreshold);
      r.ratio = Math.min(10, settings.alpha / Math.max(r.adjustedP, 1e-12));
    } else {
      r.threshold = Math.max(settings.distanceThreshold, noiseOf.get(r) ?? 0);
      r.ratio = r.comparison.statistic / r.threshold;
      r.drifted = r.ratio >= 1;
    }
  }
  return results;
}

/** Runs of drifted windows (version mix alone does not count), at least `minWindows` drifted windows long. */
export function findRuns(plan: WindowPlan, results: SignalResult[], settings: AnalysisSettings): DriftRun[] {
  // A window counts when its drift is corroborated: two signals at once, or the same signal
  // in a neighbouring window. A lone signal in a lone window is what chance looks like.
  const bySignal = new Map<string, Set<number>>();
  const signalsAt = new Map<number, Set<string>>();
  for (const r of results) {
    if (!r.drifted || r.def.signal === VERSION_MIX) continue;
    const key = `${r.def.signal}\u0000${r.def.version ?? ''}`;
    if (!bySignal.has(key)) bySignal.set(key, new Set());
    bySignal.get(key)!.add(r.window.index);
    if (!signalsAt.has(r.window.index)) signalsAt.set(r.window.index, new Set());
    signalsAt.get(r.window.index)!.add(key);
  }
  const flagged = new Set<number>();
  for (const [w, keys] of signalsAt) {
    if (keys.size >= 2 || [...keys].some((k) => bySignal.get(k)!.has(w - 1) || bySignal.get(k)!.has(w + 1))) flagged.add(w);
  }
  const runs: DriftRun[] = [];
  let current: Window[] = [];
  let gap = 0;
  const close = (): void => {
    const drifted = current.filter((w) => flagged.has(w.index));
    if (drifted.length >= settings.minWindows) {
      const inRun = new Set(current.map((w) => w.index));
      runs.push({ windows: current, results: results.filter((r) => inRun.has(r.window.index)) });
    }
    current = [];
    gap = 0;
  };
  let previous = -2;
  for (const w of plan.evaluated) {
    // Evaluated windows around a pinned baseline are not neighbours: a run never spans it.
    if (w.index !== previous + 1 && current.length) close();
    previous = w.index;
    if (flagged.has(w.index)) {
      if (gap > 0 && current.length) current.push(...plan.windows.slice(current[current.length - 1]!.index + 1, w.index));
      current.push(w);
      gap = 0;
    } else if (current.length) {
      gap++;
      if (gap > 1) close();
    }
  }
  if (current.length) close();
  return runs;
}

/** The strongest drifted result per (signal, version) in a run, strongest first. */
export function runSignals(run: DriftRun): { signal: DriftSignal; result: SignalResult }[] {
  const best = new Map<string, SignalResult>();
  for (const r of run.results) {
    if (!r.drifted) continue;
    const key = `${r.def.signal}\u0000${r.def.version ?? ''}`;
    const prev = best.get(key);
    if (!prev || r.ratio > prev.ratio) best.set(key, r);
  }
  // Pooled signals first (outputs before inputs), then per-version ones; strongest first within.
  const rank = (r: SignalResult): number => (r.def.version !== null ? 3 : isOutputSignal(r.def.signal) ? 0 : r.def.signal === VERSION_MIX ? 1 : 2);
  return [...best.values()]
    .sort((a, b) => rank(a) - rank(b) || b.ratio - a.ratio)
    .map((r) => ({
      result: r,
      signal: {
        signal: r.def.signal,
        version: r.def.version,
        test: r.comparison.test,
        statistic: r.comparison.statistic,
        threshold: r.threshold,
        pValue: r.adjustedP,
        psi: r.comparison.psi,
        baselineCount: r.comparison.baselineCount,
        windowCount: r.comparison.windowCount,
      },
    }));
}
