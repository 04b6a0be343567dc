/**
 * Guarding against chance: Benjamini-Hochberg adjusted p-values (many features tested at
 * once), a seeded permutation test for a difference in proportions, and Cohen's h as the
 * effect size of that difference. Seeded so the same store gives the same answer.
 */

/** Benjamini-Hochberg adjusted p-values, in input order (scipy.stats.false_discovery_control). */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const [p, i] = order[k]!;
    running = Math.min(running, (p * m) / (k + 1));
    adjusted[i] = Math.min(running, 1);
  }
  return adjusted;
}

/** A small, fast, seedable PRNG (mulberry32), uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cohen's h: 2·asin√p1 − 2·asin√p2 (0.2 small, 0.5 medium, 0.8 large). */
export function cohensH(p1: number, p2: number): number {
  return 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2));
}

/** Above this many pooled requests the permutation test works on proportionally scaled counts. */
export const MAX_PERMUTATION_ITEMS = 4000;

/**
 * One-sided permutation p-value that group A's hit rate exceeds group B's: the labels of the
 * pooled requests are shuffled `permutations` times. `hitsA` of `nA` and `hitsB` of `nB`.
 * Only counts matter, so each shuffle draws nA of the pooled items without replacement.
 */
export function permutationPValue(hitsA: number, nA: number, hitsB: number, nB: number, permutations = 999, seed = 1): number {
  if (nA === 0 || nB === 0) return 1;
  if (nA + nB > MAX_PERMUTATION_ITEMS) {
    // Scale both groups down, keeping their rates: conservative (less power), bounded cost.
    const f = MAX_PERMUTATION_ITEMS / (nA + nB);
    const sA = Math.max(1, Math.round(nA * f));
    const sB = Math.max(1, Math.round(nB * f));
    return permutationPValue(Math.round((hitsA / nA) * sA), sA, Math.round((hitsB / nB) * sB), sB, permutations, seed);
  }
  const observed = hitsA / nA - hitsB / nB;
  const n = nA + nB;
  const pooledHits = hitsA + hitsB;
  const random = seededRandom(seed);
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    // Sequential draw of nA items from n containing pooledHits hits (hypergeometric sample).
    let hitsLeft = pooledHits;
    let left = n;
    let drawnHits = 0;
    for (let k = 0; k < nA; k++) {
      if (random() * left < hitsLeft) {
        drawnHits++;
        hitsLeft--;
      }
      left--;
    }
    const diff = drawnHits / nA - (pooledHits - drawnHits) / nB;
    if (diff >= observed - 1e-12) atLeast++;
  }
  return (atLeast + 1) / (permutations + 1);
}
