/**
 * Attribution on hand-built columns: a factor that hit the requests whose scores moved is a
 * cause with most of the drift explained; a factor that is merely more frequent is not; one
 * that hit every request of the window is context (no counterfactual possible); and
 * infrastructure outranks a symptom that explains the same requests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributeCauses } from '../../electron/core/analysis/attribute-causes.js';
import { buildSignals } from '../../electron/core/analysis/detect-drift.js';
import type { FactorColumn } from '../../electron/core/analysis/load-factors.js';
import type { ModelData } from '../../electron/core/analysis/model-data.js';
import { planWindows } from '../../electron/core/analysis/windows.js';
import { DEFAULT_ANALYSIS_SETTINGS } from '../../shared/model/analysis.js';
import { seededRandom } from '../../shared/stats/significance.js';

const N = 6000;
const r = seededRandom(5);
const timeMs = Float64Array.from({ length: N }, (_, i) => i * 1000);
const inRun = (i: number): boolean => i >= 3000 && i < 4500;
const slow = Float64Array.from({ length: N }, (_, i) => (inRun(i) && r() < 0.4 ? 1 : 0));
const score = Float64Array.from({ length: N }, (_, i) => 0.6 + 0.1 * (r() - 0.5) * 3 - (slow[i] ? 0.3 : 0));
const data: ModelData = {
  datasetId: 1, dataset: 'live', model: 'm', n: N, timeMs, traceSeq: Float64Array.from({ length: N }, (_, i) => i + 1),
  version: { type: 'categorical', values: new Int32Array(N), categories: ['v1'] },
  host: { type: 'categorical', values: new Int32Array(N), categories: ['h1'] },
  score: { type: 'numeric', values: score },
  confidence: { type: 'numeric', values: new Float64Array(N).fill(NaN) },
  label: { type: 'categorical', values: new Int32Array(N).fill(-1), categories: [] },
  features: new Map(),
};
const plan = planWindows(timeMs);
const primary = buildSignals(data, plan).find((d) => d.signal === 'score')!;
const runIdx = Int32Array.from({ length: 1500 }, (_, k) => 3000 + k);
const col = (kind: FactorColumn['kind'], factor: string, unit: string, f: (i: number) => number): FactorColumn => ({ kind, factor, unit, values: Float64Array.from({ length: N }, (_, i) => f(i)) });

test('the factor behind the moved scores is the cause; chance, context and symptoms are told apart', () => {
  const factors = [
    col('storage', 'read duration', 'ms', (i) => (slow[i] ? 900 + r() * 100 : 20 + r() * 10)),
    col('other', 'event default_features', 'count', (i) => slow[i]!),
    col('network', 'unrelated retries', 'count', (i) => (inRun(i) ? (r() < 0.2 ? 1 : 0) : r() < 0.02 ? 1 : 0)),
    col('queue', 'host-wide queue depth', '', (i) => (inRun(i) ? 50 + r() : 5 + r())),
  ];
  const a = attributeCauses({ data, windows: plan.windows, baselineIdx: plan.baseline, runIdx, primary, factors, settings: DEFAULT_ANALYSIS_SETTINGS, traceIdOf: (s) => s.toString(16).padStart(32, '0'), baselineEndMs: plan.baselineEndMs });
  assert.deepEqual(a.causes.map((c) => c.factor), ['read duration', 'event default_features'], 'storage first, its symptom second');
  const top = a.causes[0]!;
  assert.ok(top.explainedShare > 0.7, `explains ${top.explainedShare}`);
  assert.ok(top.pValue < 0.01);
  assert.equal(top.exemplarTraceIds.length, 5);
  assert.ok(top.evidence.windowP95! > 800 && top.evidence.baselineP95! < 31);
  const retries = a.candidates.find((c) => c.factor === 'unrelated retries')!;
  assert.ok(retries.evidence.hitRateWindow > 0.15, 'more frequent in the window…');
  assert.ok(retries.explainedShare < 0.2, `…but explains little (${retries.explainedShare})`);
  assert.deepEqual(a.context.map((c) => c.factor), ['host-wide queue depth'], 'hits every request: context, not a cause');
  assert.equal(a.context[0]!.evidence.counterfactualCheckable, false);
});

test('without drift nothing explains anything', () => {
  const calm = { ...data, score: { type: 'numeric' as const, values: Float64Array.from({ length: N }, () => 0.6 + 0.1 * (r() - 0.5) * 3) } };
  const calmPrimary = buildSignals(calm, plan).find((d) => d.signal === 'score')!;
  const a = attributeCauses({ data: calm, windows: plan.windows, baselineIdx: plan.baseline, runIdx, primary: calmPrimary, factors: [col('storage', 'read duration', 'ms', (i) => (slow[i] ? 900 : 20 + r() * 10))], settings: DEFAULT_ANALYSIS_SETTINGS, traceIdOf: () => null, baselineEndMs: plan.baselineEndMs });
  assert.equal(a.causes.length, 0, JSON.stringify(a.causes.map((c) => [c.factor, c.explainedShare])));
});
