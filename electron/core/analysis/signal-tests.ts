/**
 * One drift signal tested in every evaluated window (detect-drift.ts combines the signals):
 * its distribution test, its pile-up test for numeric values, and the noise floor a distance is
 * held to. Signals are independent of each other, so what this gives is plain data, and part of
 * a model's signals can be tested on the analysis's second thread (`SignalTestRequest`, answered
 * by `answerSignalTests` in quality-worker.ts) to the same answer as here.
 */
import type { AnalysisSettings } from '../../../shared/model/analysis.js';
import { NoiseThresholds } from './noise-threshold.js';
import {
  baselineFromSorted,
  compareWithBaseline,
  countsOf,
  mergeSorted,
  numericSample,
  pointMass,
  prepareBaseline,
  type Comparison,
  type PreparedBaseline,
} from './compare-samples.js';
import type { Column } from './model-data.js';
import { windowIndices, type Window, type WindowPlan } from './windows.js';

/** Windows with fewer values than this for a signal are not tested for it. */
export const MIN_WINDOW_VALUES = 30;

export interface SignalDef {
  signal: string;
  version: string | null;
  column: Column;
  /** Restricts both sides to one version (index into data.version.categories), or -1. */
  versionIndex: number;
  baseline: PreparedBaseline;
  /** Baseline prediction indices used for this signal (for counterfactuals). */
  baselineIdx: Int32Array;
}

/**
 * A signal whose baseline is prepared (sorted) when first asked for: a seasonal plan compares
 * every window with its own reference, so the pooled baseline of each signal, a week of
 * predictions sorted per signal (0.8 s of a 30-day report), was made for nothing.
 */
export function signalDef(signal: string, version: string | null, column: Column, versionIndex: number, baselineIdx: Int32Array): SignalDef {
  let prepared: PreparedBaseline | undefined;
  return {
    signal,
    version,
    column,
    versionIndex,
    baselineIdx,
    get baseline(): PreparedBaseline {
      return (prepared ??= prepareBaseline(column, baselineIdx));
    },
  };
}

/** What one signal showed in one evaluated window. */
export interface SignalTested {
  /** The window's position in plan.evaluated. */
  k: number;
  comparison: Comparison;
  /** The pile-up test (numeric pooled signals), when the window has a value to test. */
  mass: Comparison | null;
  /** For a distance (no p-value): the baseline's own noise at the window's size (noise-threshold.ts). */
  noise: number | null;
}

/** Each window's positions restricted to one version, made once per version and window. */
export class VersionPositions {
  private readonly byVersion = new Map<number, Map<number, Int32Array>>();
  constructor(private readonly versionValues: Int32Array | null) {}

  of(versionIndex: number, w: Window): Int32Array {
    const values = this.versionValues;
    if (versionIndex < 0 || !values) return windowIndices(w);
    let own = this.byVersion.get(versionIndex);
    if (!own) this.byVersion.set(versionIndex, (own = new Map()));
    let idx = own.get(w.index);
    if (!idx) own.set(w.index, (idx = windowIndices(w).filter((i) => values[i] === versionIndex)));
    return idx;
  }
}

/**
 * One signal's window samples: each window's sorted values (numeric columns) or counts, made
 * once. In a seasonal plan a window is also part of the references of the same hours later on;
 * there its samples are kept, and a reference is their merge (or sum) instead of a sort of its
 * own: a 30-day analysis sorted every reference again for every signal.
 */
class WindowSamples {
  private readonly sortedByWindow = new Map<number, Float64Array>();
  private readonly countsByWindow = new Map<number, number[]>();

  constructor(
    private readonly def: SignalDef,
    private readonly positions: (w: Window) => Int32Array,
    private readonly keep: boolean,
  ) {}

  sorted(w: Window, values: Float64Array): Float64Array {
    let s = this.sortedByWindow.get(w.index);
    if (!s) {
      s = numericSample(values, this.positions(w));
      if (this.keep) this.sortedByWindow.set(w.index, s);
    }
    return s;
  }

  counts(w: Window, values: Int32Array, categories: number): number[] {
    let c = this.countsByWindow.get(w.index);
    if (!c) {
      c = countsOf(values, categories, this.positions(w));
      if (this.keep) this.countsByWindow.set(w.index, c);
    }
    return c;
  }

  /** The baseline made of `parts`, as prepareBaseline would make it from their positions. */
  reference(parts: Window[]): PreparedBaseline {
    const column = this.def.column;
    if (column.type === 'numeric') return baselineFromSorted(mergeSorted(parts.map((p) => this.sorted(p, column.values))));
    const counts = new Array<number>(column.categories.length).fill(0);
    for (const p of parts) this.counts(p, column.values, column.categories.length).forEach((c, k) => (counts[k]! += c));
    return { type: 'categorical', counts };
  }
}

/** `def` in every evaluated window of `plan` with enough values; its window samples are kept only while it is tested. */
export function testSignal(
  def: SignalDef,
  plan: Pick<WindowPlan, 'evaluated' | 'references'>,
  positions: VersionPositions,
  settings: AnalysisSettings,
  noise: NoiseThresholds,
): SignalTested[] {
  const samples = new WindowSamples(def, (w) => positions.of(def.versionIndex, w), plan.references !== undefined);
  const out: SignalTested[] = [];
  plan.evaluated.forEach((w, k) => {
    const idx = positions.of(def.versionIndex, w);
    // A seasonal plan compares each window with its own reference (the same hours earlier).
    const reference = plan.references?.get(w.index);
    const baseline = reference ? samples.reference(reference) : def.baseline;
    // Sorted once for both the distribution test and the pile-up test.
    const sample = def.column.type === 'numeric' ? samples.sorted(w, def.column.values) : undefined;
    const comparison = compareWithBaseline(def.column, baseline, idx, settings, sample);
    if (comparison.windowCount < MIN_WINDOW_VALUES) return;
    // A drifted minority at one exact value (defaults, fallbacks) as a test of its own.
    const pile = def.column.type === 'numeric' && def.version === null ? pointMass(baseline, sample!) : null;
    out.push({
      k,
      comparison,
      mass: pile && {
        test: 'point_mass',
        statistic: pile.windowShare,
        pValue: pile.pValue,
        psi: 0,
        magnitude: comparison.magnitude,
        baselineCount: comparison.baselineCount,
        windowCount: comparison.windowCount,
        effect: pile.cohensH,
      },
      noise: comparison.pValue === null ? noise.threshold(def, comparison.windowCount) : null,
    });
  });
  return out;
}

/** Signals to test on another thread: their columns (numeric ones in shared memory cross without a copy) and the plan's windows. */
export interface SignalTestRequest {
  signals: { signal: string; version: string | null; column: Column; versionIndex: number; baselineIdx: Int32Array }[];
  windows: Window[];
  /** plan.evaluated as window indices. */
  evaluated: number[];
  /** plan.references as window indices. */
  references: [number, number[]][] | null;
  /** The version of each prediction, when a signal is restricted to one. */
  versionValues: Int32Array | null;
  settings: AnalysisSettings;
}

/** Where part of a model's signals are tested (the analysis's second thread), or null to test them all here. */
export type SignalTestSource = (request: SignalTestRequest) => Promise<SignalTested[][]> | null;

export function signalTestRequest(defs: SignalDef[], plan: WindowPlan, versionValues: Int32Array, settings: AnalysisSettings): SignalTestRequest {
  return {
    signals: defs.map(({ signal, version, column, versionIndex, baselineIdx }) => ({ signal, version, column, versionIndex, baselineIdx })),
    windows: plan.windows,
    evaluated: plan.evaluated.map((w) => w.index),
    references: plan.references ? [...plan.references].map(([w, parts]) => [w, parts.map((p) => p.index)]) : null,
    versionValues: defs.some((d) => d.versionIndex >= 0) ? versionValues : null,
    settings,
  };
}

/** The request's signals tested, each one's windows in order: what testSignal gives for them where they came from. */
export function answerSignalTests(request: SignalTestRequest): SignalTested[][] {
  const { windows, settings } = request;
  const plan = {
    evaluated: request.evaluated.map((i) => windows[i]!),
    references: request.references ? new Map(request.references.map(([w, parts]) => [w, parts.map((i) => windows[i]!)])) : undefined,
  };
  const positions = new VersionPositions(request.versionValues);
  const noise = new NoiseThresholds(settings);
  return request.signals.map((s) => testSignal(signalDef(s.signal, s.version, s.column, s.versionIndex, s.baselineIdx), plan, positions, settings, noise));
}
