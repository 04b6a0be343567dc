/**
 * A report's latency SLOs (p50, p95, p99 of request duration per model version) streamed into
 * typed arrays and found by selection equal the plain computation: every (model, version,
 * duration) row read, grouped and sorted. Two scenarios in one store (a GPU throttle serves a
 * fallback version), whole and scoped to one model and a time range.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from '../helpers/serve-process.js';
import { writeScenarioArchive } from '../scenarios/write-archive.js';
import { openWriter } from '../../electron/core/store/open-store.js';
import type { Db } from '../../electron/core/store/db.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { ensureDataset } from '../../electron/core/store/datasets.js';
import { importFile } from '../../electron/core/importers/import-file.js';
import { latencySlos } from '../../electron/core/reports/latency-slos.js';
import { quantileSorted } from '../../shared/stats/descriptive.js';
import type { ReportScope } from '../../shared/model/report.js';

let db: Db;
let datasetId: number;

before(async () => {
  const dir = tempDir('sightline-slos-');
  const gpu = path.join(dir, 'gpu.jsonl.gz');
  const storage = path.join(dir, 'storage.jsonl.gz');
  await writeScenarioArchive(gpu, { scenario: 'gpu-throttle', model: 'recommender', requests: 2_000, seed: 8 });
  await writeScenarioArchive(storage, { scenario: 'storage-slowdown', model: 'ranker', requests: 1_500, seed: 3 });
  db = openWriter(path.join(dir, 'slos.db'));
  const writer = new IngestWriter(db);
  const dataset = ensureDataset(db, 'scenarios', 'import', 'scenario generator');
  datasetId = dataset.id;
  for (const file of [gpu, storage]) await importFile(file, writer, { dataset });
});

/** The plain way: every row, grouped by model and version, each group sorted. */
function expected(scope: ReportScope): { model: string; version: string; requests: number; p50Ms: number; p95Ms: number; p99Ms: number }[] {
  const from = scope.fromMs === null ? -(2n ** 62n) : BigInt(scope.fromMs) * 1_000_000n;
  const to = scope.toMs === null ? 2n ** 62n : BigInt(scope.toMs) * 1_000_000n;
  const rows = db
    .prepare(
      `SELECT p.model_name, p.model_version, (t.end_time_unix_nano - t.start_time_unix_nano) / 1e6
       FROM predictions p JOIN traces t ON t.trace_seq = p.trace_seq
       WHERE p.time_unix_nano >= ? AND p.time_unix_nano < ? AND (? IS NULL OR p.model_name = ?)`,
    )
    .raw(true)
    .all(from, to, scope.model, scope.model) as [string, string, number][];
  const groups = new Map<string, number[]>();
  for (const [m, v, ms] of rows) groups.set(`${m}\u0000${v}`, [...(groups.get(`${m}\u0000${v}`) ?? []), ms]);
  const r = (x: number): number => Math.round(x * 100) / 100;
  return [...groups]
    .map(([key, list]) => {
      const [model, version] = key.split('\u0000') as [string, string];
      const sorted = Float64Array.from(list).sort();
      return {
        model,
        version,
        requests: list.length,
        p50Ms: r(quantileSorted(sorted, 0.5)),
        p95Ms: r(quantileSorted(sorted, 0.95)),
        p99Ms: r(quantileSorted(sorted, 0.99)),
      };
    })
    .sort((a, b) => a.model.localeCompare(b.model) || a.version.localeCompare(b.version));
}

const everything: ReportScope = { fromMs: null, toMs: null, service: null, model: null, datasetName: null };

test('latency SLOs per model version equal the sorted durations of every request', () => {
  const slos = latencySlos(db, everything, datasetId);
  assert.deepEqual(slos, expected(everything));
  assert.ok(new Set(slos.map((s) => s.model)).size === 2, 'both models');
  assert.ok(slos.filter((s) => s.model === 'recommender').length >= 2, 'the throttled model served a fallback version too');
  assert.ok(slos.every((s) => s.p50Ms <= s.p95Ms && s.p95Ms <= s.p99Ms && s.requests > 0));
});

test('scoped to one model and part of the time, the SLOs follow the scope', () => {
  const [first, last] = db
    .prepare('SELECT min(time_unix_nano) / 1000000, max(time_unix_nano) / 1000000 FROM predictions WHERE model_name = ?')
    .raw(true)
    .get('recommender') as [number, number];
  const scope: ReportScope = {
    ...everything,
    model: 'recommender',
    fromMs: Math.floor(first + (last - first) / 3),
    toMs: Math.floor(last - (last - first) / 3),
  };
  const slos = latencySlos(db, scope, datasetId);
  assert.deepEqual(slos, expected(scope));
  assert.ok(slos.length > 0 && slos.every((s) => s.model === 'recommender'));
  const whole = latencySlos(db, { ...everything, model: 'recommender' }, datasetId);
  assert.ok(slos.reduce((n, s) => n + s.requests, 0) < whole.reduce((n, s) => n + s.requests, 0));
});
