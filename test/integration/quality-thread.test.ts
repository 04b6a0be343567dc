/**
 * The analysis reads ground truth on a thread of its own, tests every other numeric drift signal
 * there, and then measures every other factor of each attribution there (issue #16,
 * analysis/quality-thread.ts): the answer must be the one the analysis thread gives by itself,
 * window by window, test by test and cause by cause. The app sends only large models there; the
 * test sends every model: one with a single version, and one that falls back to a lite version
 * under a GPU throttle while v2 rolls out (signals per version, and a version as the baseline).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runCli, tempDir } from '../helpers/serve-process.js';
import { writeScenarioArchive } from '../scenarios/write-archive.js';
import type { AnalysisResult } from '../../shared/model/analysis.js';

let dbPath: string;

before(async () => {
  const dir = tempDir('sightline-quality-');
  const archive = path.join(dir, 'storage.jsonl.gz');
  await writeScenarioArchive(archive, { scenario: 'storage-slowdown', model: 'ranker', requests: 4_000, seed: 23 });
  const versions = path.join(dir, 'gpu.jsonl.gz');
  await writeScenarioArchive(versions, { scenario: 'gpu-throttle', model: 'scorer', requests: 4_000, seed: 29 });
  dbPath = path.join(dir, 'store.db');
  for (const [file, dataset] of [
    [archive, 'scenario'],
    [versions, 'versions'],
  ]) {
    const r = await runCli(['import', file!, '--db', dbPath, '--dataset', dataset!, '--json']);
    assert.equal(r.code, 0, r.stderr);
  }
});

async function analysis(env: Record<string, string>, scope: string[] = []): Promise<Omit<AnalysisResult, 'seconds'>> {
  const r = await runCli(['analyze', '--db', dbPath, '--json', '--timelines', ...scope], env);
  assert.equal(r.code, 0, r.stderr);
  const { seconds: _seconds, ...rest } = JSON.parse(r.stdout) as AnalysisResult;
  return rest;
}

test('ground truth, half the drift tests and half the evidence on a second thread give the analysis the thread would have found itself', async () => {
  for (const scope of [[], ['--service', 'ranker-api'], ['--dataset', 'versions', '--baseline-version', 'lite']]) {
    const here = await analysis({}, scope);
    const threaded = await analysis({ SIGHTLINE_QUALITY_THREAD_MIN_PREDICTIONS: '0' }, scope);
    assert.deepEqual(threaded, here, scope.join(' ') || 'whole store');
    const windows = here.models.flatMap((m) => m.windows);
    assert.ok(
      windows.some((w) => w.actuals > 0 && w.accuracy !== null),
      'the scenario has ground truth, so the comparison covers it',
    );
    const causes = here.findings.flatMap((f) => [...f.causes, ...f.coincident, ...f.context]);
    assert.ok(causes.length >= 2, 'the scenario has causes to attribute, so the comparison covers the evidence made on the thread');
    assert.ok(
      here.models.some((m) => Object.keys(m.tests).length >= 4),
      'models have several signals, so some are tested on the thread',
    );
  }
  const versions = (await analysis({}, ['--dataset', 'versions'])).models.find((m) => m.model === 'scorer');
  assert.ok(versions && versions.versions.length >= 2, 'the second model served several versions, so signals per version were tested');
});
