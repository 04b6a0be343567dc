/**
 * Quality per window from ground truth that arrived later (`ml.actual.*` joined by prediction
 * ID): accuracy and macro precision, recall and F1 for labels, MAE and RMSE for scores. The
 * pairs are kept at ingest in `ground_truth` (migration 10: each prediction with the latest
 * actual of its ID in its dataset, a correction winning), in model/time order, so this is one
 * range scan grouped in SQLite: a million predictions never become a million JS strings, and
 * only confusion counts and error sums per window come back. (Joined here instead, predictions
 * with their actuals took 0.8 s for 1M predictions and 500k actuals; the scan takes 0.25–0.3 s.)
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

export function qualityByWindow(db: Db, key: ModelKey, scope: Scope, windows: Window[], excludeVersion?: string): Quality[] {
  if (windows.length === 0) return [];
  const t0 = windows[0]!.startMs;
  const width = (windows[windows.length - 1]!.endMs - t0) / windows.length;
  const params: (string | number | bigint)[] = [t0, width, windows.length - 1, key.datasetId, key.model];
  const extra: SqlText[] = [];
  if (scope.service !== undefined) {
    extra.push(sql` g.service_name = ?`);
    params.push(scope.service);
  }
  if (excludeVersion !== undefined) {
    extra.push(sql` g.model_version != ?`);
    params.push(excludeVersion);
  }
  if (scope.fromMs !== undefined) {
    extra.push(sql` g.time_unix_nano >= ?`);
    params.push(BigInt(Math.floor(scope.fromMs)) * 1_000_000n);
  }
  if (scope.toMs !== undefined) {
    extra.push(sql` g.time_unix_nano < ?`);
    params.push(BigInt(Math.ceil(scope.toMs)) * 1_000_000n);
  }
  const rows = db
    .prepare(
      sql`SELECT min(max(CAST((g.time_unix_nano / 1000000 - ?) / ? AS INTEGER), 0), ?) AS w, g.label, g.actual_label, count(*),
              sum(abs(g.score - g.actual_score)), sum((g.score - g.actual_score) * (g.score - g.actual_score)), count(g.score - g.actual_score)
       FROM ground_truth g
       WHERE ${joinSql([sql`g.dataset_id = ? AND g.model_name = ?`, ...extra], ' AND ')}
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
