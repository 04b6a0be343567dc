/** The default baseline skips an unstable start (a warm-up), which then shows as drift itself. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stableBaseline } from '../../electron/core/analysis/stable-baseline.js';
import { planWindows } from '../../electron/core/analysis/windows.js';
import { buildSignals, findRuns, testWindows } from '../../electron/core/analysis/detect-drift.js';
import type { ModelData } from '../../electron/core/analysis/model-data.js';
import { DEFAULT_ANALYSIS_SETTINGS } from '../../shared/model/analysis.js';
import { seededRandom } from '../../electron/core/stats/significance.js';

function model(warmupWindows: number): ModelData {
  const N = 6000;
  const r = seededRandom(3);
  const timeMs = Float64Array.from({ length: N }, (_, i) => i * 1000);
  // 20 windows of 300; the first `warmupWindows` score 0.3 higher (a cold cache, say).
  const score = Float64Array.from({ length: N }, (_, i) => 0.5 + 0.1 * (r() + r() + r() - 1.5) + (i < warmupWindows * 300 ? 0.3 : 0));
  return {
    datasetId: 1,
    datasetName: 'live',
    model: 'm',
    n: N,
    timeMs,
    traceSeq: Float64Array.from({ length: N }, (_, i) => i + 1),
    version: { type: 'categorical', values: new Int32Array(N), categories: ['v1'] },
    host: { type: 'categorical', values: new Int32Array(N), categories: ['h'] },
    score: { type: 'numeric', values: score },
    confidence: { type: 'numeric', values: new Float64Array(N).fill(NaN) },
    label: { type: 'categorical', values: new Int32Array(N).fill(-1), categories: [] },
    features: new Map(),
    quality: new Map(),
  };
}

test('a warm-up at the start moves the baseline later and becomes a finding', () => {
  const data = model(2);
  const plan = stableBaseline(data, planWindows(data.timeMs), DEFAULT_ANALYSIS_SETTINGS);
  assert.equal(plan.windows.length, 20);
  assert.equal(plan.baselineStartMs, plan.windows[2]!.startMs, 'the baseline starts after the warm-up');
  assert.equal(plan.baseline.length, 4 * 300);
  const runs = findRuns(plan, testWindows(data, plan, buildSignals(data, plan), DEFAULT_ANALYSIS_SETTINGS), DEFAULT_ANALYSIS_SETTINGS);
  assert.deepEqual(
    runs.map((r) => r.windows.map((w) => w.index)),
    [[0, 1]],
  );
});

test('a stable start keeps the earliest fifth', () => {
  const data = model(0);
  const plan = stableBaseline(data, planWindows(data.timeMs), DEFAULT_ANALYSIS_SETTINGS);
  assert.equal(plan.baselineStartMs, 0);
  assert.equal(plan.evaluated[0]!.index, 4);
});
