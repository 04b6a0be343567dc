/**
 * Windows whose infrastructure looks unlike the rest of the range: an incident. They must not
 * become the reference: an incident that began early used to land in the default baseline,
 * where it set the hit rules (its slow reads became "normal") and its causes dropped out.
 *
 * Per factor observed in the requests' own traces: for events and errors, the share of a
 * window's requests that have them; for measures, the share above the whole range's p99. A
 * window is anomalous on a factor when that share stands far above the windows' median (a
 * robust z of 6 or more) by a material amount (5 points for events and errors, 10 for
 * measures, so a daily cycle of latency does not count).
 */
import { quantileSorted } from '../../../shared/stats/descriptive.js';
import type { FactorColumn } from './load-factors.js';
import { robustZ } from './factor-evidence.js';
import type { Window } from './windows.js';

const SAMPLE = 50_000;
const MIN_Z = 6;
const MIN_EXCESS_COUNT = 0.05;
const MIN_EXCESS_MEASURE = 0.1;
const MIN_WINDOW = 30;

/** The range's p99 of a measure, from at most SAMPLE values spread over it. */
function rangeP99(values: Float64Array): number | null {
  const step = Math.max(1, Math.floor(values.length / SAMPLE));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += step) if (!Number.isNaN(values[i]!)) sample.push(values[i]!);
  if (sample.length < MIN_WINDOW) return null;
  return quantileSorted(Float64Array.from(sample).sort(), 0.99);
}

export function anomalousWindows(windows: Window[], factors: FactorColumn[]): Set<number> {
  const out = new Set<number>();
  for (const f of factors) {
    if (f.basis !== 'per-request') continue;
    const count = f.unit === 'count';
    const p99 = count ? null : rangeP99(f.values);
    if (!count && p99 === null) continue;
    const shares: { index: number; share: number }[] = [];
    for (const w of windows) {
      let n = 0;
      let hits = 0;
      for (let i = w.from; i < w.to; i++) {
        const v = f.values[i]!;
        if (Number.isNaN(v)) continue;
        n++;
        if (count ? v >= 1 : v > p99!) hits++;
      }
      if (n >= MIN_WINDOW) shares.push({ index: w.index, share: hits / n });
    }
    if (shares.length < 4) continue;
    const reference = shares.map((s) => s.share);
    const median = [...reference].sort((a, b) => a - b)[Math.floor(reference.length / 2)]!;
    for (const s of shares) {
      if (s.share - median >= (count ? MIN_EXCESS_COUNT : MIN_EXCESS_MEASURE) && robustZ(s.share, reference) >= MIN_Z) out.add(s.index);
    }
  }
  return out;
}
