/**
 * Background jobs run in a worker that is kept for the next job (jobs/job-runner.ts), and the
 * analysis's second thread is kept inside it (analysis/quality-thread.ts), so repeated analyses
 * find their code warm. What a user must see: the same answer every time, a job that failed
 * for its request (an unknown model) leaving the next one unharmed, and a server that stops
 * cleanly with a worker waiting. A real serve process over a real scenario store; every model
 * goes to the second thread (SIGHTLINE_QUALITY_THREAD_MIN_PREDICTIONS=0).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { apiResult, runCli, startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { writeScenarioArchive } from '../scenarios/write-archive.js';
import type { AnalysisResult } from '../../shared/model/analysis.js';

let serve: ServeProcess;
let datasetId: number;

before(async () => {
  const dir = tempDir('sightline-jobs-');
  const archive = path.join(dir, 'storage.jsonl.gz');
  await writeScenarioArchive(archive, { scenario: 'storage-slowdown', model: 'ranker', requests: 3_000, seed: 31 });
  const dbPath = path.join(dir, 'store.db');
  const r = await runCli(['import', archive, '--db', dbPath, '--dataset', 'scenario', '--json']);
  assert.equal(r.code, 0, r.stderr);
  process.env['SIGHTLINE_QUALITY_THREAD_MIN_PREDICTIONS'] = '0'; // the serve process inherits it
  serve = await startServe(dbPath, ['--otlp-grpc-port', 'off']);
  delete process.env['SIGHTLINE_QUALITY_THREAD_MIN_PREDICTIONS'];
  datasetId = (await apiResult<{ id: number; name: string }[]>(serve, 'listDatasets', {})).find((d) => d.name === 'scenario')!.id;
});

after(async () => {
  await serve?.stop();
});

const withoutTime = ({ seconds: _seconds, ...rest }: AnalysisResult): Omit<AnalysisResult, 'seconds'> => rest;

test('analyses in a kept worker give the same answer each time, and a failed job leaves the next one unharmed', async () => {
  const first = withoutTime(await apiResult<AnalysisResult>(serve, 'analyze', { datasetId }));
  assert.ok(first.findings.length > 0 && first.findings[0]!.causes.length > 0, 'the scenario drifts and has a cause');
  const second = withoutTime(await apiResult<AnalysisResult>(serve, 'analyze', { datasetId }));
  assert.deepEqual(second, first);
  // A job that fails for its request (no such model): the caller hears why.
  await assert.rejects(
    apiResult(serve, 'explainSelection', { datasetId, model: 'no-such-model', fromMs: 0, toMs: 1 }),
    /400.*no predictions of model .*no-such-model/,
  );
  const third = withoutTime(await apiResult<AnalysisResult>(serve, 'analyze', { datasetId }));
  assert.deepEqual(third, first);
  // Two at once: each gets a worker (one of them new), the same answer.
  const [a, b] = await Promise.all([apiResult<AnalysisResult>(serve, 'analyze', { datasetId }), apiResult<AnalysisResult>(serve, 'analyze', { datasetId })]);
  assert.deepEqual(withoutTime(a), first);
  assert.deepEqual(withoutTime(b), first);
});

test('the server stops cleanly with a worker kept waiting', async () => {
  await apiResult<AnalysisResult>(serve, 'analyze', { datasetId });
  await serve.stop();
  assert.equal(serve.proc.exitCode, 0, `serve exited with ${serve.proc.exitCode ?? serve.proc.signalCode}: ${serve.stderr()}`);
});
