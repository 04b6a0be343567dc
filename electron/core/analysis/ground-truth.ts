/**
 * Quality metrics from ground truth that arrived later (`ml.actual.*` joined by prediction
 * ID): accuracy and macro F1 for labels, MAE and RMSE for scores.
 */
import type { Db } from '../store/open-store.js';
import type { ModelData } from './model-data.js';

export interface Actual {
  label: string | null;
  score: number | null;
}

export interface Quality {
  actuals: number;
  accuracy: number | null;
  f1: number | null;
  mae: number | null;
  rmse: number | null;
}

export function loadActuals(db: Db, data: ModelData): Map<string, Actual> {
  const out = new Map<string, Actual>();
  if (!data.predictionIds.some((p) => p !== null)) return out;
  const stmt = db.prepare('SELECT prediction_id, label, score FROM actuals WHERE dataset_id = ? ORDER BY time_unix_nano').raw(true);
  for (const raw of stmt.iterate(data.datasetId)) {
    const [id, label, score] = raw as [string, string | null, number | null];
    out.set(id, { label, score }); // a later correction wins
  }
  return out;
}

/** Macro-averaged F1 over the classes seen in either column. */
export function macroF1(predicted: string[], actual: string[]): number | null {
  if (predicted.length === 0) return null;
  const classes = new Set([...predicted, ...actual]);
  let sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < predicted.length; i++) {
      const p = predicted[i] === c;
      const a = actual[i] === c;
      if (p && a) tp++;
      else if (p) fp++;
      else if (a) fn++;
    }
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / classes.size;
}

export function qualityOf(data: ModelData, actuals: Map<string, Actual>, from: number, to: number): Quality {
  const predicted: string[] = [];
  const actualLabels: string[] = [];
  let absSum = 0;
  let sqSum = 0;
  let scored = 0;
  let count = 0;
  for (let i = from; i < to; i++) {
    const id = data.predictionIds[i];
    if (!id) continue;
    const a = actuals.get(id);
    if (!a) continue;
    count++;
    const l = data.label.values[i]!;
    if (a.label !== null && l >= 0) {
      predicted.push(data.label.categories[l]!);
      actualLabels.push(a.label);
    }
    const s = data.score.values[i]!;
    if (a.score !== null && !Number.isNaN(s)) {
      absSum += Math.abs(s - a.score);
      sqSum += (s - a.score) ** 2;
      scored++;
    }
  }
  const correct = predicted.filter((p, i) => p === actualLabels[i]).length;
  return {
    actuals: count,
    accuracy: predicted.length ? correct / predicted.length : null,
    f1: macroF1(predicted, actualLabels),
    mae: scored ? absSum / scored : null,
    rmse: scored ? Math.sqrt(sqSum / scored) : null,
  };
}
