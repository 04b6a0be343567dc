/**
 * Issue #12: the real cause named when several things change at once. Scenario runs made
 * with the OpenTelemetry SDK (several seeds) are written as OTLP JSON Lines archives,
 * imported into one store, and analysed: confounded pairs in both directions (the real cause
 * first, the other named as a coincidence), a partial incident (15% of requests) found and
 * covered, an incident at the very start kept out of the baseline, a network incident whose
 * latency heads its chain, a week of daily cycles with no finding (and one with an incident),
 * edges within a second at 120 requests/s, and units carried into the rules.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from '../helpers/serve-process.js';
import { writeScenarioArchive } from '../scenarios/write-archive.js';
import { HARD_SCENARIOS, type ScenarioName, type ScenarioTruth } from '../scenarios/inference-traffic.js';
import { openReader, openWriter } from '../../electron/core/store/open-store.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { ensureDataset } from '../../electron/core/store/datasets.js';
import { importFile } from '../../electron/core/importers/import-file.js';
import { analyze } from '../../electron/core/analysis/analyze.js';
import type { AnalysisResult, Finding } from '../../shared/model/analysis.js';

const SEEDS = [3, 8];
/** A Monday, midnight UTC: daily cycles and the planted afternoon incident line up with the clock. */
const WEEK_START = Date.UTC(2026, 9, 5);

interface Run {
  scenario: ScenarioName;
  seed: number;
  dense: boolean;
  truth: ScenarioTruth;
}

const runs: Run[] = [];
let result: AnalysisResult;

before(async () => {
  const dir = tempDir('sightline-attribution-');
  const dbPath = path.join(dir, 'scenarios.db');
  const db = openWriter(dbPath);
  const writer = new IngestWriter(db);
  const dataset = ensureDataset(db, 'scenarios', 'import', 'scenario generator');
  const plans: Omit<Run, 'truth'>[] = [
    ...HARD_SCENARIOS.flatMap((scenario) => SEEDS.map((seed) => ({ scenario, seed, dense: false }))),
    // 120 requests/s for five minutes: the edges must land within a second of the truth.
    { scenario: 'partial-storage', seed: 5, dense: true },
    { scenario: 'network-embedding', seed: 5, dense: true },
  ];
  for (const p of plans) {
    const file = path.join(dir, `${p.scenario}-${p.seed}.jsonl.gz`);
    const diurnal = p.scenario.startsWith('diurnal');
    const truth = await writeScenarioArchive(file, {
      scenario: p.scenario,
      seed: p.seed,
      model: `${p.scenario}-s${p.seed}${p.dense ? '-dense' : ''}`,
      ...(p.dense ? { requests: 36_000, durationMs: 300_000 } : {}),
      ...(diurnal ? { startMs: WEEK_START } : {}),
    });
    await importFile(file, writer, { dataset });
    runs.push({ ...p, truth });
  }
  db.close();
  const reader = openReader(dbPath);
  result = await analyze(reader);
  reader.close();
});

const findingsOf = (run: Run): Finding[] => result.findings.filter((f) => f.model === run.truth.model);
const label = (run: Run): string => `${run.scenario} (seed ${run.seed}${run.dense ? ', 120 requests/s' : ''})`;

function assertFound(run: Run, toleranceMs: number): Finding {
  const found = findingsOf(run);
  assert.equal(found.length, 1, `${label(run)}: one finding, got ${JSON.stringify(found.map((f) => [f.start, f.end]))}`);
  const f = found[0]!;
  const { startMs, endMs } = run.truth.incident!;
  assert.ok(Math.abs(Date.parse(f.start) - startMs) <= toleranceMs, `${label(run)}: starts ${f.start}, incident ${new Date(startMs).toISOString()}`);
  assert.ok(Math.abs(Date.parse(f.end) - endMs) <= toleranceMs, `${label(run)}: ends ${f.end}, incident ${new Date(endMs).toISOString()}`);
  return f;
}

function assertCause(run: Run, f: Finding): void {
  const top = f.causes[0];
  assert.ok(top, `${label(run)}: a cause is named; note: ${f.note}`);
  assert.equal(top.role, 'root');
  assert.equal(top.kind, run.truth.expectedCause, `${label(run)}: top cause ${top.factor} (${top.kind})`);
  assert.match(top.factor, run.truth.expectedFactor!, `${label(run)}: top cause ${top.factor}`);
  assert.equal(top.basis, 'per-request', 'per-request evidence leads');
  assert.ok(top.explainedShare >= 0.5, `${label(run)}: explains ${top.explainedShare}`);
  assert.equal(top.chain.at(-1)!.kind, 'drift', 'the chain ends at the drifted signal');
  if (run.truth.coincidentFactor) {
    const wrong = f.causes.filter((c) => c.role === 'root' && run.truth.coincidentFactor!.test(c.factor));
    assert.deepEqual(
      wrong.map((c) => c.factor),
      [],
      `${label(run)}: the change that explains nothing is not a cause`,
    );
  }
}

const MINUTE = 60_000;

test('confounded pairs, both directions: the real cause first, the coincidence named as such', () => {
  for (const run of runs.filter((r) => r.scenario === 'storage-with-gpu-noise' || r.scenario === 'gpu-with-storage-noise')) {
    const f = assertFound(run, MINUTE);
    assertCause(run, f);
    const named = [...f.coincident, ...f.context].filter((c) => run.truth.coincidentFactor!.test(c.factor));
    assert.ok(named.length > 0, `${label(run)}: the other change is reported beside the cause`);
    for (const c of named) assert.ok(c.explainedShare < 0.2, `${label(run)}: ${c.factor} explains ${c.explainedShare}`);
    if (run.scenario === 'storage-with-gpu-noise') assert.match(f.note, /Changed at the same time, explains nothing: .*gpu/);
    if (run.scenario === 'gpu-with-storage-noise') {
      assert.ok(
        f.causes[0]!.chain.some((s) => s.factor === 'served version lite'),
        'the version mix is a mechanism of the GPU chain',
      );
      assert.doesNotMatch(f.note, /version mix changed too/, 'and not a footnote');
    }
  }
});

test('a partial incident (15% of requests) is found and covered from start to end', () => {
  for (const run of runs.filter((r) => r.scenario === 'partial-storage' && !r.dense)) assertCause(run, assertFound(run, MINUTE));
});

test('at 120 requests/s the finding starts and ends within about a second of the incident', () => {
  for (const run of runs.filter((r) => r.dense)) assertCause(run, assertFound(run, 1500));
});

test('an incident at the very start is a finding, not the baseline', () => {
  for (const run of runs.filter((r) => r.scenario === 'early-storage')) {
    const f = assertFound(run, MINUTE);
    assertCause(run, f);
    const timeline = result.models.find((m) => m.model === run.truth.model)!;
    const { startMs, endMs } = run.truth.incident!;
    for (const p of timeline.baseline.periods)
      assert.ok(
        p.endMs <= startMs + 6 * MINUTE || p.startMs >= endMs - 6 * MINUTE,
        `${label(run)}: baseline period ${JSON.stringify(p)} overlaps the incident`,
      );
  }
});

test('a network incident: the call latency is the root, its timeouts and fallbacks the chain', () => {
  for (const run of runs.filter((r) => r.scenario === 'network-embedding')) {
    const f = assertFound(run, run.dense ? 1500 : MINUTE);
    assertCause(run, f);
    const top = f.causes[0]!;
    assert.deepEqual(
      top.chain.map((s) => s.factor).slice(0, -1),
      ['embedding.lookup duration', 'embedding.lookup error', 'event embedding.fallback'],
      `${label(run)}: ${JSON.stringify(top.chain)}`,
    );
    assert.match(top.chain[0]!.hitRule, /^> [\d.]+ ms$/, 'the unit travels with the rule');
    assert.match(f.note, /Chain: embedding\.lookup duration > [\d.]+ ms → embedding\.lookup error → event embedding\.fallback → /);
  }
});

test('a week of daily cycles: no finding against the same hours of earlier days; an afternoon incident is found', () => {
  for (const run of runs.filter((r) => r.scenario === 'diurnal-quiet')) {
    assert.deepEqual(
      findingsOf(run).map((f) => [f.start, f.end, f.signals.map((s) => s.signal)]),
      [],
      `${label(run)}: no finding`,
    );
    const timeline = result.models.find((m) => m.model === run.truth.model)!;
    assert.equal(timeline.baseline.kind, 'seasonal-daily');
    assert.match(timeline.baseline.description, /same hours of the previous days/);
  }
  for (const run of runs.filter((r) => r.scenario === 'diurnal-storage')) assertCause(run, assertFound(run, 30 * MINUTE));
});
