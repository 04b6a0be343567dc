/**
 * What each scenario plants, and what the analysis must conclude. A scenario is a set of
 * effects during one incident period; several effects at once make the confounded cases
 * (a real cause beside a change that explains nothing).
 */
import type { FactorKind } from '../../shared/model/factor-kinds.js';

export const SCENARIOS = ['storage-slowdown', 'gpu-throttle', 'rollout-no-drift', 'drift-no-infra', 'quiet'] as const;
/** Issue #12's harder cases: confounders, partial and early incidents, a network chain, seasons. */
export const HARD_SCENARIOS = [
  'storage-with-gpu-noise',
  'gpu-with-storage-noise',
  'partial-storage',
  'early-storage',
  'network-embedding',
  'diurnal-quiet',
  'diurnal-storage',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number] | (typeof HARD_SCENARIOS)[number];

export interface ScenarioEffects {
  /** The incident as fractions of the range, or null. */
  incident: { from: number; to: number } | null;
  /** Share of feature reads in the incident that time out (→ default features → drift). */
  storageTimeoutShare: number;
  /** Share of feature reads in the incident that are slow but finish in time (latency only). */
  storageSlowShare: number;
  /** One host's GPU throttles in the incident: its requests fall back to the lite model, or only run slower. */
  gpuThrottle: 'none' | 'fallback' | 'slow-only';
  /** The embedding service is 10× slower in the incident: timeouts, retries, cached embeddings. */
  network: boolean;
  /** A new user cohort arrives in the incident (drift without an infrastructure cause). */
  cohort: boolean;
  /** v2 replaces v1 gradually with the same behaviour. */
  rollout: boolean;
  /** Volume and user mix follow the hour of day. */
  diurnal: boolean;
}

export interface ScenarioExpectation {
  expectDrift: boolean;
  /** The expected top cause's kind (null: drift without an infrastructure cause). */
  expectedCause: FactorKind | null;
  /** The expected top cause's factor name. */
  expectedFactor: RegExp | null;
  /** A factor that changes at the same time and must not be named as the cause. */
  coincidentFactor: RegExp | null;
}

const NONE: ScenarioEffects = {
  incident: null,
  storageTimeoutShare: 0,
  storageSlowShare: 0,
  gpuThrottle: 'none',
  network: false,
  cohort: false,
  rollout: false,
  diurnal: false,
};
const MIDDLE = { from: 50 / 120, to: 90 / 120 };

export function effectsOf(scenario: ScenarioName): ScenarioEffects {
  switch (scenario) {
    case 'storage-slowdown':
      return { ...NONE, incident: MIDDLE, storageTimeoutShare: 0.35 };
    case 'gpu-throttle':
      return { ...NONE, incident: MIDDLE, gpuThrottle: 'fallback' };
    case 'rollout-no-drift':
      return { ...NONE, rollout: true };
    case 'drift-no-infra':
      return { ...NONE, incident: MIDDLE, cohort: true };
    case 'quiet':
      return NONE;
    case 'storage-with-gpu-noise':
      return { ...NONE, incident: MIDDLE, storageTimeoutShare: 0.35, gpuThrottle: 'slow-only' };
    case 'gpu-with-storage-noise':
      return { ...NONE, incident: MIDDLE, gpuThrottle: 'fallback', storageSlowShare: 0.9 };
    case 'partial-storage':
      return { ...NONE, incident: MIDDLE, storageTimeoutShare: 0.15 };
    case 'early-storage':
      return { ...NONE, incident: { from: 0.06, to: 0.4 }, storageTimeoutShare: 0.35 };
    case 'network-embedding':
      return { ...NONE, incident: MIDDLE, network: true };
    case 'diurnal-quiet':
      return { ...NONE, diurnal: true };
    case 'diurnal-storage':
      // Five hours of timeouts on the fifth afternoon of a week of daily cycles.
      return { ...NONE, diurnal: true, incident: { from: (4 * 24 + 13) / (7 * 24), to: (4 * 24 + 18) / (7 * 24) }, storageTimeoutShare: 0.35 };
  }
}

export function expectationOf(scenario: ScenarioName): ScenarioExpectation {
  const e = effectsOf(scenario);
  const storage = e.storageTimeoutShare > 0;
  const gpu = e.gpuThrottle === 'fallback';
  return {
    expectDrift: storage || gpu || e.network || e.cohort,
    expectedCause: storage ? 'storage' : gpu ? 'gpu' : e.network ? 'network' : null,
    expectedFactor: storage ? /^feature-store\.read / : gpu ? /^gpu\.inference |^metric DCGM_/ : e.network ? /^embedding\.lookup duration/ : null,
    coincidentFactor: e.gpuThrottle === 'slow-only' ? /^gpu\.|DCGM/ : e.storageSlowShare > 0 ? /^feature-store\.read |feature_store/ : null,
  };
}
