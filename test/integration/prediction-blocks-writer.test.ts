/**
 * The writer's side of prediction blocks (issue #16): what it remembers of a model's unpacked
 * predictions must never outlive a change to them, and packing must never cost a batch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from '../helpers/serve-process.js';
import { openWriter } from '../../electron/core/store/open-store.js';
import type { Db } from '../../electron/core/store/db.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import { writeUserMapping } from '../../electron/core/ml/mapping-settings.js';
import { reextractMlIndex } from '../../electron/core/ml/reextract.js';
import { listModels, loadModelData } from '../../electron/core/analysis/model-data.js';

const T0_MS = 1_790_000_000_000;
let traces = 0;

function prediction(i: number): ReturnType<typeof decodeJson> {
  const id = (++traces).toString(16);
  const attr = (key: string, v: number | string): { key: string; value: Record<string, unknown> } => ({
    key,
    value: typeof v === 'number' ? { doubleValue: v } : { stringValue: v },
  });
  const startNs = BigInt(T0_MS + i * 1000) * 1_000_000n;
  return decodeJson(
    'traces',
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [attr('service.name', 'ranker-api'), attr('host.name', 'gpu-1')] },
          scopeSpans: [
            {
              scope: { name: 'test' },
              spans: [
                {
                  traceId: id.padStart(32, '0'),
                  spanId: id.padStart(16, '0'),
                  name: 'ranker.predict',
                  kind: 1,
                  startTimeUnixNano: String(startNs),
                  endTimeUnixNano: String(startNs + 2_000_000n),
                  attributes: [
                    attr('ml.model.name', 'ranker'),
                    attr('ml.prediction.score', i / 100),
                    attr('x.calibrated', 100 + i),
                    attr('ml.feature.user_ctr', i / 7),
                  ],
                },
              ],
            },
          ],
        },
      ],
    }),
  );
}

function withBlocksOf<T>(rows: number, make: () => T): T {
  process.env['SIGHTLINE_PREDICTION_BLOCK_ROWS'] = String(rows);
  try {
    return make();
  } finally {
    delete process.env['SIGHTLINE_PREDICTION_BLOCK_ROWS'];
  }
}

/** The model's columns read with its blocks, and read as rows only (the blocks hidden in a savepoint). */
function bothWays(db: Db): { packed: ReturnType<typeof loadModelData>; rows: ReturnType<typeof loadModelData> } {
  const key = listModels(db, { model: 'ranker' })[0]!;
  const packed = loadModelData(db, key, {});
  db.exec('SAVEPOINT hide; DELETE FROM prediction_blocks');
  const rows = loadModelData(db, key, {});
  db.exec('ROLLBACK TO hide; RELEASE hide');
  return { packed, rows };
}

const blocks = (db: Db): number => db.prepare('SELECT count(*) FROM prediction_blocks').pluck().get() as number;

test('after a re-extraction with a new mapping, the writer packs what is stored, not what it remembered', () => {
  const db = openWriter(path.join(tempDir('sightline-pack-'), 'reextract.db'));
  const writer = withBlocksOf(8, () => new IngestWriter(db));
  // Two blocks packed; the newest 8 predictions are rows the writer remembers as it inserted them.
  for (let i = 0; i < 24; i++) writer.write([prediction(i)]);
  assert.equal(blocks(db), 2);
  // Settings › Model attributes: the score is the calibrated one; the app re-extracts, which
  // stores the same predictions again, under the same ids and the same block edges.
  writeUserMapping(db, { score: ['x.calibrated'] });
  withBlocksOf(8, () => reextractMlIndex(db));
  assert.equal(blocks(db), 2);
  for (let i = 24; i < 26; i++) writer.write([prediction(i)]);
  const { packed, rows } = bothWays(db);
  assert.deepEqual([...packed.score.values], [...rows.score.values]);
  assert.deepEqual(
    [...packed.score.values],
    Array.from({ length: 26 }, (_, i) => 100 + i),
  );
});

test('a prediction that cannot be packed leaves its model as rows, and every batch is stored', () => {
  const db = openWriter(path.join(tempDir('sightline-pack-'), 'damaged.db'));
  const writer = withBlocksOf(8, () => new IngestWriter(db));
  for (let i = 0; i < 3; i++) writer.write([prediction(i)]);
  // Features text damaged behind Sightline's back, in a row the writer will read back to pack.
  db.prepare(
    `INSERT INTO predictions(dataset_id, trace_seq, span_id, time_unix_nano, duration_ns, service_name, host, model_name, model_version, features)
     SELECT dataset_id, trace_seq, span_id, time_unix_nano + 1, duration_ns, service_name, host, model_name, model_version, '{"user_ctr": 0.' FROM predictions LIMIT 1`,
  ).run();
  for (let i = 3; i < 30; i++) assert.doesNotThrow(() => writer.write([prediction(i)]));
  assert.equal(db.prepare(`SELECT count(*) FROM predictions WHERE model_name = 'ranker'`).pluck().get(), 31);
  assert.equal(blocks(db), 0);
});

test('a model of a fresh store is packed from what the writer inserted, equal to its rows', () => {
  const db = openWriter(path.join(tempDir('sightline-pack-'), 'fresh.db'));
  const writer = withBlocksOf(8, () => new IngestWriter(db));
  for (let i = 0; i < 60; i++) writer.write([prediction(i)]);
  assert.ok(blocks(db) >= 4, `${blocks(db)} blocks`);
  const { packed, rows } = bothWays(db);
  assert.deepEqual(packed, rows);
});
