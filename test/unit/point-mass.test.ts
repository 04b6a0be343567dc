/**
 * A drifted minority at one exact value (default features after timeouts) is a drift signal of
 * its own: the share at that value against the baseline's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cohensH, pointMass, prepareBaseline } from '../../electron/core/analysis/compare-samples.js';
import { buildSignals, findRuns, testWindows } from '../../electron/core/analysis/detect-drift.js';
import type { ModelData } from '../../electron/core/analysis/model-data.js';
import { planWindows } from '../../electron/core/analysis/windows.js';
import { DEFAULT_ANALYSIS_SETTINGS } from '../../shared/model/analysis.js';
import { seededRandom } from '../../electron/core/stats/significance.js';

const N = 12_000;

function model(defaultShare: number, seed: number): ModelData {
  const r = seededRandom(seed);
  const inIncident = (i: number): boolean => i >= 6000 && i < 9000;
  const ctr = Float64Array.from({ length: N }, (_, i) => (inIncident(i) && r() < defaultShare ? 0 : Math.max(0, 0.08 + 0.03 * (r() + r() + r() - 1.5) * 2)));
  return {
    datasetId: 1,
    datasetName: 'live',
    model: 'm',
    n: N,
    timeMs: Float64Array.from({ length: N }, (_, i) => i * 1000),
    traceSeq: Float64Array.from({ length: N }, (_, i) => i + 1),
    version: { type: 'categorical', values: new Int32Array(N), categories: ['v1'] },
    host: { type: 'categorical', values: new Int32Array(N), categories: ['h'] },
    score: { type: 'numeric', values: Float64Array.from({ length: N }, () => 0.5 + 0.1 * (r() - 0.5)) },
    confidence: { type: 'numeric', values: new Float64Array(N).fill(NaN) },
    label: { type: 'categorical', values: new Int32Array(N).fill(-1), categories: [] },
    features: new Map([['user_ctr', { type: 'numeric', values: ctr }]]),
    quality: new Map(),
  };
}

test('the pile-up at one value is measured against its share in the baseline', () => {
  const base = prepareBaseline(
    { type: 'numeric', values: Float64Array.from({ length: 1000 }, (_, i) => (i % 100 === 0 ? 0 : 0.05 + i / 20000)) },
    Int32Array.from({ length: 1000 }, (_, i) => i),
  );
  const window = Float64Array.from({ length: 300 }, (_, i) => (i < 30 ? 0 : 0.06 + i / 10000)).sort();
  const m = pointMass(base, window)!;
  assert.equal(m.value, 0);
  assert.equal(m.windowShare, 0.1);
  assert.equal(m.baselineShare, 0.01);
  assert.ok(m.pValue < 1e-6, `p ${m.pValue}`);
  assert.equal(
    pointMass(
      base,
      Float64Array.from({ length: 300 }, (_, i) => 0.05 + i / 7000),
    ),
    null,
    'no value piles up: no test',
  );
});

for (const seed of [1, 2, 3]) {
  test(`6% of requests at a default value is found as drift (seed ${seed}); without it nothing is`, () => {
    for (const [share, expected] of [
      [0.06, true],
      [0, false],
    ] as const) {
      const data = model(share, seed);
      const plan = planWindows(data.timeMs);
      const runs = findRuns(plan, testWindows(data, plan, buildSignals(data, plan), DEFAULT_ANALYSIS_SETTINGS), DEFAULT_ANALYSIS_SETTINGS);
      assert.equal(runs.length > 0, expected, `share ${share}: ${runs.length} runs`);
      if (expected)
        assert.ok(
          runs[0]!.results.some((r) => r.def.signal === 'mass:feature:user_ctr' && r.drifted),
          'the mass signal is what drifted',
        );
    }
  });
}

test('a point mass is held to the distance threshold too: a raised threshold turns it off, a tiny significant pile-up is no drift', () => {
  const data = model(0.3, 4);
  const plan = planWindows(data.timeMs);
  const signals = buildSignals(data, plan);
  const strict = { ...DEFAULT_ANALYSIS_SETTINGS, distanceThreshold: 2 };
  const mass = (settings: typeof DEFAULT_ANALYSIS_SETTINGS): boolean =>
    testWindows(data, plan, signals, settings).some((r) => r.def.signal === 'mass:feature:user_ctr' && r.drifted);
  assert.equal(mass(DEFAULT_ANALYSIS_SETTINGS), true, '30% at the default value is drift at the default threshold');
  assert.equal(mass(strict), false, "at distance threshold 2 (beyond the Cohen's h of 0 → 30%) it is not");
  // 1% → 1.6% of a value is significant in big samples but small: h ≈ 0.05.
  assert.ok(cohensH(0.016, 0.01) < DEFAULT_ANALYSIS_SETTINGS.distanceThreshold);
  assert.ok(cohensH(0.06, 0) > DEFAULT_ANALYSIS_SETTINGS.distanceThreshold, 'the 6% default-feature case stays above it');
});

test('a pile-up is judged by how much more of the window it holds: a real default on top of a common value is found, a chance bump among token counts is not', () => {
  const r = seededRandom(29);
  const sorted = (a: number[]): Float64Array => Float64Array.from(a).sort();
  // user_ctr is 0 for 6% of ordinary requests (new users); an outage sends 15% of a window there.
  const ctr = (zeroShare: number, n: number): number[] => Array.from({ length: n }, () => (r() < zeroShare ? 0 : 0.02 + 0.1 * r()));
  const base = prepareBaseline(
    { type: 'numeric', values: Float64Array.from(ctr(0.06, 3000)) },
    Int32Array.from({ length: 3000 }, (_, i) => i),
  );
  const outage = pointMass(base, sorted([...Array<number>(30).fill(0), ...ctr(0, 170)]));
  assert.ok(outage && outage.value === 0 && outage.pValue < 1e-3, JSON.stringify(outage));
  // Token counts (integers around 40): 19 of 299 at 44, against 2.5% before.
  const tokens = (n: number): number[] => Array.from({ length: n }, () => Math.round(40 + 15 * (r() + r() + r() - 1.5) * 1.4));
  const tokenBase = prepareBaseline(
    { type: 'numeric', values: Float64Array.from(tokens(1200)) },
    Int32Array.from({ length: 1200 }, (_, i) => i),
  );
  const bump = sorted([...Array<number>(19).fill(44), ...tokens(280).filter((v) => v !== 44)]);
  assert.equal(pointMass(tokenBase, bump), null, 'a value a few points more frequent is no pile-up');
});
