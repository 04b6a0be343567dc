/**
 * "How much of the drift would remain if the requests a factor hit had behaved like the
 * requests it did not hit, at the same time?" The drifted run is cut into short time bins;
 * inside each, every hit request is replaced by a non-hit request of the same bin (or the
 * next bins), and the drift is measured again.
 *
 * Why matched in time: the plain counterfactual (leave the hit requests out) keeps only the
 * requests outside the incident's minutes whenever a factor's hits cover the incident, so any
 * change that merely happened at the same time "explained" nearly all of the drift (0.905
 * against 0.902 decided the ranking). Matching compares hits with non-hits of the same
 * moment: a factor whose hit and non-hit requests drift alike explains nothing, whatever else
 * happened in those minutes; one whose hits carry the drift explains it. A factor that hits
 * (nearly) every request of a moment, like a host metric series matched by time, leaves
 * nothing to match with: its share cannot be checked per request.
 *
 * Replacing requests moves a distance even when nothing drifted (sampling noise), so the same
 * replacement is done PLACEBO_DRAWS times for requests drawn at random in the same bins, as
 * many as the factor hit: only the part of the drop beyond the placebos' median counts, and
 * only when the drop beats every one of them (p = 0.05 with 19 draws). Long runs are thinned
 * to every k-th request (time order kept) so the cost stays flat.
 */
import { driftMagnitude, type PreparedBaseline } from './compare-samples.js';
import type { Column } from './model-data.js';
import { seededRandom } from '../stats/significance.js';

/** Requests per time bin: about 40 bins per run, 20 to 200 requests each. */
function binSize(n: number): number {
  return Math.max(20, Math.min(200, Math.round(n / 40)));
}
/** Non-hit requests a bin needs to stand in for its hits (else its neighbours lend theirs). */
const MIN_DONORS = 3;
/** Bins to either side that may lend non-hit requests. */
const MAX_REACH = 2;
/** At most this many hit requests per stand-in, on average, in a bin. */
const MAX_REUSE = 4;
/** At least this share of the hits must find a stand-in for the share to mean anything. */
export const MIN_MATCHED_FRACTION = 0.5;
const PLACEBO_DRAWS = 19;
/** Runs longer than this are thinned for the counterfactual. */
const MAX_RUN = 6000;

export interface MatchedCounterfactual {
  /** 0–1: the part of the drift that goes away when hit requests are replaced (0 when not checkable). */
  share: number;
  /** Drift of the comparable part of the run, before and after replacing. */
  driftBefore: number;
  driftAfter: number;
  /** Hit requests that found a stand-in of the same moment. */
  matchedFraction: number;
  checkable: boolean;
  /** The drop's rank among the placebos': the share of placebo drops at least as large (with the real one). */
  pValue: number;
}

function thin(runIdx: Int32Array): Int32Array {
  if (runIdx.length <= MAX_RUN) return runIdx;
  const step = runIdx.length / MAX_RUN;
  return Int32Array.from({ length: MAX_RUN }, (_, k) => runIdx[Math.floor(k * step)]!);
}

/** Replaces `pick`ed requests of each bin by stand-ins from the rest of the bin (or its neighbours); null entries could not be matched. */
function replaced(binsOf: number[][], pick: (b: number) => Set<number>, seed: number): { before: number[]; after: number[]; matched: number; picked: number } {
  const before: number[] = [];
  const after: number[] = [];
  let matched = 0;
  let picked = 0;
  const chosen = binsOf.map((_, b) => pick(b));
  const donorsOf = binsOf.map((bin, b) => bin.filter((i) => !chosen[b]!.has(i)));
  for (let b = 0; b < binsOf.length; b++) {
    for (const i of donorsOf[b]!) {
      before.push(i);
      after.push(i);
    }
    const h = [...chosen[b]!];
    picked += h.length;
    if (h.length === 0) continue;
    let donors = donorsOf[b]!;
    for (let reach = 1; donors.length < MIN_DONORS && reach <= MAX_REACH; reach++) {
      donors = [...donors, ...(donorsOf[b - reach] ?? []), ...(donorsOf[b + reach] ?? [])];
    }
    // Nothing of that moment to compare with, or too little: a few stand-ins repeated many times
    // would measure their own chance make-up, not the factor.
    if (donors.length < MIN_DONORS || h.length > MAX_REUSE * donors.length) continue;
    // Stand-ins spread over the donors (a stride co-prime with most sizes), deterministic.
    for (let k = 0; k < h.length; k++) {
      before.push(h[k]!);
      after.push(donors[(k * 7919 + b + seed) % donors.length]!);
    }
    matched += h.length;
  }
  return { before, after, matched, picked };
}

export function matchedCounterfactual(column: Column, baseline: PreparedBaseline, allRunIdx: Int32Array, hit: (i: number) => boolean): MatchedCounterfactual {
  const runIdx = thin(allRunIdx);
  const size = binSize(runIdx.length);
  const binsOf: number[][] = [];
  for (let b = 0; b * size < runIdx.length; b++) binsOf.push(Array.from(runIdx.subarray(b * size, Math.min(runIdx.length, (b + 1) * size))));
  const hitsOf = binsOf.map((bin) => new Set(bin.filter(hit)));
  const hits = hitsOf.reduce((n, h) => n + h.size, 0);
  if (hits === 0) {
    const d = driftMagnitude(column, baseline, runIdx).magnitude;
    return { share: 0, driftBefore: d, driftAfter: d, matchedFraction: 1, checkable: true, pValue: 1 };
  }
  const real = replaced(binsOf, (b) => hitsOf[b]!, 0);
  const matchedFraction = real.matched / hits;
  const driftBefore = driftMagnitude(column, baseline, real.before).magnitude;
  const driftAfter = driftMagnitude(column, baseline, real.after).magnitude;
  const checkable = matchedFraction >= MIN_MATCHED_FRACTION && real.before.length >= 30;
  if (!checkable || !(driftBefore > 0) || !Number.isFinite(driftBefore) || !Number.isFinite(driftAfter))
    return { share: 0, driftBefore, driftAfter, matchedFraction, checkable, pValue: 1 };
  // Placebos: as many requests per bin as the factor hit, drawn at random.
  const random = seededRandom(hits * 2654435761 + runIdx.length);
  const placeboDrops: number[] = [];
  for (let d = 0; d < PLACEBO_DRAWS; d++) {
    const p = replaced(
      binsOf,
      (b) => {
        const bin = binsOf[b]!;
        const want = Math.min(hitsOf[b]!.size, bin.length);
        const order = [...bin];
        for (let k = 0; k < want; k++) {
          const j = k + Math.floor(random() * (order.length - k));
          [order[k], order[j]] = [order[j]!, order[k]!];
        }
        return new Set(order.slice(0, want));
      },
      d + 1,
    );
    placeboDrops.push(driftMagnitude(column, baseline, p.before).magnitude - driftMagnitude(column, baseline, p.after).magnitude);
  }
  placeboDrops.sort((a, b) => a - b);
  const drop = driftBefore - driftAfter;
  const pValue = (1 + placeboDrops.filter((x) => x >= drop).length) / (PLACEBO_DRAWS + 1);
  const noiseDrop = Math.max(0, placeboDrops[Math.floor(PLACEBO_DRAWS / 2)]!);
  const share = pValue <= 1 / (PLACEBO_DRAWS + 1) ? Math.min(1, Math.max(0, (drop - noiseDrop) / driftBefore)) : 0;
  return { share, driftBefore, driftAfter, matchedFraction, checkable, pValue };
}
