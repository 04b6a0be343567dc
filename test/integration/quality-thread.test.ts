/**
 * The analysis joins ground truth on a thread of its own while the drift tests run, and then
 * measures every other factor of each attribution there (issue #16, analysis/quality-thread.ts):
 * the answer must be the one the analysis thread gives by itself, window by window and cause by
 * cause. The app sends only large models there; the test sends every model.
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
  dbPath = path.join(dir, 'store.db');
  const r = await runCli(['import', archive, '--db', dbPath, '--dataset', 'scenario', '--json']);
  assert.equal(r.code, 0, r.stderr);
});

async function analysis(env: Record<string, string>, scope: string[] = []): Promise<Omit<AnalysisResult, 'seconds'>> {
  const r = await runCli(['analyze', '--db', dbPath, '--json', '--timelines', ...scope], env);
  assert.equal(r.code, 0, r.stderr);
  const { seconds: _seconds, ...rest } = JSON.parse(r.stdout) as AnalysisResult;
  return rest;
}

test('ground truth and half the evidence on a second thread give the analysis the thread would have found itself', async () => {
  for (const scope of [[], ['--service', 'ranker-api']]) {
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
  }
});
