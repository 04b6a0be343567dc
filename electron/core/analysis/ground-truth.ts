/**
 * Quality per window from ground truth that arrived later (`ml.actual.*` joined by prediction
 * ID): accuracy and macro precision, recall and F1 for labels, MAE and RMSE for scores. The join runs in SQLite
 * (indexed by prediction ID), so a million predictions never become a million JS strings;
 * only confusion counts and error sums per window come back. When a prediction got several
 * actuals, the latest one counts (a correction wins). The join starts from the actuals and
 * finds each one's prediction by ID (CROSS JOIN fixes that order): SQLite's own choice walked
 * every prediction of the model and built a temporary index of the actuals, 1.0–1.2 s instead
 * of 0.7–0.8 s for 1M predictions with 500k actuals. The time bounds are written `+p.time…` so
 * they are checked on the prediction found, never used to pick the model/time index instead
 * (which scanned the whole range once per actual: 14 s for 10k actuals).
 */
import { joinSql, sql, type SqlText } from '../store/sql-text.js';
import type { Db } from '../store/db.js';
import type { WindowStats } from '../../../shared/model/analysis.js';
import type { ModelKey, Scope } from './model-data.js';
import type { Window } from './windows.js';

/** The quality part of a window's statistics. */
export type Quality = Pick<WindowStats, 'actuals' | 'accuracy' | 'precision' | 'recall' | 'f1' | 'mae' | 'rmse'>;

/** Macro-averaged precision, recall and F1 from a confusion table (predicted → actual → count). */
export function macroScores(confusion: Map<string, Map<string, number>>): { precision: number; recall: number; f1: number } | null {
  const classes = new Set<string>();
  let total = 0;
  for (const [p, row] of confusion) {
    classes.add(p);
    for (const [a, c] of row) {
      classes.add(a);
      total += c;
    }
  }
  if (total === 0) return null;
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const [p, row] of confusion) {
      for (const [a, n] of row) {
        if (p === c && a === c) tp += n;
        else if (p === c) fp += n;
        else if (a === c) fn += n;
      }
    }
    precision += tp + fp > 0 ? tp / (tp + fp) : 0;
    recall += tp + fn > 0 ? tp / (tp + fn) : 0;
    f1 += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return { precision: precision / classes.size, recall: recall / classes.size, f1: f1 / classes.size };
}

const EMPTY: Quality = { actuals: 0, accuracy: null, precision: null, recall: null, f1: null, mae: null, rmse: null };

export function qualityByWindow(db: Db, key: ModelKey, scope: Scope, windows: Window[], excludeVersion?: string): Quality[] {
  if (windows.length === 0) return [];
  const hasActuals = db.prepare('SELECT 1 FROM actuals WHERE dataset_id = ? LIMIT 1').get(key.datasetId);
  if (!hasActuals) return windows.map(() => EMPTY);
  const t0 = windows[0]!.startMs;
  const width = (windows[windows.length - 1]!.endMs - t0) / windows.length;
  const params: (string | number | bigint)[] = [key.datasetId, t0, width, windows.length - 1, key.datasetId, key.model];
  const extra: SqlText[] = [];
  if (scope.service !== undefined) {
    extra.push(sql` p.service_name = ?`);
    params.push(scope.service);
  }
  if (excludeVersion !== undefined) {
    extra.push(sql` p.model_version != ?`);
    params.push(excludeVersion);
  }
  if (scope.fromMs !== undefined) {
    extra.push(sql` +p.time_unix_nano >= ?`);
    params.push(BigInt(Math.floor(scope.fromMs)) * 1_000_000n);
  }
  if (scope.toMs !== undefined) {
    extra.push(sql` +p.time_unix_nano < ?`);
    params.push(BigInt(Math.ceil(scope.toMs)) * 1_000_000n);
  }
  const rows = db
    .prepare(
      `WITH latest AS (SELECT prediction_id, label, score, max(rowid) FROM actuals WHERE dataset_id = ? GROUP BY prediction_id)
       SELECT min(max(CAST((p.time_unix_nano / 1000000 - ?) / ? AS INTEGER), 0), ?) AS w, p.label, a.label, count(*),
              sum(abs(p.score - a.score)), sum((p.score - a.score) * (p.score - a.score)), count(p.score - a.score)
       FROM latest a CROSS JOIN predictions p ON p.prediction_id = a.prediction_id
       WHERE ${joinSql([sql`p.dataset_id = ? AND p.model_name = ?`, ...extra], ' AND ')}
       GROUP BY 1, 2, 3`,
    )
    .raw(true)
    .all(...params) as [number, string | null, string | null, number, number | null, number | null, number][];
  const acc = windows.map(() => ({ n: 0, labelled: 0, correct: 0, confusion: new Map<string, Map<string, number>>(), abs: 0, sq: 0, scored: 0 }));
  for (const [w, predicted, actual, n, abs, sq, scored] of rows) {
    const a = acc[w]!;
    a.n += n;
    if (predicted !== null && actual !== null) {
      a.labelled += n;
      if (predicted === actual) a.correct += n;
      const row = a.confusion.get(predicted) ?? new Map<string, number>();
      row.set(actual, (row.get(actual) ?? 0) + n);
      a.confusion.set(predicted, row);
    }
    a.abs += abs ?? 0;
    a.sq += sq ?? 0;
    a.scored += scored;
  }
  return acc.map((a) => {
    const scores = a.labelled ? macroScores(a.confusion) : null;
    return {
      actuals: a.n,
      accuracy: a.labelled ? a.correct / a.labelled : null,
      precision: scores?.precision ?? null,
      recall: scores?.recall ?? null,
      f1: scores?.f1 ?? null,
      mae: a.scored ? a.abs / a.scored : null,
      rmse: a.scored ? Math.sqrt(a.sq / a.scored) : null,
    };
  });
}
