/**
 * Issue #16: part of a model's drift signals are tested on the analysis's second thread. The
 * answer must be the one-thread answer, test by test, whatever the plan (the earliest windows as
 * baseline, or a seasonal plan whose references cross the thread as window indices), with
 * signals per version (a version named "" among them), and when the thread fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planWindows, type WindowPlan } from '../../electron/core/analysis/windows.js';
import { seasonalPlan, seasonalWindows } from '../../electron/core/analysis/seasonal-plan.js';
import { buildSignals, testWindows, testWindowsOnTwoThreads, type SignalResult } from '../../electron/core/analysis/detect-drift.js';
import { answerSignalTests, type SignalTestRequest, type SignalTestSource } from '../../electron/core/analysis/signal-tests.js';
import type { ModelData } from '../../electron/core/analysis/model-data.js';
import { DEFAULT_ANALYSIS_SETTINGS } from '../../shared/model/analysis.js';
import { seededRandom } from '../../electron/core/stats/significance.js';

const HOUR_MS = 3_600_000;

/** Predictions over `days` days: two versions ("" and "v2"), three numeric features and a label; a shift in the last sixth. */
function model(n: number, days: number): ModelData {
  const r = seededRandom(5);
  const timeMs = Float64Array.from({ length: n }, (_, i) => Math.floor((i * days * 24 * HOUR_MS) / n));
  const shifted = (i: number): number => (i > (n * 5) / 6 ? 0.25 : 0);
  const numeric = (f: (i: number) => number): { type: 'numeric'; values: Float64Array } => ({
    type: 'numeric',
    values: Float64Array.from({ length: n }, (_, i) => f(i)),
  });
  return {
    datasetId: 1,
    datasetName: 'live',
    model: 'm',
    n,
    timeMs,
    traceSeq: Float64Array.from({ length: n }, (_, i) => i + 1),
    version: { type: 'categorical', values: Int32Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0)), categories: ['', 'v2'] },
    host: { type: 'categorical', values: new Int32Array(n), categories: ['h'] },
    score: numeric((i) => 0.5 + 0.1 * (r() - 0.5) + shifted(i)),
    confidence: numeric(() => 0.8 + 0.1 * r()),
    label: { type: 'categorical', values: Int32Array.from({ length: n }, (_, i) => (r() < 0.5 + shifted(i) ? 1 : 0)), categories: ['skip', 'click'] },
    features: new Map([
      ['ctr', numeric((i) => (r() < 0.1 + shifted(i) ? 0 : r()))],
      ['latency_ms', numeric(() => 20 + 10 * r())],
      ['age_days', numeric((i) => Math.floor(100 * r()) + (shifted(i) ? 30 : 0))],
    ]),
    quality: new Map(),
  };
}

/** A stand-in for the thread: the request crosses a structured clone each way, as postMessage clones it. */
const clonedThread: SignalTestSource = (request: SignalTestRequest) => Promise.resolve(structuredClone(answerSignalTests(structuredClone(request))));

const view = (results: SignalResult[]): unknown[] =>
  results.map((r) => ({
    signal: r.def.signal,
    version: r.def.version,
    window: r.window.index,
    comparison: r.comparison,
    p: r.adjustedP,
    drifted: r.drifted,
    ratio: r.ratio,
    threshold: r.threshold,
  }));

async function compare(data: ModelData, plan: WindowPlan, what: string): Promise<void> {
  const defs = buildSignals(data, plan);
  assert.ok(defs.filter((d) => d.column.type === 'numeric').length >= 4, `${what}: numeric signals to share`);
  assert.ok(
    defs.some((d) => d.version === ''),
    `${what}: a signal of the version named ""`,
  );
  const here = view(testWindows(data, plan, defs, DEFAULT_ANALYSIS_SETTINGS));
  assert.ok(
    here.some((r) => (r as { drifted: boolean }).drifted),
    `${what}: the shift drifts`,
  );
  let asked = 0;
  const counted: SignalTestSource = (request) => {
    asked += request.signals.length;
    return clonedThread(request);
  };
  assert.deepEqual(view(await testWindowsOnTwoThreads(data, plan, defs, DEFAULT_ANALYSIS_SETTINGS, counted)), here, `${what}: on two threads`);
  assert.ok(asked >= 2, `${what}: ${asked} signals were tested on the other thread`);
  const failing: SignalTestSource = () => Promise.reject(new Error('the thread stopped'));
  assert.deepEqual(view(await testWindowsOnTwoThreads(data, plan, defs, DEFAULT_ANALYSIS_SETTINGS, failing)), here, `${what}: the thread failing`);
  assert.deepEqual(view(await testWindowsOnTwoThreads(data, plan, defs, DEFAULT_ANALYSIS_SETTINGS, () => null)), here, `${what}: no thread`);
}

test('signals tested on another thread give the one-thread answer, with the earliest windows as baseline', async () => {
  const data = model(12_000, 1);
  await compare(data, planWindows(data.timeMs), 'earliest');
});

test('and with a seasonal plan, whose references cross the thread', async () => {
  const data = model(24_000, 8);
  const plan = seasonalPlan(data.timeMs, 24 * HOUR_MS, new Set(), seasonalWindows(data.timeMs));
  assert.ok(plan?.references && plan.references.size > 0, 'a daily plan with references');
  await compare(data, plan, 'seasonal');
});
