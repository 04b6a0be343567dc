/**
 * Issue #16: predictions packed as column blocks at ingest, with the factor observations of
 * their traces, give the analysis exactly what the rows give it. The same scenario archive goes into two stores, one written with a small
 * block (most predictions packed) and one with none packed; every analysis, whole or scoped
 * by time or service, must be equal. A factor observation arriving late for a packed trace
 * drops that block and the model's later ones; a prediction updated or deleted behind the
 * writer's back drops its model's blocks (a block may be missing, never stale), and the writer packs again
 * as data arrives, and a store from before blocks is packed when it is upgraded.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from '../helpers/serve-process.js';
import { writeScenarioArchive } from '../scenarios/write-archive.js';
import type { ScenarioTruth } from '../scenarios/inference-traffic.js';
import { openWriter } from '../../electron/core/store/open-store.js';
import type { Db } from '../../electron/core/store/db.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { ensureDataset } from '../../electron/core/store/datasets.js';
import { importFile } from '../../electron/core/importers/import-file.js';
import { analyze, type AnalyzeOptions } from '../../electron/core/analysis/analyze.js';
import { listModels, loadModelData } from '../../electron/core/analysis/model-data.js';
import { loadTraceFactors } from '../../electron/core/analysis/load-factors.js';
import { undoMigrationsAfter } from '../helpers/older-store.js';
import fs from 'node:fs';

const BLOCK_ROWS = 150;
let dir: string;
let truth: ScenarioTruth;
let packed: Db;
let rows: Db;

async function storeWith(name: string, blockRows: number, archives: string[]): Promise<Db> {
  // The writer reads its block size when it is made.
  process.env['SIGHTLINE_PREDICTION_BLOCK_ROWS'] = String(blockRows);
  try {
    const db = openWriter(path.join(dir, `${name}.db`));
    const writer = new IngestWriter(db);
    const dataset = ensureDataset(db, 'scenario', 'import', 'scenario generator');
    for (const file of archives) await importFile(file, writer, { dataset });
    return db;
  } finally {
    delete process.env['SIGHTLINE_PREDICTION_BLOCK_ROWS'];
  }
}

const blockCount = (db: Db): number => db.prepare('SELECT count(*) FROM prediction_blocks').pluck().get() as number;

async function analysisOf(db: Db, options: AnalyzeOptions = {}): Promise<unknown> {
  const { seconds: _seconds, ...rest } = await analyze(db, options);
  return rest;
}

before(async () => {
  dir = tempDir('sightline-blocks-');
  const storage = path.join(dir, 'storage.jsonl.gz');
  truth = await writeScenarioArchive(storage, { scenario: 'storage-slowdown', model: 'ranker', requests: 3_000, seed: 11 });
  const gpu = path.join(dir, 'gpu.jsonl.gz');
  await writeScenarioArchive(gpu, { scenario: 'gpu-throttle', model: 'recommender', requests: 2_000, seed: 4 });
  const pairs = path.join(dir, 'pairs.jsonl');
  writePairedPredictions(pairs, 400);
  packed = await storeWith('packed', BLOCK_ROWS, [storage, gpu, pairs]);
  rows = await storeWith('rows', 1_000_000_000, [storage, gpu, pairs]);
});

/**
 * Traces that each hold two predictions of one model ("pair-ranker") and two feature-store reads
 * of different durations (as OTLP JSON Lines): both predictions of a trace get its slower read.
 */
function writePairedPredictions(file: string, traces: number): void {
  const t0 = BigInt(Date.UTC(2026, 9, 2)) * 1_000_000n;
  const lines: string[] = [];
  const hex = (n: number, bytes: number): string => n.toString(16).padStart(bytes * 2, '0');
  const str = (key: string, value: string): unknown => ({ key, value: { stringValue: value } });
  for (let t = 0; t < traces; t++) {
    const traceId = hex(t + 1, 16);
    const start = t0 + BigInt(t) * 1_000_000_000n;
    const span = (id: number, name: string, kind: number, ms: number, attributes: unknown[], parent?: number): unknown => ({
      traceId,
      spanId: hex(t * 10 + id, 8),
      ...(parent ? { parentSpanId: hex(t * 10 + parent, 8) } : {}),
      name,
      kind,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + BigInt(ms * 1_000_000)),
      attributes,
    });
    const read = (id: number, ms: number): unknown => span(id, 'feature-store.read', 3, ms, [str('rpc.system', 'aws-api'), str('rpc.service', 'S3')], 1);
    const predict = (id: number, score: number): unknown =>
      span(
        id,
        'model.predict',
        1,
        2,
        [str('ml.model.name', 'pair-ranker'), str('ml.model.version', 'v1'), { key: 'ml.prediction.score', value: { doubleValue: score } }],
        1,
      );
    lines.push(
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [str('service.name', 'pair-api'), str('host.name', 'pair-1')] },
            scopeSpans: [
              { spans: [span(1, 'rank', 2, 200, []), read(2, 10 + (t % 7)), read(3, 30 + (t % 11)), predict(4, (t % 10) / 10), predict(5, (t % 3) / 3)] },
            ],
          },
        ],
      }),
    );
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

test("every prediction of a trace gets the trace's worst observation, packed or not", () => {
  const key = listModels(packed, { model: 'pair-ranker' })[0]!;
  const a = loadModelData(packed, key, {});
  assert.equal(a.n, 800);
  assert.ok(blockCount(packed) > 0 && (packed.prepare("SELECT count(*) FROM prediction_blocks WHERE model_name = 'pair-ranker'").pluck().get() as number) >= 3);
  const factors = loadTraceFactors(packed, a);
  assert.deepEqual(factors, loadTraceFactors(rows, loadModelData(rows, key, {})));
  const read = factors.find((f) => f.factor === 'feature-store.read duration');
  assert.ok(read, factors.map((f) => f.factor).join(', '));
  for (let i = 0; i < a.n; i++) {
    const t = a.traceSeq[i]!;
    const j = a.traceSeq.findIndex((s, k) => s === t && k !== i);
    assert.ok(j >= 0, 'two predictions in each trace');
    assert.equal(read.values[i], read.values[j], 'both predictions of a trace see the same reads');
    assert.ok(read.values[i]! >= 30, `the slower read of the trace (${read.values[i]} ms)`);
  }
});

test('the writer packs each model into blocks as predictions arrive; the rest stays rows', () => {
  assert.equal(blockCount(rows), 0);
  for (const model of ['ranker', 'recommender']) {
    const { blocks, inBlocks } = packed.prepare('SELECT count(*) AS blocks, sum(rows) AS inBlocks FROM prediction_blocks WHERE model_name = ?').get(model) as {
      blocks: number;
      inBlocks: number;
    };
    const total = packed.prepare('SELECT count(*) FROM predictions WHERE model_name = ?').pluck().get(model) as number;
    assert.ok(blocks >= Math.floor(total / BLOCK_ROWS) - 1, `${model}: ${blocks} blocks for ${total} predictions`);
    assert.ok(total - inBlocks < 2 * BLOCK_ROWS, `${model}: ${total - inBlocks} predictions left as rows`);
  }
});

test('an analysis reads the packed predictions from their blocks, not from the rows', () => {
  const key = listModels(packed, { model: 'ranker' })[0]!;
  const before = loadModelData(packed, key, {});
  // The packed rows themselves gone (the trigger that would drop their blocks too, set aside):
  // the same columns come back, from the blocks alone.
  packed.exec('SAVEPOINT rows_gone');
  try {
    packed.exec('DROP TRIGGER prediction_blocks_on_delete');
    const removed = packed
      .prepare(`DELETE FROM predictions WHERE model_name = 'ranker' AND id <= (SELECT max(last_id) FROM prediction_blocks WHERE model_name = 'ranker')`)
      .run().changes;
    assert.ok(removed > before.n / 2, `${removed} of ${before.n} predictions were in blocks`);
    assert.deepEqual(loadModelData(packed, key, {}), before);
  } finally {
    packed.exec('ROLLBACK TO rows_gone; RELEASE rows_gone');
  }
});

test('packed and unpacked stores give the same analysis, whole and scoped', async () => {
  const whole = (await analysisOf(packed)) as { findings: { model: string }[] };
  assert.deepEqual(whole, await analysisOf(rows));
  assert.ok(
    whole.findings.some((f) => f.model === 'ranker'),
    'the planted storage incident is found',
  );
  const middle = { fromMs: truth.startMs + (truth.endMs - truth.startMs) * 0.13, toMs: truth.startMs + (truth.endMs - truth.startMs) * 0.87 };
  assert.deepEqual(await analysisOf(packed, middle), await analysisOf(rows, middle));
  const services = packed.prepare('SELECT DISTINCT service_name FROM predictions').pluck().all() as string[];
  for (const service of services) assert.deepEqual(await analysisOf(packed, { service }), await analysisOf(rows, { service }), service);
  for (const key of listModels(packed, middle)) {
    const a = loadModelData(packed, key, middle);
    const b = loadModelData(rows, key, middle);
    assert.deepEqual(a, b, `${key.model}: the same columns in the same order`);
    assert.ok(a.n > 0);
    const factors = loadTraceFactors(packed, a);
    assert.deepEqual(factors, loadTraceFactors(rows, b), `${key.model}: the same factor columns`);
    assert.ok(factors.length > 0);
  }
});

test('a factor observation arriving late for a packed trace drops that block and the later ones', async () => {
  const blocks = packed
    .prepare(`SELECT first_id, min_trace_seq, max_trace_seq, length(factors) AS bytes FROM prediction_blocks WHERE model_name = 'ranker' ORDER BY first_id`)
    .all() as { first_id: number; min_trace_seq: number; max_trace_seq: number; bytes: number }[];
  assert.ok(blocks.length >= 4);
  assert.ok(
    blocks.every((b) => b.bytes > 100),
    'each block carries its traces’ factor observations',
  );
  const hit = blocks[2]!;
  const seq = packed
    .prepare(`SELECT trace_seq FROM predictions WHERE model_name = 'ranker' AND trace_seq BETWEEN ? AND ? LIMIT 1`)
    .pluck()
    .get(hit.min_trace_seq, hit.max_trace_seq) as number;
  // A late span's worst storage read for that trace: 9 s.
  const factorId = packed.prepare(`SELECT id FROM factors WHERE kind = 'storage' ORDER BY id LIMIT 1`).pluck().get() as number;
  const late = Buffer.from(Float64Array.from([factorId, 9_000]).buffer);
  for (const db of [packed, rows]) db.prepare('INSERT INTO trace_factors(trace_seq, observations) VALUES (?, ?)').run(seq, late);
  const left = packed.prepare(`SELECT first_id FROM prediction_blocks WHERE model_name = 'ranker' ORDER BY first_id`).pluck().all() as number[];
  assert.deepEqual(left, [blocks[0]!.first_id, blocks[1]!.first_id], 'the blocks before it stay');
  assert.ok(
    (packed.prepare(`SELECT count(*) FROM prediction_blocks WHERE model_name = 'recommender'`).pluck().get() as number) > 0,
    'other models keep theirs',
  );
  const key = listModels(packed, { model: 'ranker' })[0]!;
  const worst = (db: Db): number =>
    Math.max(...loadTraceFactors(db, loadModelData(db, key, {})).map((f) => Math.max(...f.values.filter((v) => !Number.isNaN(v)))));
  assert.equal(worst(packed), 9_000, 'the late observation is read');
  assert.deepEqual(await analysisOf(packed), await analysisOf(rows));
});

test('a prediction changed or deleted behind the writer drops its model’s blocks, and the answer follows the rows', async () => {
  const edit = (sql: string): void => {
    for (const db of [packed, rows]) assert.equal(db.prepare(sql).run().changes, 1);
  };
  const before = blockCount(packed);
  edit(`UPDATE predictions SET score = 0.999 WHERE id = (SELECT min(id) + 5 FROM predictions WHERE model_name = 'ranker')`);
  assert.equal(packed.prepare(`SELECT count(*) FROM prediction_blocks WHERE model_name = 'ranker'`).pluck().get(), 0);
  assert.ok(blockCount(packed) > 0 && blockCount(packed) < before, 'the other model keeps its blocks');
  edit(`DELETE FROM predictions WHERE id = (SELECT max(id) - 7 FROM predictions WHERE model_name = 'recommender')`);
  assert.equal(packed.prepare(`SELECT count(*) FROM prediction_blocks WHERE model_name IN ('ranker', 'recommender')`).pluck().get(), 0);
  assert.deepEqual(await analysisOf(packed), await analysisOf(rows));
});

test('the writer packs a model again when more of its predictions arrive', async () => {
  const more = path.join(dir, 'more.jsonl.gz');
  await writeScenarioArchive(more, {
    scenario: 'storage-slowdown',
    model: 'ranker',
    requests: 600,
    seed: 12,
    startMs: truth.endMs + 60_000,
  });
  process.env['SIGHTLINE_PREDICTION_BLOCK_ROWS'] = String(BLOCK_ROWS);
  try {
    const writer = new IngestWriter(packed);
    await importFile(more, writer, { dataset: ensureDataset(packed, 'scenario', 'import', 'scenario generator') });
  } finally {
    delete process.env['SIGHTLINE_PREDICTION_BLOCK_ROWS'];
  }
  assert.ok((packed.prepare(`SELECT count(*) FROM prediction_blocks WHERE model_name = 'ranker'`).pluck().get() as number) > 0);
  await importFile(more, new IngestWriter(rows), { dataset: ensureDataset(rows, 'scenario', 'import', 'scenario generator') });
  assert.deepEqual(await analysisOf(packed), await analysisOf(rows));
});

test('a store from before blocks is packed once when a writer first opens it', async () => {
  const file = path.join(dir, 'rows.db');
  rows.close();
  const old = openWriter(file);
  undoMigrationsAfter(old, 5);
  old.close();
  process.env['SIGHTLINE_PREDICTION_BLOCK_ROWS'] = String(BLOCK_ROWS);
  try {
    rows = openWriter(file);
  } finally {
    delete process.env['SIGHTLINE_PREDICTION_BLOCK_ROWS'];
  }
  assert.ok(blockCount(rows) >= 30, `${blockCount(rows)} blocks after the upgrade`);
  assert.deepEqual(await analysisOf(rows), await analysisOf(packed));
});
