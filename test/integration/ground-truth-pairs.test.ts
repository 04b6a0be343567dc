/**
 * Issue #16: each prediction's ground truth is kept at ingest (`ground_truth`, migration 10) so
 * quality per window is a range scan instead of a join of a million predictions with their
 * actuals. The table must always hold exactly what that join gives: every prediction with
 * the latest actual (highest rowid) of its prediction ID in its own dataset. Checked after every
 * step of a seeded random history of inserts, corrections, edits and deletes on both sides
 * (whichever arrives first), and on a store from before the table, which gets it when upgraded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/serve-process.js';
import { openWriter } from '../../electron/core/store/open-store.js';
import type { Db } from '../../electron/core/store/db.js';
import { deleteDataset, ensureDataset } from '../../electron/core/store/datasets.js';
import { undoMigrationsAfter } from '../helpers/older-store.js';
import { macroScores, qualityByWindow } from '../../electron/core/analysis/ground-truth.js';
import { seededRandom } from '../../electron/core/stats/significance.js';

type Pair = [number, number, string, number, string, string, string | null, number | null, string | null, number | null];

/** The join the table replaces, row for row. */
function joined(db: Db | Database.Database): Pair[] {
  return db
    .prepare(
      `SELECT p.id, p.dataset_id, p.model_name, p.time_unix_nano, p.service_name, p.model_version, p.label, p.score, a.label, a.score
       FROM predictions p JOIN actuals a ON a.rowid = (SELECT max(rowid) FROM actuals WHERE dataset_id = p.dataset_id AND prediction_id = p.prediction_id)
       ORDER BY p.id`,
    )
    .raw(true)
    .all() as Pair[];
}

function kept(db: Db | Database.Database): Pair[] {
  return db
    .prepare(
      `SELECT prediction_rowid, dataset_id, model_name, time_unix_nano, service_name, model_version, label, score, actual_label, actual_score
       FROM ground_truth ORDER BY prediction_rowid`,
    )
    .raw(true)
    .all() as Pair[];
}

const insertPrediction = (
  db: Db | Database.Database,
  p: { dataset: number; model: string; timeMs: number; id: string | null; label: string; score: number; version?: string },
): number =>
  Number(
    db
      .prepare(
        `INSERT INTO predictions(dataset_id, trace_seq, span_id, time_unix_nano, duration_ns, service_name, host, model_name, model_version, score, label, confidence, prediction_id)
         VALUES (?, 1, x'0102030405060708', ?, 1000, 'ranker-svc', NULL, ?, ?, ?, ?, NULL, ?)`,
      )
      .run(p.dataset, BigInt(p.timeMs) * 1_000_000n, p.model, p.version ?? 'v1', p.score, p.label, p.id).lastInsertRowid,
  );
const insertActual = (db: Db | Database.Database, a: { dataset: number; id: string; label: string | null; score: number | null }): number =>
  Number(
    db.prepare('INSERT INTO actuals(dataset_id, prediction_id, time_unix_nano, label, score) VALUES (?, ?, 0, ?, ?)').run(a.dataset, a.id, a.label, a.score)
      .lastInsertRowid,
  );

test('quality per window follows late actuals, corrections and their removal', () => {
  const db = openWriter(path.join(tempDir('ground-truth-'), 'store.db'));
  const key = { datasetId: 1, datasetName: 'live', model: 'ranker' };
  const windows = [
    { index: 0, startMs: 0, endMs: 1000, from: 0, to: 2 },
    { index: 1, startMs: 1000, endMs: 2000, from: 2, to: 4 },
  ];
  // An actual that arrives before its prediction, and one after.
  insertActual(db, { dataset: 1, id: 'a', label: 'click', score: 1 });
  insertPrediction(db, { dataset: 1, model: 'ranker', timeMs: 100, id: 'a', label: 'click', score: 0.75 });
  insertPrediction(db, { dataset: 1, model: 'ranker', timeMs: 1500, id: 'b', label: 'click', score: 0.5 });
  let q = qualityByWindow(db, key, {}, windows);
  assert.deepEqual([q[0]!.actuals, q[0]!.accuracy, q[0]!.mae, q[1]!.actuals], [1, 1, 0.25, 0]);
  const late = insertActual(db, { dataset: 1, id: 'b', label: 'click', score: 1 });
  q = qualityByWindow(db, key, {}, windows);
  assert.deepEqual([q[1]!.actuals, q[1]!.accuracy, q[1]!.mae], [1, 1, 0.5]);
  // A correction wins; deleting it brings back the first answer.
  const correction = insertActual(db, { dataset: 1, id: 'b', label: 'skip', score: 0 });
  assert.equal(qualityByWindow(db, key, {}, windows)[1]!.accuracy, 0);
  db.prepare('DELETE FROM actuals WHERE rowid = ?').run(correction);
  assert.equal(qualityByWindow(db, key, {}, windows)[1]!.accuracy, 1);
  db.prepare('DELETE FROM actuals WHERE rowid = ?').run(late);
  assert.equal(qualityByWindow(db, key, {}, windows)[1]!.actuals, 0);
  // The same prediction ID in another dataset is another request.
  const other = ensureDataset(db, 'other', 'import', 'test').id;
  insertActual(db, { dataset: other, id: 'b', label: 'skip', score: 0 });
  assert.equal(qualityByWindow(db, key, {}, windows)[1]!.actuals, 0);
  assert.deepEqual(kept(db), joined(db));
  db.close();
});

test('the kept pairs equal the join after every step of a random history of edits on both sides', () => {
  const db = openWriter(path.join(tempDir('ground-truth-'), 'store.db'));
  const other = ensureDataset(db, 'other', 'import', 'test').id;
  const random = seededRandom(2026);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const ids = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];
  const labels = ['click', 'skip', null];
  const rowids = (table: string): number[] => db.prepare(`SELECT rowid FROM ${table}`).pluck().all() as number[];
  const steps: [string, () => void][] = [
    [
      'insert a prediction',
      () =>
        void insertPrediction(db, {
          dataset: pick([1, other]),
          model: pick(['ranker', 'lite']),
          timeMs: Math.floor(random() * 5000),
          id: pick([...ids, null]),
          label: pick(['click', 'skip']),
          score: random(),
        }),
    ],
    ['insert an actual', () => void insertActual(db, { dataset: pick([1, other]), id: pick(ids), label: pick(labels), score: pick([random(), null]) })],
    ['delete an actual', () => void db.prepare('DELETE FROM actuals WHERE rowid = ?').run(pick(rowids('actuals')) ?? -1)],
    [
      'correct an actual in place',
      () => void db.prepare('UPDATE actuals SET label = ?, score = ? WHERE rowid = ?').run(pick(labels), random(), pick(rowids('actuals')) ?? -1),
    ],
    [
      'move an actual to another ID',
      () => void db.prepare('UPDATE actuals SET prediction_id = ? WHERE rowid = ?').run(pick(ids), pick(rowids('actuals')) ?? -1),
    ],
    [
      'edit a prediction',
      () =>
        void db
          .prepare('UPDATE predictions SET label = ?, time_unix_nano = ?, model_version = ? WHERE id = ?')
          .run(pick(['click', 'skip']), Math.floor(random() * 5e9), pick(['v1', 'v2']), pick(rowids('predictions')) ?? -1),
    ],
    [
      'move a prediction to another model, service and score',
      () =>
        void db
          .prepare('UPDATE predictions SET model_name = ?, service_name = ?, score = ? WHERE id = ?')
          .run(pick(['ranker', 'lite']), pick(['a', 'b']), pick([random(), null]), pick(rowids('predictions')) ?? -1),
    ],
    [
      'move a prediction to another dataset',
      () => void db.prepare('UPDATE predictions SET dataset_id = ? WHERE id = ?').run(pick([1, other]), pick(rowids('predictions')) ?? -1),
    ],
    [
      'give a prediction another ID',
      () => void db.prepare('UPDATE predictions SET prediction_id = ? WHERE id = ?').run(pick([...ids, null]), pick(rowids('predictions')) ?? -1),
    ],
    ['delete a prediction', () => void db.prepare('DELETE FROM predictions WHERE id = ?').run(pick(rowids('predictions')) ?? -1)],
    [
      'move an actual to another dataset',
      () => void db.prepare('UPDATE actuals SET dataset_id = ? WHERE rowid = ?').run(pick([1, other]), pick(rowids('actuals')) ?? -1),
    ],
    ['delete every actual of an ID', () => void db.prepare('DELETE FROM actuals WHERE prediction_id = ?').run(pick(ids))],
    ['rename an ID on every actual', () => void db.prepare('UPDATE actuals SET prediction_id = ? WHERE prediction_id = ?').run(pick(ids), pick(ids))],
    [
      'delete the predictions of a model',
      () => void db.prepare('DELETE FROM predictions WHERE model_name = ? AND dataset_id = ?').run(pick(['ranker', 'lite']), pick([1, other])),
    ],
  ];
  let paired = 0;
  for (let k = 0; k < 600; k++) {
    const [what, step] = k < 40 ? steps[k % 2]! : pick(steps);
    step();
    const want = joined(db);
    assert.deepEqual(kept(db), want, `after step ${k} (${what})`);
    paired = Math.max(paired, want.length);
  }
  assert.ok(paired >= 10, `the history paired ${paired} predictions at most`);
  deleteDataset(db, 'other');
  assert.deepEqual(kept(db), joined(db));
  db.close();
});

type Scope = { service?: string; fromMs?: number; toMs?: number };

/** The quality query before migration 10 (the join itself), as rows grouped by window and labels. */
function groupedByJoin(db: Db, scope: Scope, excludeVersion: string | undefined): unknown[] {
  const where = ['p.dataset_id = 1', "p.model_name = 'ranker'"];
  const params: (string | number | bigint)[] = [];
  if (scope.service !== undefined) {
    where.push('p.service_name = ?');
    params.push(scope.service);
  }
  if (excludeVersion !== undefined) {
    where.push('p.model_version != ?');
    params.push(excludeVersion);
  }
  if (scope.fromMs !== undefined) {
    where.push('+p.time_unix_nano >= ?');
    params.push(BigInt(scope.fromMs) * 1_000_000n);
  }
  if (scope.toMs !== undefined) {
    where.push('+p.time_unix_nano < ?');
    params.push(BigInt(scope.toMs) * 1_000_000n);
  }
  return db
    .prepare(
      `WITH latest AS (SELECT prediction_id, label, score, max(rowid) FROM actuals WHERE dataset_id = 1 GROUP BY prediction_id)
       SELECT min(max(CAST((p.time_unix_nano / 1000000) / 300000 AS INTEGER), 0), 9) AS w, p.label, a.label, count(*),
              sum(abs(p.score - a.score)), sum((p.score - a.score) * (p.score - a.score)), count(p.score - a.score)
       FROM latest a CROSS JOIN predictions p ON p.prediction_id = a.prediction_id
       WHERE ${where.join(' AND ')} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    )
    .raw(true)
    .all(...params);
}

test('quality per window is what the join gave, whole and scoped, with missing labels and scores', () => {
  const db = openWriter(path.join(tempDir('ground-truth-'), 'store.db'));
  const random = seededRandom(7);
  for (let i = 0; i < 3000; i++) {
    const id = `q${i}`;
    db.prepare(
      `INSERT INTO predictions(dataset_id, trace_seq, span_id, time_unix_nano, duration_ns, service_name, host, model_name, model_version, score, label, confidence, prediction_id)
       VALUES (1, 1, x'01', ?, 1, ?, NULL, 'ranker', ?, ?, ?, NULL, ?)`,
    ).run(
      BigInt(i * 1000) * 1_000_000n,
      i % 3 ? 'api' : 'batch',
      i % 5 ? 'v1' : 'v2',
      i % 7 ? random() : null,
      i % 11 ? (random() < 0.5 ? 'click' : 'skip') : null,
      id,
    );
    if (random() < 0.6)
      insertActual(db, { dataset: 1, id, label: random() < 0.1 ? null : random() < 0.6 ? 'click' : 'skip', score: random() < 0.1 ? null : random() });
    if (random() < 0.05) insertActual(db, { dataset: 1, id, label: 'skip', score: 0 }); // a correction
  }
  const windows = Array.from({ length: 10 }, (_, k) => ({ index: k, startMs: k * 300_000, endMs: (k + 1) * 300_000, from: k * 300, to: (k + 1) * 300 }));
  const key = { datasetId: 1, datasetName: 'live', model: 'ranker' };
  for (const [scope, exclude] of [
    [{}, undefined],
    [{ service: 'batch' }, undefined],
    [{}, 'v2'],
    [{ fromMs: 450_000, toMs: 2_100_000 }, undefined],
  ] as [Scope, string | undefined][]) {
    const label = JSON.stringify({ scope, exclude });
    const q = qualityByWindow(db, key, scope, windows, exclude);
    assert.ok(
      q.some((w) => w.actuals > 0 && w.accuracy !== null && w.mae !== null),
      label,
    );
    // Window by window, every figure the timeline shows, from the join's groups.
    const rows = groupedByJoin(db, scope, exclude) as [number, string | null, string | null, number, number | null, number | null, number][];
    const near = (a: number | null, b: number | null): boolean => (a === null ? b === null : b !== null && Math.abs(a - b) < 1e-12);
    windows.forEach((w) => {
      const at = `${label} window ${w.index}`;
      const mine = rows.filter((r) => r[0] === w.index);
      const labelled = mine.filter((r) => r[1] !== null && r[2] !== null);
      const labelledCount = labelled.reduce((n, r) => n + r[3], 0);
      const confusion = new Map<string, Map<string, number>>();
      for (const [, predicted, actual, n] of labelled) confusion.set(predicted!, (confusion.get(predicted!) ?? new Map<string, number>()).set(actual!, n));
      const scores = labelledCount ? macroScores(confusion) : null;
      const scored = mine.reduce((n, r) => n + r[6], 0);
      const abs = mine.reduce((n, r) => n + (r[4] ?? 0), 0);
      const sq = mine.reduce((n, r) => n + (r[5] ?? 0), 0);
      const got = q[w.index]!;
      assert.equal(
        got.actuals,
        mine.reduce((n, r) => n + r[3], 0),
        at,
      );
      assert.equal(got.accuracy, labelledCount ? labelled.filter((r) => r[1] === r[2]).reduce((n, r) => n + r[3], 0) / labelledCount : null, at);
      for (const [name, want] of [
        ['precision', scores?.precision ?? null],
        ['recall', scores?.recall ?? null],
        ['f1', scores?.f1 ?? null],
        ['mae', scored ? abs / scored : null],
        ['rmse', scored ? Math.sqrt(sq / scored) : null],
      ] as const)
        assert.ok(near(got[name], want), `${at}: ${name} ${got[name]} against ${want}`);
    });
  }
  db.close();
});

test('a store from before the table gets its pairs when it is upgraded', () => {
  const file = path.join(tempDir('ground-truth-'), 'old.db');
  openWriter(file).close();
  const old = new Database(file);
  undoMigrationsAfter(old, 9);
  for (let i = 0; i < 50; i++) {
    insertPrediction(old, { dataset: 1, model: 'ranker', timeMs: i * 10, id: `r${i % 40}`, label: i % 3 ? 'click' : 'skip', score: i / 50 });
    if (i % 2) insertActual(old, { dataset: 1, id: `r${i}`, label: 'click', score: 1 });
  }
  insertActual(old, { dataset: 1, id: 'r1', label: 'skip', score: 0 }); // a correction
  const want = joined(old);
  old.close();
  const db = openWriter(file);
  assert.equal(db.pragma('user_version', { simple: true }), 10);
  assert.ok(want.length > 20);
  assert.deepEqual(kept(db), want);
  db.close();
});
