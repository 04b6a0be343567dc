/**
 * Attribution on hand-built columns: a factor that hit the requests whose scores moved is a
 * cause with most of the drift explained; a factor that is merely more frequent is a
 * coincidence; one that hit every request of the window is context (no counterfactual
 * possible); symptoms are linked to their root in a chain; a change that happens in the same
 * minutes as the real cause explains nothing, in either direction.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttributionMemo,
  attributeCauses,
  attributeCausesOnTwoThreads,
  type Attribution,
  type AttributionInput,
  type EvidenceSource,
} from '../../electron/core/analysis/attribute-causes.js';
import { factorEvidence, toReply } from '../../electron/core/analysis/factor-evidence.js';
import { buildSignals } from '../../electron/core/analysis/detect-drift.js';
import type { FactorColumn } from '../../electron/core/analysis/load-factors.js';
import type { ModelData } from '../../electron/core/analysis/model-data.js';
import { planWindows } from '../../electron/core/analysis/windows.js';
import { DEFAULT_ANALYSIS_SETTINGS } from '../../shared/model/analysis.js';
import { seededRandom } from '../../electron/core/stats/significance.js';

const N = 6000;
const r = seededRandom(5);
const timeMs = Float64Array.from({ length: N }, (_, i) => i * 1000);
const inRun = (i: number): boolean => i >= 3000 && i < 4500;
const slow = Float64Array.from({ length: N }, (_, i) => (inRun(i) && r() < 0.4 ? 1 : 0));
const score = Float64Array.from({ length: N }, (_, i) => 0.6 + 0.1 * (r() - 0.5) * 3 - (slow[i] ? 0.3 : 0));
const data: ModelData = {
  datasetId: 1,
  datasetName: 'live',
  model: 'm',
  n: N,
  timeMs,
  traceSeq: Float64Array.from({ length: N }, (_, i) => i + 1),
  version: { type: 'categorical', values: new Int32Array(N), categories: ['v1'] },
  host: { type: 'categorical', values: new Int32Array(N), categories: ['h1'] },
  score: { type: 'numeric', values: score },
  confidence: { type: 'numeric', values: new Float64Array(N).fill(NaN) },
  label: { type: 'categorical', values: new Int32Array(N).fill(-1), categories: [] },
  features: new Map(),
  quality: new Map(),
};
const plan = planWindows(timeMs);
const primary = buildSignals(data, plan).find((d) => d.signal === 'score')!;
const runIdx = Int32Array.from({ length: 1500 }, (_, k) => 3000 + k);
const col = (
  kind: FactorColumn['kind'],
  factor: string,
  unit: string,
  f: (i: number) => number,
  basis: FactorColumn['basis'] = 'per-request',
): FactorColumn => ({
  kind,
  factor,
  unit,
  basis,
  values: Float64Array.from({ length: N }, (_, i) => f(i)),
});

const traceIdOf = (s: number): string => s.toString(16).padStart(32, '0');

/** An attribution of `factors` over this file's model, baseline and run (`over` replaces any of them). */
const inputOf = (factors: FactorColumn[], over: Partial<AttributionInput> = {}): AttributionInput => ({
  data,
  windows: plan.windows,
  baselineIdx: plan.baseline,
  runIdx,
  primary,
  factors,
  settings: DEFAULT_ANALYSIS_SETTINGS,
  traceIdOf,
  referenceWindows: plan.baselineWindows,
  ...over,
});

/** Two attributions are the same: every list a user sees, the count compared, and the requests the root cause hits. */
function assertSameAttribution(got: Attribution, expected: Attribution, run: Int32Array, what: string): void {
  const { root: gotRoot, ...gotLists } = got;
  const { root: expectedRoot, ...expectedLists } = expected;
  assert.deepEqual(gotLists, expectedLists, what);
  assert.deepEqual(
    gotRoot && { ...gotRoot, hit: run.filter((i) => gotRoot.hit(i)) },
    expectedRoot && { ...expectedRoot, hit: run.filter((i) => expectedRoot.hit(i)) },
    `${what}: the root cause hits the same requests`,
  );
}

test('the factor behind the moved scores is the cause; chance, context and symptoms are told apart', () => {
  const factors = [
    col('storage', 'read duration', 'ms', (i) => (slow[i] ? 900 + r() * 100 : 20 + r() * 10)),
    col('other', 'event default_features', 'count', (i) => slow[i]!),
    col('network', 'unrelated retries', 'count', (i) => (inRun(i) ? (r() < 0.2 ? 1 : 0) : r() < 0.02 ? 1 : 0)),
    col('queue', 'host-wide queue depth', '', (i) => (inRun(i) ? 50 + r() : 5 + r())),
  ];
  const a = attributeCauses(inputOf(factors));
  assert.deepEqual(
    a.causes.map((c) => c.factor),
    ['read duration', 'event default_features'],
    'storage first, its symptom second',
  );
  const top = a.causes[0]!;
  assert.equal(top.role, 'root');
  assert.deepEqual(
    top.chain.map((c) => c.factor),
    ['read duration', 'event default_features', 'score'],
  );
  assert.equal(a.causes[1]!.role, 'mechanism');
  assert.ok(top.explainedShare > 0.7, `explains ${top.explainedShare}`);
  assert.ok(top.pValue < 0.01);
  assert.equal(top.exemplarTraceIds.length, 5);
  assert.ok(top.evidence.windowP95! > 800 && top.evidence.baselineP95! < 31);
  const retries = a.candidates.find((c) => c.factor === 'unrelated retries')!;
  assert.ok(retries.evidence.hitRateWindow > 0.15, 'more frequent in the window…');
  assert.ok(retries.explainedShare < 0.2, `…but explains little (${retries.explainedShare})`);
  assert.deepEqual(
    a.coincident.map((c) => c.factor),
    ['unrelated retries'],
    'changed at the same time, explains nothing',
  );
  assert.deepEqual(
    a.context.map((c) => c.factor),
    ['host-wide queue depth'],
    'hits every request: context, not a cause',
  );
  assert.equal(a.context[0]!.evidence.counterfactualCheckable, false);
});

test('without drift nothing explains anything', () => {
  const calm = { ...data, score: { type: 'numeric' as const, values: Float64Array.from({ length: N }, () => 0.6 + 0.1 * (r() - 0.5) * 3) } };
  const calmPrimary = buildSignals(calm, plan).find((d) => d.signal === 'score')!;
  const a = attributeCauses({
    data: calm,
    windows: plan.windows,
    baselineIdx: plan.baseline,
    runIdx,
    primary: calmPrimary,
    factors: [col('storage', 'read duration', 'ms', (i) => (slow[i] ? 900 : 20 + r() * 10))],
    settings: DEFAULT_ANALYSIS_SETTINGS,
    traceIdOf: () => null,
    referenceWindows: plan.baselineWindows,
  });
  assert.equal(a.causes.length, 0, JSON.stringify(a.causes.map((c) => [c.factor, c.explainedShare, c.evidence])));
});

/** A run where `carrier(i)` decides which requests' scores moved. */
function driftedBy(carrier: (i: number) => boolean, seed: number): { data: ModelData; primary: ReturnType<typeof buildSignals>[number] } {
  const rr = seededRandom(seed);
  const values = Float64Array.from({ length: N }, (_, i) => 0.6 + 0.1 * (rr() - 0.5) * 3 - (inRun(i) && carrier(i) ? 0.3 : 0));
  const d = { ...data, score: { type: 'numeric' as const, values } };
  return { data: d, primary: buildSignals(d, plan).find((s) => s.signal === 'score')! };
}

const attribute = (d: ModelData, p: ReturnType<typeof buildSignals>[number], factors: FactorColumn[]) =>
  attributeCauses({
    data: d,
    windows: plan.windows,
    baselineIdx: plan.baseline,
    runIdx,
    primary: p,
    factors,
    settings: DEFAULT_ANALYSIS_SETTINGS,
    traceIdOf: (s) => s.toString(16).padStart(32, '0'),
    referenceWindows: plan.baselineWindows,
  });

for (const seed of [11, 12, 13]) {
  test(`confounded pair (seed ${seed}): storage timeouts carry the drift, a GPU throttled in the same minutes explains nothing`, () => {
    const rr = seededRandom(seed * 7);
    const host = Int32Array.from({ length: N }, () => Math.floor(rr() * 3));
    const timeout = Float64Array.from({ length: N }, (_, i) => (inRun(i) && rr() < 0.35 ? 1 : 0));
    const { data: d, primary: p } = driftedBy((i) => timeout[i] === 1, seed);
    const a = attribute(d, p, [
      col('gpu', 'gpu.inference gpu.temperature_c', '', (i) => (inRun(i) && host[i] === 1 ? 90 + rr() : 65 + 5 * rr())),
      col('gpu', 'gpu.inference duration', 'ms', (i) => (inRun(i) && host[i] === 1 ? 40 + 10 * rr() : 10 + 5 * rr())),
      col('storage', 'feature-store.read duration', 'ms', (i) => (timeout[i] ? 500 : 20 + 10 * rr())),
      col('storage', 'feature-store.read error', 'count', (i) => timeout[i]!),
    ]);
    assert.equal(a.causes[0]!.factor, 'feature-store.read duration');
    assert.ok(a.causes[0]!.explainedShare > 0.6);
    for (const gpu of ['gpu.inference gpu.temperature_c', 'gpu.inference duration']) {
      const c = a.coincident.find((x) => x.factor === gpu);
      assert.ok(c, `${gpu} is named a coincidence: ${JSON.stringify(a.coincident.map((x) => x.factor))}`);
      assert.ok(c.explainedShare < 0.15, `${gpu} explains ${c.explainedShare}`);
    }
    assert.ok(!a.causes.some((c) => c.kind === 'gpu'), 'the GPU is no cause');
  });

  test(`confounded pair (seed ${seed}): GPU fallbacks to the lite model carry the drift, a feature-store slowdown in the same minutes explains nothing`, () => {
    const rr = seededRandom(seed * 13);
    const host = Int32Array.from({ length: N }, () => Math.floor(rr() * 3));
    const throttled = (i: number): boolean => inRun(i) && host[i] === 1;
    const { data: d0, primary: p0 } = driftedBy(throttled, seed);
    const d: ModelData = {
      ...d0,
      version: { type: 'categorical', values: Int32Array.from({ length: N }, (_, i) => (throttled(i) ? 1 : 0)), categories: ['v1', 'lite'] },
    };
    const a = attribute(d, { ...p0 }, [
      col('storage', 'feature-store.read duration', 'ms', (i) => (inRun(i) && rr() < 0.9 ? 150 + 300 * rr() : 20 + 10 * rr())),
      col('gpu', 'gpu.inference duration', 'ms', (i) => (throttled(i) ? 61 : 10 + 5 * rr())),
      col('other', 'event model.fallback', 'count', (i) => (throttled(i) ? 1 : 0)),
      col('gpu', 'metric DCGM_FI_DEV_GPU_TEMP', '°C', (i) => (throttled(i) ? 90 : 65 + 3 * rr()), 'time-matched'),
    ]);
    const top = a.causes[0]!;
    assert.equal(top.factor, 'gpu.inference duration', JSON.stringify(a.causes.map((c) => [c.factor, c.explainedShare])));
    assert.equal(top.basis, 'per-request', 'per-request evidence outranks the metric matched by time');
    assert.deepEqual(
      top.chain.map((c) => c.factor),
      ['gpu.inference duration', 'event model.fallback', 'served version lite', 'score'],
    );
    const storage = [...a.coincident, ...a.context].find((c) => c.factor === 'feature-store.read duration');
    assert.ok(storage && storage.explainedShare < 0.15, `the slowdown explains nothing: ${JSON.stringify(storage?.explainedShare)}`);
  });
}

test('a latency that slowed every request of the incident is the root of its symptoms: timeout → fallback → drift', () => {
  const rr = seededRandom(21);
  const failed = Float64Array.from({ length: N }, (_, i) => (inRun(i) && rr() < 0.5 ? 1 : 0));
  const fellBack = Float64Array.from({ length: N }, (_, i) => (failed[i] && rr() < 0.5 ? 1 : 0));
  const { data: d, primary: p } = driftedBy((i) => fellBack[i] === 1, 22);
  const a = attribute(d, p, [
    col('network', 'embedding.lookup duration', 'ms', (i) => (inRun(i) ? 90 + 50 * rr() : 6 + 8 * rr())),
    col('network', 'embedding.lookup error', 'count', (i) => failed[i]!),
    col('other', 'event embedding.fallback', 'count', (i) => fellBack[i]!),
  ]);
  const top = a.causes[0]!;
  assert.equal(top.factor, 'embedding.lookup duration');
  assert.equal(top.evidence.counterfactualCheckable, false, 'it slowed every request: not checkable on its own…');
  assert.equal(top.explainedVia, 'event embedding.fallback', '…so its chain speaks for it');
  assert.deepEqual(
    top.chain.map((c) => c.factor),
    ['embedding.lookup duration', 'embedding.lookup error', 'event embedding.fallback', 'score'],
  );
  assert.match(top.chain[0]!.hitRule, /^> [\d.]+ ms$/, 'the unit travels with the rule');
  assert.ok(top.explainedShare > 0.6);
});

test('a factor that hits every request of the run and none of the baseline is a clock: context, never a cause', () => {
  const rr = seededRandom(31);
  const timeout = Float64Array.from({ length: N }, (_, i) => (inRun(i) && rr() < 0.3 ? 1 : 0));
  const { data: d, primary: p } = driftedBy((i) => timeout[i] === 1, 32);
  const a = attribute(d, p, [
    col('storage', 'metric storage.read.duration', 'ms', (i) => (inRun(i) ? 300 + rr() : 20 + rr()), 'time-matched'),
    col('storage', 'feature-store.read error', 'count', (i) => timeout[i]!),
  ]);
  assert.equal(a.causes[0]!.factor, 'feature-store.read error');
  assert.ok(a.context.some((c) => c.factor === 'metric storage.read.duration' && c.basis === 'time-matched'));
  assert.ok(!a.causes.some((c) => c.factor === 'metric storage.read.duration'));
});

test('a finding attributed again with its memo gets what it would get without one, and a new baseline is not answered from the old', () => {
  const factors = [
    col('storage', 'read duration', 'ms', (i) => (slow[i] ? 900 + (i % 97) : 20 + (i % 11))),
    col('other', 'event default_features', 'count', (i) => slow[i]!),
    // Different in the two halves of the baseline: another hit rule and other baseline hits for each.
    col('network', 'early retries', 'count', (i) => (i < 600 && i % 4 === 0 ? 1 : inRun(i) && i % 3 === 0 ? 1 : 0)),
    col('queue', 'queue depth', '', (i) => (i < 600 ? 5 + (i % 7) : 9 + (i % 13))),
  ];
  const memo = new AttributionMemo();
  const longerRun = Int32Array.from({ length: 1800 }, (_, k) => 2900 + k);
  // Another baseline: the windows' second half of the earliest fifth only (another p99, other hit rates).
  const otherBaseline = plan.baseline.subarray(plan.baseline.length / 2);
  for (const [baselineIdx, run, what] of [
    [plan.baseline, runIdx, 'first'],
    [plan.baseline, longerRun, 'the run extended'],
    [otherBaseline, longerRun, 'another baseline'],
  ] as const) {
    const withMemo = attributeCauses(inputOf(factors, { baselineIdx, runIdx: run, memo }));
    assertSameAttribution(withMemo, attributeCauses(inputOf(factors, { baselineIdx, runIdx: run })), run, what);
  }
});

test('half the factors measured across a thread boundary give the attribution measured here', async () => {
  const factors = [
    col('storage', 'read duration', 'ms', (i) => (slow[i] ? 900 + (i % 97) : 20 + (i % 11))),
    col('other', 'event default_features', 'count', (i) => slow[i]!),
    col('network', 'unrelated retries', 'count', (i) => (inRun(i) ? (i % 5 === 0 ? 1 : 0) : i % 50 === 0 ? 1 : 0)),
    col('queue', 'host-wide queue depth', '', (i) => (inRun(i) ? 50 + (i % 3) : 5 + (i % 3))),
    // A fifth, so a version factor after them would stand at an odd place (where factors go across).
    col('gpu', 'gpu throttled', 'count', (i) => (i % 97 === 0 ? 1 : 0)),
  ];
  let asked = 0;
  // As quality-worker.ts answers, with the request and the replies cloned as a message is.
  const otherThread: EvidenceSource = (request) => {
    const there = structuredClone(request);
    asked += there.factors.length;
    return Promise.resolve(structuredClone(there.factors.map((f) => toReply(factorEvidence(f, { ...there, traceIdOf, memo: undefined })))));
  };
  const here = attributeCauses(inputOf(factors));
  assert.ok(here.causes.length > 0);
  assertSameAttribution(await attributeCausesOnTwoThreads(inputOf(factors), otherThread), here, runIdx, 'split');
  assert.equal(asked, 2, 'every other factor went across');
  // A second version served in the run: its factor is made here and stays here.
  const lite = { type: 'categorical' as const, values: Int32Array.from({ length: N }, (_, i) => (inRun(i) && i % 2 ? 1 : 0)), categories: ['v1', 'lite'] };
  const twoVersions = inputOf(factors, { data: { ...data, version: lite } });
  const withVersions = attributeCauses(twoVersions);
  assert.ok(
    withVersions.candidates.some((c) => c.factor.startsWith('served version')),
    'the version served more is a factor',
  );
  asked = 0;
  assertSameAttribution(await attributeCausesOnTwoThreads(twoVersions, otherThread), withVersions, runIdx, 'with a version factor');
  assert.equal(asked, 2, 'the version factor is not sent');
  // Attributed twice with one memo (a finding whose cause extended its run), across the boundary.
  const memo = new AttributionMemo();
  const longerRun = Int32Array.from({ length: 1800 }, (_, k) => 2900 + k);
  for (const run of [runIdx, longerRun])
    assertSameAttribution(
      await attributeCausesOnTwoThreads(inputOf(factors, { runIdx: run, memo }), otherThread),
      attributeCauses(inputOf(factors, { runIdx: run })),
      run,
      `memo, run of ${run.length}`,
    );
  // A thread that fails (crashed, or could not open the store): its factors are measured here, to the same answer.
  const failing: EvidenceSource = () => Promise.reject(new Error('worker exited'));
  assertSameAttribution(await attributeCausesOnTwoThreads(inputOf(factors), failing), here, runIdx, 'the thread failed');
});
