/**
 * Compares a column between two sets of predictions (baseline and window, given as index
 * lists) with the test the field uses for the column's type and the baseline's size, and
 * measures the drift's magnitude on one scale for counterfactuals (normalised Wasserstein
 * for numbers, Jensen-Shannon distance for categories).
 */
import type { AnalysisSettings, DriftTest } from '../../../shared/model/analysis.js';
import {
  binCounts,
  chiSquareTwoSample,
  jensenShannonDistance,
  ksTwoSample,
  populationStabilityIndex,
  quantileBinEdges,
  wasserstein1,
} from '../../../shared/stats/distribution-tests.js';
import { standardDeviation } from '../../../shared/stats/descriptive.js';
import type { Column } from './model-data.js';

export interface Comparison {
  test: DriftTest;
  statistic: number;
  /** Raw p-value for KS and chi-square; null for distances. */
  pValue: number | null;
  psi: number;
  magnitude: number;
  baselineCount: number;
  windowCount: number;
}

export function numericSample(values: Float64Array, indices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indices.length);
  let k = 0;
  for (let i = 0; i < indices.length; i++) {
    const v = values[indices[i]!]!;
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return out.subarray(0, k).sort();
}

export function countsOf(values: Int32Array, categories: number, indices: ArrayLike<number>): number[] {
  const counts = new Array<number>(categories).fill(0);
  for (let i = 0; i < indices.length; i++) {
    const c = values[indices[i]!]!;
    if (c >= 0) counts[c]!++;
  }
  return counts;
}

/**
 * A baseline prepared once per column and reused for every window: sorted values with their
 * standard deviation and PSI bins (a window then costs its own sort plus one merge), or
 * category counts.
 */
export type PreparedBaseline =
  | { type: 'numeric'; sorted: Float64Array; sd: number; psiEdges: number[]; psiCounts: number[] }
  | { type: 'categorical'; counts: number[] };

export function prepareBaseline(column: Column, indices: ArrayLike<number>): PreparedBaseline {
  if (column.type === 'categorical') return { type: 'categorical', counts: countsOf(column.values, column.categories.length, indices) };
  const sorted = numericSample(column.values, indices);
  const psiEdges = quantileBinEdges(sorted, 10);
  return { type: 'numeric', sorted, sd: standardDeviation(sorted), psiEdges, psiCounts: binCounts(sorted, psiEdges) };
}

function normalizedW1(baseline: { sorted: Float64Array; sd: number }, window: Float64Array): number {
  if (window.length === 0) return 0;
  const w = wasserstein1(baseline.sorted, window);
  if (baseline.sd > 0) return w / baseline.sd;
  return w === 0 ? 0 : Infinity;
}

export function baselineSize(b: PreparedBaseline): number {
  return b.type === 'numeric' ? b.sorted.length : b.counts.reduce((s, c) => s + c, 0);
}

/** Magnitude only (for counterfactuals and timelines). */
export function driftMagnitude(column: Column, baseline: PreparedBaseline, windowIdx: ArrayLike<number>): { magnitude: number; n: number } {
  if (column.type === 'numeric' && baseline.type === 'numeric') {
    const w = numericSample(column.values, windowIdx);
    return { magnitude: normalizedW1(baseline, w), n: w.length };
  }
  if (column.type === 'categorical' && baseline.type === 'categorical') {
    const counts = countsOf(column.values, column.categories.length, windowIdx);
    return { magnitude: jensenShannonDistance(baseline.counts, counts), n: counts.reduce((s, c) => s + c, 0) };
  }
  throw new Error('column and baseline types differ');
}

export function compareWithBaseline(column: Column, baseline: PreparedBaseline, windowIdx: ArrayLike<number>, settings: AnalysisSettings): Comparison {
  const large = baselineSize(baseline) > settings.largeBaseline;
  if (column.type === 'numeric' && baseline.type === 'numeric') {
    const w = numericSample(column.values, windowIdx);
    const magnitude = normalizedW1(baseline, w);
    const psi = w.length ? populationStabilityIndex(baseline.psiCounts, binCounts(w, baseline.psiEdges)) : 0;
    if (large) return { test: 'wasserstein', statistic: magnitude, pValue: null, psi, magnitude, baselineCount: baseline.sorted.length, windowCount: w.length };
    const ks = ksTwoSample(baseline.sorted, w);
    return { test: 'ks', statistic: ks.statistic, pValue: ks.pValue, psi, magnitude, baselineCount: baseline.sorted.length, windowCount: w.length };
  }
  if (column.type === 'categorical' && baseline.type === 'categorical') {
    const counts = countsOf(column.values, column.categories.length, windowIdx);
    const magnitude = jensenShannonDistance(baseline.counts, counts);
    const psi = populationStabilityIndex(baseline.counts, counts);
    const bn = baseline.counts.reduce((s, c) => s + c, 0);
    const wn = counts.reduce((s, c) => s + c, 0);
    if (large) return { test: 'jensen_shannon', statistic: magnitude, pValue: null, psi, magnitude, baselineCount: bn, windowCount: wn };
    const chi = chiSquareTwoSample(baseline.counts, counts);
    return { test: 'chi_square', statistic: chi.statistic, pValue: chi.pValue, psi, magnitude, baselineCount: bn, windowCount: wn };
  }
  throw new Error('column and baseline types differ');
}
