/**
 * How large a distance two samples of the *same* distribution show, at a given window size:
 * random windows drawn from the baseline are compared with the rest of it, and the largest
 * distance seen (of 40 draws, about the 98th percentile) times 1.25 becomes the floor of
 * the drift threshold. NannyML sets its thresholds from the reference period's variability in the
 * same spirit. Seeded, so the same data gives the same answer.
 */
import type { AnalysisSettings } from '../../../shared/model/analysis.js';
import { seededRandom } from '../stats/significance.js';
import { driftMagnitude, prepareBaseline } from './compare-samples.js';
import type { Column } from './model-data.js';

/** What the noise floor needs to know of a signal. */
export interface NoiseSubject {
  signal: string;
  version: string | null;
  column: Column;
  baselineIdx: Int32Array;
}

const DRAWS = 40;
const SAFETY = 1.25;
/**
 * Noise is measured on windows of at most this size against a reference of at most four
 * times as many, then scaled by √(size / window size): sampling noise of both distances falls
 * as 1/√n, and this keeps the cost flat for million-prediction models.
 */
const MAX_MEASURED_WINDOW = 1000;

export class NoiseThresholds {
  private readonly cache = new Map<string, number>();

  constructor(private readonly settings: AnalysisSettings) {}

  /** The noise floor for `def` at window size `n`, cached per size band (powers of √2). */
  threshold(def: NoiseSubject, n: number): number {
    const band = Math.round(Math.log2(Math.max(n, 2)) * 2);
    // Pooled signals apart from a version named "" (an empty ml.model.version is kept as it is).
    const key = `${def.signal}\u0000${def.version === null ? '\u0001' : `=${def.version}`}\u0000${band}`;
    let t = this.cache.get(key);
    if (t === undefined) {
      t = this.measure(def, Math.round(2 ** (band / 2)));
      this.cache.set(key, t);
    }
    return t;
  }

  private measure(def: NoiseSubject, windowSize: number): number {
    const pool = def.baselineIdx;
    // Keep at least half the baseline as the reference.
    const full = Math.min(windowSize, Math.floor(pool.length / 2));
    if (full < 10) return this.settings.distanceThreshold;
    const size = Math.min(full, MAX_MEASURED_WINDOW);
    const refSize = Math.min(pool.length - size, Math.max(4 * size, 2000));
    const random = seededRandom(pool.length * 31 + windowSize);
    const order = Int32Array.from(pool);
    let worst = 0;
    for (let d = 0; d < DRAWS; d++) {
      for (let i = 0; i < size + refSize; i++) {
        const j = i + Math.floor(random() * (order.length - i));
        const tmp = order[i]!;
        order[i] = order[j]!;
        order[j] = tmp;
      }
      const sample = order.subarray(0, size);
      const rest = order.subarray(size, size + refSize);
      const m = driftMagnitude(def.column, prepareBaseline(def.column, rest), sample).magnitude;
      if (m > worst) worst = m;
    }
    return worst * SAFETY * Math.sqrt(size / full);
  }
}
