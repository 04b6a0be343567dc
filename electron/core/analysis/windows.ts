/**
 * Time windows over a model's predictions and the baseline they are compared against.
 * Defaults follow the data: about 300 predictions per window (between 6 and 48 windows) so
 * each window's sample is large enough for a stable distance, and the baseline starts as the
 * earliest fifth of the range (at least two windows): the part before anything happened, in
 * the common case of looking back at an incident (stable-baseline.ts then skips windows that
 * look like an incident or a warm-up). A pinned period overrides it.
 */

export interface Window {
  index: number;
  startMs: number;
  endMs: number;
  /** Prediction indices [from, to) — predictions are sorted by time. */
  from: number;
  to: number;
}

export interface WindowPlan {
  windows: Window[];
  /** Prediction indices of the baseline. */
  baseline: Int32Array;
  baselineStartMs: number;
  baselineEndMs: number;
  /** Indices of the windows the baseline is made of (none for a pinned period or another version). */
  baselineWindows: number[];
  /**
   * Seasonal plans: each evaluated window's own reference, the same hours of earlier days, as
   * the windows it is made of (so a drift test can merge their sorted values: testWindows).
   */
  references?: Map<number, Window[]>;
  /** Windows that are compared with the baseline (those after a default baseline; all but overlapping ones for a pinned one). */
  evaluated: Window[];
}

export const TARGET_PER_WINDOW = 300;
export const MIN_WINDOWS = 6;
export const MAX_WINDOWS = 48;
/** Fewer predictions than this and a model is not analysed. */
export const MIN_PREDICTIONS = 200;

/** The first index whose time is ≥ t (times sorted). */
export function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function planWindows(timeMs: Float64Array, pinned?: { fromMs: number; toMs: number }): WindowPlan {
  const n = timeMs.length;
  const t0 = timeMs[0]!;
  const t1 = timeMs[n - 1]! + 1;
  const count = Math.min(MAX_WINDOWS, Math.max(MIN_WINDOWS, Math.floor(n / TARGET_PER_WINDOW)));
  const width = (t1 - t0) / count;
  const windows: Window[] = [];
  for (let k = 0; k < count; k++) {
    const startMs = t0 + k * width;
    const endMs = k === count - 1 ? t1 : t0 + (k + 1) * width;
    windows.push({ index: k, startMs, endMs, from: lowerBound(timeMs, startMs), to: lowerBound(timeMs, endMs) });
  }
  if (pinned) {
    const from = lowerBound(timeMs, pinned.fromMs);
    const to = lowerBound(timeMs, pinned.toMs);
    const baseline = indexRange(from, to);
    const evaluated = windows.filter((w) => w.endMs <= pinned.fromMs || w.startMs >= pinned.toMs);
    return {
      windows,
      baseline,
      baselineStartMs: pinned.fromMs,
      baselineEndMs: pinned.toMs,
      baselineWindows: windows.filter((w) => w.startMs >= pinned.fromMs && w.endMs <= pinned.toMs).map((w) => w.index),
      evaluated,
    };
  }
  const baselineWindows = Math.max(2, Math.ceil(count / 5));
  const end = windows[baselineWindows - 1]!;
  const baseline = indexRange(0, end.to);
  return {
    windows,
    baseline,
    baselineStartMs: t0,
    baselineEndMs: end.endMs,
    baselineWindows: windows.slice(0, baselineWindows).map((w) => w.index),
    evaluated: windows.slice(baselineWindows),
  };
}

/** The positions from … to - 1 (a plain loop: Int32Array.from with a callback cost ~10× more on million-position ranges). */
export function indexRange(from: number, to: number): Int32Array {
  const out = new Int32Array(Math.max(0, to - from));
  for (let i = 0; i < out.length; i++) out[i] = from + i;
  return out;
}

export function windowIndices(w: Window): Int32Array {
  return indexRange(w.from, w.to);
}

/** The positions of `windows`, in their order (each window's ascending). */
export function positionsOf(windows: readonly Window[]): Int32Array {
  const out = new Int32Array(windows.reduce((sum, w) => sum + (w.to - w.from), 0));
  let k = 0;
  for (const w of windows) for (let i = w.from; i < w.to; i++) out[k++] = i;
  return out;
}
