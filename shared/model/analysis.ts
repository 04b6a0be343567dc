/**
 * What `analyze` returns: per model, the timeline the Models page draws, and the findings
 * (drifted windows) with their signals and ranked infrastructure causes. The CLI prints the
 * same objects (`sightline analyze --json`).
 */
import type { FactorKind } from './factor-kinds.js';

export type DriftTest = 'ks' | 'chi_square' | 'wasserstein' | 'jensen_shannon' | 'point_mass';

export interface DriftSignal {
  /**
   * 'score', 'confidence', 'label', 'version_mix', 'quality:<name>' (a language model's quality signals, genai.ts) or 'feature:<name>'; 'mass:<signal>' when one
   * exact value piled up in the window (defaults, fallbacks: a drifted minority).
   */
  signal: string;
  /** The model version the signal was measured on; null for all versions pooled. */
  version: string | null;
  test: DriftTest;
  /** The test's statistic at the window where it was strongest (KS D, chi², normalised W1, JS distance). */
  statistic: number;
  /** Drift when statistic ≥ threshold (distances) or when the adjusted p-value < threshold (KS, chi-square). */
  threshold: number;
  /** Benjamini-Hochberg adjusted p-value for KS and chi-square; null for distances. */
  pValue: number | null;
  psi: number;
  baselineCount: number;
  windowCount: number;
}

export interface CauseEvidence {
  hitRateWindow: number;
  hitRateBaseline: number;
  /** How a request counts as hit: "> 512.3 ms", "outside 0.55–0.85", "present" (events, errors). */
  hitRule: string;
  /** 95th percentile of the factor in the baseline and in the window (numeric factors). */
  baselineP95: number | null;
  windowP95: number | null;
  unit: string;
  /** The drift magnitude (normalised W1 or JS distance) of the primary signal, with and without hit requests. */
  driftBefore: number;
  driftAfter: number;
  primarySignal: string;
  /** Lag (in windows, factor leading when positive) with the strongest correlation between factor hit rate and drift. */
  lagWindows: number;
  lagCorrelation: number;
  /**
   * Robust anomaly score of the factor in the drifted window: modified z-score
   * (0.6745 · (x − median) / MAD) of its hit rate against the baseline windows' hit rates.
   */
  anomalyScore: number;
  /**
   * False when the hit requests could not be compared with requests of the same moment that
   * were not hit (the factor hit nearly every request then, as a host metric matched by time
   * does), so its own share could not be measured.
   */
  counterfactualCheckable: boolean;
  /** Share of the hit requests that found a non-hit request of the same minutes to stand in for them. */
  matchedFraction: number;
  /** Factor hit rate per model window (same order as ModelTimeline.windows). */
  hitRateSeries: number[];
}

/**
 * How the factor meets a request: seen in the request's own trace, or a host's metric series
 * matched by time (the same value for every request of that host at that moment), or the host
 * the request ran on. Time-matched evidence corroborates; it cannot tell requests apart.
 */
export type CauseBasis = 'per-request' | 'time-matched' | 'host';

/** One step of a causal chain, from the root to the drifted signal. */
export interface ChainStep {
  factor: string;
  /** The factor's kind, or 'drift' for the last step (the drifted signal). */
  kind: FactorKind | 'drift';
  hitRule: string;
  unit: string;
}

/**
 * root: ranked as a cause (it heads a chain); mechanism: a step between a root and the drift
 * (a timeout, a fallback, a version served); context: rose with the drift but could not be
 * checked request by request; coincident: rose at the same time but explains nothing (its hit
 * and non-hit requests drifted alike); cause: not yet placed (BubbleUp candidates).
 */
export type CauseRole = 'root' | 'mechanism' | 'context' | 'coincident' | 'cause';

export interface Cause {
  kind: FactorKind;
  /** What was measured: a span name with an attribute or 'duration', an event, a host, a metric, a served version. */
  factor: string;
  basis: CauseBasis;
  role: CauseRole;
  /** Root → … → drifted signal: how this factor produced the drift (empty outside causes). */
  chain: ChainStep[];
  /** When the share comes from a step of the chain rather than the factor itself: that step. */
  explainedVia?: string;
  /** Other factors of the same kind that hit the same requests (a throttled GPU's clock, temperature and utilisation). */
  equivalents?: string[];
  /** Host metrics matched by time that rose on the same requests: corroboration, not causes of their own. */
  corroboratedBy?: string[];
  /** Cohen's h between the window's and the baseline's hit rates. */
  effectSize: number;
  /** Permutation p-value (999 shuffles), Benjamini-Hochberg adjusted over all factors. */
  pValue: number;
  /**
   * Share of the drift (0–1) that goes away when the requests hit by the factor (or by the step
   * of its chain named in explainedVia) are replaced by requests of the same minutes that were
   * not hit: the matched counterfactual.
   */
  explainedShare: number;
  exemplarTraceIds: string[];
  evidence: CauseEvidence;
}

export interface Finding {
  datasetName: string;
  model: string;
  /** Versions served in the drifted window, most requests first. */
  versions: string[];
  /** ISO 8601. */
  start: string;
  end: string;
  signals: DriftSignal[];
  /** Best first; empty when no infrastructure factor explains the drift (see note). */
  causes: Cause[];
  /**
   * Factors that changed significantly in the same window but hit nearly every request in it
   * (a host-wide latency metric, say), so the counterfactual cannot be checked: context, not
   * a claimed cause.
   */
  context: Cause[];
  /** Factors that changed in the same minutes but explain nothing (hit and non-hit requests drifted alike). */
  coincident: Cause[];
  note: string;
  baseline: { start: string; end: string; count: number };
  predictions: number;
}

export interface WindowStats {
  startMs: number;
  endMs: number;
  count: number;
  /** Requests per version, in ModelTimeline.versions order. */
  versionCounts: number[];
  /** Quantiles p10, p50, p90 of the timeline's headline signal (null without values). */
  scoreQuantiles: [number, number, number] | null;
  confidenceMedian: number | null;
  /** Per pooled signal, statistic / threshold (≥ 1 is drift; for p-value tests, threshold / adjusted p capped at 10). */
  driftRatio: Record<string, number>;
  /** Ground truth that arrived for this window's predictions. */
  actuals: number;
  accuracy: number | null;
  /** Macro-averaged over the classes seen. */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  mae: number | null;
  rmse: number | null;
}

/**
 * What the windows were compared with: the earliest ordinary fifth of the range (windows that
 * look like an incident or a warm-up skipped), a pinned period, another version, or, when the
 * range spans two days (weeks), the same hours of the previous days (weeks).
 */
export type BaselineKind = 'earliest' | 'pinned' | 'version' | 'seasonal-daily' | 'seasonal-weekly';

export interface BaselineInfo {
  startMs: number;
  endMs: number;
  count: number;
  kind: BaselineKind;
  /** One sentence for people: what was compared with what. */
  description: string;
  /** The periods the baseline is made of (several when windows were skipped). */
  periods: { startMs: number; endMs: number }[];
}

export interface ModelTimeline {
  datasetName: string;
  datasetId: number;
  model: string;
  versions: { version: string; count: number }[];
  predictions: number;
  /**
   * The numeric signal the windows' quantiles describe: 'score', or for a language model
   * (no score) its first evaluation score or its response length ('quality:eval.relevance').
   */
  headline: string;
  baseline: BaselineInfo;
  windows: WindowStats[];
  /** Which test each pooled signal used. */
  tests: Record<string, DriftTest>;
  /** Why a model was not analysed (too few predictions), else null. */
  skipped: string | null;
}

export interface AnalysisSettings {
  /** Significance for KS and chi-square after Benjamini-Hochberg. */
  alpha: number;
  /** Normalised Wasserstein and Jensen-Shannon distance threshold. */
  distanceThreshold: number;
  /** Baselines with more predictions than this use distances instead of p-values. */
  largeBaseline: number;
  /** Consecutive drifted windows needed for a finding. */
  minWindows: number;
}

export const DEFAULT_ANALYSIS_SETTINGS: AnalysisSettings = { alpha: 0.05, distanceThreshold: 0.1, largeBaseline: 1000, minWindows: 2 };

export interface AnalysisResult {
  findings: Finding[];
  models: ModelTimeline[];
  settings: AnalysisSettings;
  /** Seconds the analysis took. */
  seconds: number;
}

/** A brushed selection compared with the baseline on every signal and factor (BubbleUp-style). */
export interface SelectionComparison {
  datasetName: string;
  model: string;
  selection: { start: string; end: string; count: number };
  baseline: { start: string; end: string; count: number };
  /** Every pooled signal, strongest first; `drifted` says whether it passed its threshold. */
  signals: (DriftSignal & { drifted: boolean })[];
  /** Accepted causes, best first (empty without drift: no drift, no cause). */
  causes: Cause[];
  /** Every factor more frequent in the selection than in the baseline, largest effect first. */
  factors: Cause[];
  note: string;
}
