/**
 * Every drift statistic against reference values computed with scipy 1.17 / numpy 2.4 on the
 * same inputs (the Python lines are quoted next to each figure).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  binCounts,
  chiSquareTwoSample,
  jensenShannonDistance,
  ksTwoSample,
  normalizedWasserstein,
  numericPsi,
  quantileBinEdges,
  wasserstein1,
} from '../../electron/core/stats/distribution-tests.js';
import { chiSquareSurvival, gammaQ, kolmogorovSurvival } from '../../electron/core/stats/special-functions.js';
import { quantileSorted } from '../../shared/stats/descriptive.js';
import { medianAndMad, pearson, sortedCopy } from '../../electron/core/stats/descriptive.js';
import { benjaminiHochberg, cohensH, permutationPValue } from '../../electron/core/stats/significance.js';

const A = [0.61, 0.29, 0.06, 0.59, -1.86, -0.46, 0.33, 1.29, -0.51, 0.58, 0.22, 1.05, -0.13, 0.62, 0.95, -0.07, 1.67, 0.41, -1.19, 0.3];
const B = [1.28, 1.74, 0.47, 2.11, 0.95, 1.71, 1.02, 0.34, 1.66, 2.37, 0.88, 1.15, -0.2, 1.53, 1.9, 0.71, 1.43, 0.98, 2.62, 1.21, 0.15, 1.77];
// a=[(i*0.618034)%1 for i in range(300)]; b=[((i*0.414214)%1)**1.3 for i in range(1200)]
const BIG_A = Array.from({ length: 300 }, (_, i) => (i * 0.618034) % 1);
const BIG_B = Array.from({ length: 1200 }, (_, i) => ((i * 0.414214) % 1) ** 1.3);

function close(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);
}

test('special functions match scipy', () => {
  // scipy.stats.chi2.sf(3.84, 1), (25.0, 10), (0.5, 3)
  close(chiSquareSurvival(3.84, 1), 0.05004352124870519, 1e-9, 'chi2.sf(3.84,1)');
  close(chiSquareSurvival(25, 10), 0.005345505487134069, 1e-9, 'chi2.sf(25,10)');
  close(chiSquareSurvival(0.5, 3), 0.9188914116546758, 1e-9, 'chi2.sf(0.5,3)');
  // scipy.special.gammaincc(2.5, 3.0)
  close(gammaQ(2.5, 3), 0.30621891841327875, 1e-9, 'gammaincc');
  // scipy.stats.kstwobign.sf([0.5, 1.0, 1.36, 2.0])
  close(kolmogorovSurvival(0.5), 0.963945244, 1e-6, 'kstwobign 0.5');
  close(kolmogorovSurvival(1.0), 0.269999672, 1e-8, 'kstwobign 1.0');
  close(kolmogorovSurvival(1.36), 0.0494858768, 1e-8, 'kstwobign 1.36');
  close(kolmogorovSurvival(2.0), 0.000670925256, 1e-9, 'kstwobign 2.0');
});

test('Kolmogorov-Smirnov two-sample statistic and p-value match scipy', () => {
  const small = ksTwoSample(sortedCopy(A), sortedCopy(B));
  // ks_2samp(a, b): statistic 0.6181818181818182; p (method='asymp') 0.000328, (exact) 0.000305
  close(small.statistic, 0.6181818181818182, 1e-12, 'D small');
  close(small.pValue, 0.00032777, 0.0002, 'p small');
  const big = ksTwoSample(sortedCopy(BIG_A), sortedCopy(BIG_B));
  // ks_2samp(a, b, method='asymp') → 0.09833333333333333, 0.017959894557899647
  close(big.statistic, 0.09833333333333333, 1e-12, 'D big');
  close(big.pValue, 0.017959894557899647, 0.0015, 'p big');
  assert.equal(ksTwoSample(sortedCopy(BIG_A), sortedCopy(BIG_A)).pValue, 1);
});

test('Wasserstein distance matches scipy, normalised by the baseline standard deviation', () => {
  // wasserstein_distance(a, b) = 1.0252272727272724; / np.std(a) = 1.2894576225645327
  close(wasserstein1(sortedCopy(A), sortedCopy(B)), 1.0252272727272724, 1e-12, 'W1');
  close(normalizedWasserstein(sortedCopy(A), sortedCopy(B)), 1.2894576225645327, 1e-12, 'W1/std');
  // wasserstein_distance(a, b) = 0.06500097800762558; wasserstein_distance(b, a) / np.std(b) = 0.21824401141467586
  close(wasserstein1(sortedCopy(BIG_A), sortedCopy(BIG_B)), 0.06500097800762558, 1e-12, 'W1 big');
  close(normalizedWasserstein(sortedCopy(BIG_B), sortedCopy(BIG_A)), 0.21824401141467586, 1e-12, 'W1/std big');
});

test('chi-square test of two categorical samples matches scipy chi2_contingency', () => {
  // chi2_contingency([[30,50,20],[45,35,40]], correction=False) → 10.583006535947717, p 0.0050341868368289425, dof 2
  const r = chiSquareTwoSample([30, 50, 20], [45, 35, 40]);
  close(r.statistic, 10.583006535947717, 1e-9, 'chi2');
  close(r.pValue, 0.0050341868368289425, 1e-9, 'p');
  assert.equal(r.dof, 2);
});

test('Jensen-Shannon distance matches scipy (natural log)', () => {
  // jensenshannon([0.1,0.4,0.5], [0.3,0.3,0.4]) = 0.18035965602712561
  close(jensenShannonDistance([10, 40, 50], [30, 30, 40]), 0.18035965602712561, 1e-12, 'JS');
  assert.equal(jensenShannonDistance([5, 5], [50, 50]), 0);
});

test('PSI over ten baseline-quantile bins matches numpy', () => {
  // edges = np.quantile(b, linspace(0,1,11)) with open ends; sum((c-e)*log(c/e)) = 0.06035562797094968
  const base = sortedCopy(BIG_B);
  close(numericPsi(base, BIG_A), 0.06035562797094968, 1e-9, 'PSI');
  assert.deepEqual(binCounts([0, 1, 1.5, 2, 3], [1, 2]), [1, 2, 2]);
  assert.equal(quantileBinEdges(sortedCopy([1, 1, 1, 1]), 10).length, 1);
});

test('descriptive statistics match numpy', () => {
  const s = sortedCopy(A);
  // np.quantile(a, [0.5, 0.95, 0.99]) = [0.315, 1.309, 1.5978]
  close(quantileSorted(s, 0.5), 0.315, 1e-12, 'median');
  close(quantileSorted(s, 0.95), 1.309, 1e-12, 'p95');
  close(quantileSorted(s, 0.99), 1.5978, 1e-12, 'p99');
  // pearsonr(a[:10], b[:10]) = 0.009977901971876382; on the big samples' first 50: 0.09645209853398046
  close(pearson(A.slice(0, 10), B.slice(0, 10)), 0.009977901971876382, 1e-12, 'r');
  close(pearson(BIG_A.slice(0, 50), BIG_B.slice(0, 50)), 0.09645209853398046, 1e-12, 'r big');
  assert.deepEqual(medianAndMad([1, 2, 3, 4, 100]), { median: 3, mad: 1 });
});

test('Benjamini-Hochberg adjusted p-values match scipy false_discovery_control', () => {
  const adjusted = benjaminiHochberg([0.01, 0.04, 0.03, 0.2, 0.5, 0.001, 0.049]);
  const expected = [0.035, 0.0686, 0.0686, 0.23333333333333336, 0.5, 0.007, 0.0686];
  adjusted.forEach((p, i) => close(p, expected[i]!, 1e-12, `BH[${i}]`));
});

test('permutation p-value agrees with Fisher exact test, and effect size is Cohen h', () => {
  // fisher_exact([[30,70],[10,90]], alternative='greater') = 0.000325; [[12,88],[10,90]] → 0.411
  const strong = permutationPValue(30, 100, 10, 100, 9999, 7);
  assert.ok(strong < 0.002, `strong difference p=${strong}`);
  close(permutationPValue(12, 100, 10, 100, 9999, 7), 0.41087425817549966, 0.03, 'weak difference');
  close(cohensH(0.5, 0.2), 0.6435011087932845, 1e-12, 'h'); // 2*asin(sqrt(.5)) - 2*asin(sqrt(.2))
  // Large groups are scaled down, keeping rates: still significant when the rates differ clearly.
  assert.ok(permutationPValue(30_000, 100_000, 10_000, 100_000) < 0.01);
});
