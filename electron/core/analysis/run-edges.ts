/**
 * Where a finding begins and ends, below the window size. Drift tests work on windows of
 * ~300 requests, which at 120 requests/s put edges seconds off (minutes on a day of traffic),
 * and a partial incident (15% of requests hit) may drift clearly in only some of its windows.
 *
 * 1. The run follows its cause: neighbouring windows where the root cause's hit rate stays well
 *    above the baseline's join the run, so an incident is covered as long as its cause lasts.
 * 2. The edges are change points on the per-request series inside the edge windows: the root
 *    cause's hits (0/1) when there is one, two Bernoulli segments by maximum likelihood; else the
 *    primary signal's values, by the rank CUSUM (distribution-free).
 */
import type { Window } from './windows.js';

export interface RunSpan {
  first: Window;
  last: Window;
}

/** Whether a window's hit rate is clearly above the baseline's (a 3-sigma binomial excess and at least double). */
export function elevated(hits: number, n: number, baselineRate: number): boolean {
  if (n === 0) return false;
  const rate = hits / n;
  const sd = Math.sqrt(Math.max(baselineRate * (1 - baselineRate), 1e-4) / n);
  return rate >= 2 * baselineRate && rate >= baselineRate + 3 * sd + 0.01;
}

/** Grows the run over evaluated neighbours where `hit` stays elevated. */
export function extendByCause(span: RunSpan, windows: Window[], evaluated: Set<number>, hit: (i: number) => boolean, baselineRate: number): RunSpan {
  const isElevated = (w: Window): boolean => {
    let hits = 0;
    for (let i = w.from; i < w.to; i++) if (hit(i)) hits++;
    return elevated(hits, w.to - w.from, baselineRate);
  };
  let { first, last } = span;
  for (let k = first.index - 1; k >= 0 && evaluated.has(k) && isElevated(windows[k]!); k--) first = windows[k]!;
  for (let k = last.index + 1; k < windows.length && evaluated.has(k) && isElevated(windows[k]!); k++) last = windows[k]!;
  return { first, last };
}

const bernoulliLL = (ones: number, n: number): number => {
  if (n === 0 || ones === 0 || ones === n) return 0;
  const p = ones / n;
  return ones * Math.log(p) + (n - ones) * Math.log(1 - p);
};

/**
 * The index in [from, to) where a 0/1 series changes most likely (two Bernoulli segments), with
 * the later segment higher ('rise') or lower ('fall'); null when no split is better than none.
 */
export function binaryChangePoint(x: (i: number) => number, from: number, to: number, direction: 'rise' | 'fall'): number | null {
  const n = to - from;
  if (n < 4) return null;
  let total = 0;
  for (let i = from; i < to; i++) total += x(i);
  let best: { k: number; ll: number } | null = null;
  let left = 0;
  for (let k = from + 1; k < to; k++) {
    left += x(k - 1);
    const nl = k - from;
    const nr = to - k;
    const pl = left / nl;
    const pr = (total - left) / nr;
    if (direction === 'rise' ? pr <= pl : pr >= pl) continue;
    const ll = bernoulliLL(left, nl) + bernoulliLL(total - left, nr);
    if (!best || ll > best.ll) best = { k, ll };
  }
  return best && best.ll > bernoulliLL(total, n) ? best.k : null;
}

/** The index in [from, to) where a numeric series shifts most (rank CUSUM, scaled), or null. */
export function rankChangePoint(values: Float64Array, from: number, to: number): number | null {
  const idx: number[] = [];
  for (let i = from; i < to; i++) if (!Number.isNaN(values[i]!)) idx.push(i);
  const n = idx.length;
  if (n < 8) return null;
  const order = [...idx].sort((a, b) => values[a]! - values[b]!);
  const rank = new Map<number, number>();
  order.forEach((i, r) => rank.set(i, r + 1));
  const mean = (n + 1) / 2;
  let s = 0;
  let best: { k: number; score: number } | null = null;
  for (let j = 0; j < n - 1; j++) {
    s += rank.get(idx[j]!)! - mean;
    const m = j + 1;
    const score = Math.abs(s) / Math.sqrt((m * (n - m)) / n);
    if (!best || score > best.score) best = { k: idx[j + 1]!, score };
  }
  return best?.k ?? null;
}

/**
 * The refined [from, to) of a run: the start searched in the window before the run and its
 * first window, the end in its last window and the one after.
 */
export function refineEdges(
  span: RunSpan,
  windows: Window[],
  series: { kind: 'binary'; hit: (i: number) => boolean } | { kind: 'numeric'; values: Float64Array },
): { from: number; to: number } {
  const before = windows[span.first.index - 1];
  const after = windows[span.last.index + 1];
  const startRegion = { from: before ? before.from : span.first.from, to: span.first.to };
  const endRegion = { from: span.last.from, to: after ? after.to : span.last.to };
  let from = span.first.from;
  let to = span.last.to;
  if (series.kind === 'binary') {
    const x = (i: number): number => (series.hit(i) ? 1 : 0);
    from = binaryChangePoint(x, startRegion.from, startRegion.to, 'rise') ?? from;
    to = binaryChangePoint(x, endRegion.from, endRegion.to, 'fall') ?? to;
  } else {
    from = rankChangePoint(series.values, startRegion.from, startRegion.to) ?? from;
    to = rankChangePoint(series.values, endRegion.from, endRegion.to) ?? to;
  }
  return to > from ? { from, to } : { from: span.first.from, to: span.last.to };
}
