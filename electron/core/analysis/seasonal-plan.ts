/**
 * A seasonal reference: when the data spans at least two days, each window is compared with
 * the same hours of the previous days (up to a week back), or with the same hours of the week
 * in earlier weeks when it spans two weeks. Real traffic has seasons: at night volume drops
 * and the user mix changes, so a window at 3 a.m. against a baseline pooled over whole days
 * "drifts" every night. Against 3 a.m. of the days before, it does not.
 *
 * Windows are aligned to the period (a width that divides 24 hours, chosen so a window holds
 * about 150 predictions on average); the first period only serves as reference; windows whose
 * infrastructure looks like an incident (anomalous-windows.ts) are left out of references.
 */
import { lowerBound, positionsOf, type Window, type WindowPlan } from './windows.js';

export const DAY_MS = 24 * 3600_000;
export const WEEK_MS = 7 * DAY_MS;
const WIDTHS_MS = [1, 2, 3, 4, 6, 8, 12, 24].map((h) => h * 3600_000);
const TARGET_PER_WINDOW = 150;
const MAX_WINDOWS = 400;
/** How many earlier periods a window's reference reaches back. */
const MAX_PERIODS_BACK = 7;
const MIN_REFERENCE = 30;

export type SeasonalKind = 'seasonal-daily' | 'seasonal-weekly';

/** The seasonal period the range allows, or null (less than two days). */
export function seasonalPeriod(timeMs: Float64Array): { kind: SeasonalKind; periodMs: number } | null {
  if (timeMs.length === 0) return null;
  const range = timeMs[timeMs.length - 1]! - timeMs[0]!;
  if (range >= 2 * WEEK_MS) return { kind: 'seasonal-weekly', periodMs: WEEK_MS };
  if (range >= 2 * DAY_MS) return { kind: 'seasonal-daily', periodMs: DAY_MS };
  return null;
}

/** Windows aligned to the period; the plan's per-window references are made by seasonalPlan. */
export function seasonalWindows(timeMs: Float64Array): Window[] {
  const n = timeMs.length;
  const t0 = timeMs[0]!;
  const t1 = timeMs[n - 1]! + 1;
  const range = t1 - t0;
  const width = WIDTHS_MS.find((w) => (n * w) / range >= TARGET_PER_WINDOW && range / w <= MAX_WINDOWS) ?? WIDTHS_MS[WIDTHS_MS.length - 1]!;
  const start = Math.floor(t0 / width) * width;
  const windows: Window[] = [];
  for (let s = start, k = 0; s < t1; s += width, k++) {
    windows.push({ index: k, startMs: s, endMs: s + width, from: lowerBound(timeMs, s), to: lowerBound(timeMs, s + width) });
  }
  return windows;
}

/** The plan: every window from the second period on is evaluated against the same windows of earlier periods. */
export function seasonalPlan(timeMs: Float64Array, periodMs: number, anomalous: Set<number>, windows: Window[] = seasonalWindows(timeMs)): WindowPlan | null {
  if (windows.length < 2) return null;
  const width = windows[0]!.endMs - windows[0]!.startMs;
  const perPeriod = Math.round(periodMs / width);
  const references = new Map<number, Window[]>();
  for (const w of windows) {
    const parts: Window[] = [];
    let count = 0;
    for (let back = 1; back <= MAX_PERIODS_BACK; back++) {
      const r = windows[w.index - back * perPeriod];
      if (!r || anomalous.has(r.index)) continue;
      parts.push(r);
      count += r.to - r.from;
    }
    if (count >= MIN_REFERENCE) references.set(w.index, parts);
  }
  const evaluated = windows.filter((w) => references.has(w.index) && w.to > w.from);
  if (evaluated.length === 0) return null;
  // The pooled baseline (for what needs one: hit rules' noise, signals' presence) is the first
  // period's ordinary windows.
  const firstPeriod = windows.filter((w) => w.index < perPeriod && !anomalous.has(w.index));
  const baseline = positionsOf(firstPeriod);
  return {
    windows,
    baseline,
    baselineStartMs: windows[0]!.startMs,
    baselineEndMs: windows[Math.min(perPeriod, windows.length) - 1]!.endMs,
    baselineWindows: firstPeriod.map((w) => w.index),
    evaluated,
    references,
  };
}

/** The reference of a run of windows: the union of their seasonal references, in time order. */
export function runReference(plan: WindowPlan, first: number, last: number): Int32Array | null {
  if (!plan.references) return null;
  const seen = new Map<number, Window>();
  for (let k = first; k <= last; k++) for (const w of plan.references.get(k) ?? []) seen.set(w.index, w);
  return positionsOf([...seen.values()].sort((a, b) => a.index - b.index));
}
