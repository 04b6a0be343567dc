/**
 * How much a metric series matters to a trace, 0–1, and a short reason, so the lanes shown by
 * default are the few a reader needs and not the first names in the alphabet. Where the
 * series comes from scales what it measures and how it moved:
 *
 *   place   the host of the span the trace waited on (1), another of its hosts or another
 *           service on one of them (0.75), its service without a host (0.7), its service on
 *           a host it never touched (0.15: context, never shown by default);
 *   work    the series measures what the slow spans waited on: the share of the trace covered
 *           by storage (GPU, network, queue) spans, doubled and capped, and 1 when the span with
 *           the most self time is one; CPU and memory series count half of the trace's own work;
 *   change  the series moved around the trace against its lookback: how far the points near
 *           the trace went outside the lookback's usual band (10th–90th percentile), in robust
 *           standard deviations (1.4826 MAD), 0 up to 1, 1 from 7; 0 when the lookback has
 *           fewer than three points.
 *
 *   relevance = place × (0.25 + 0.5 × work + 0.25 × change), a fifth of it for a series
 *               with no point within reach of the trace (it cannot say what happened then)
 *
 * Weights are round numbers that keep the orders that matter: the kind of work the trace
 * waited on beats the host's other series, and any series of the trace's hosts with points
 * near it (at least 0.175) beats every series of a host it did not touch (at most 0.15). Pure.
 */
import type { MetricLane, MetricLaneKind, MetricLaneScope } from '../../../shared/model/telemetry.js';
import type { SlowSpan, TraceTimeSpent } from './trace-time-spent.js';

export interface LaneCandidate {
  kind: MetricLaneKind;
  scope: MetricLaneScope;
  service: string;
  host: string | null;
  /** Time order. */
  points: readonly MetricLane['points'][number][];
}

export interface LaneRelevance {
  relevance: number;
  why: string;
  /** 0–1, how much the series moved around the trace against its lookback. */
  change: number;
}

const PLACE: Record<MetricLaneScope, number> = { resource: 0.75, host: 0.75, service: 0.7, 'other-host': 0.15 };
const KIND_WORD: Record<MetricLaneKind, string> = { gpu: 'GPU', storage: 'storage', network: 'network', queue: 'queue', compute: 'compute', other: '' };
/** Near the trace: at least this far either side (or 1.5 of the series' point spacing). */
const NEAR_MS = 30_000;
/** What is left of the relevance of a series with no point near the trace. */
const SILENT = 0.2;
/** A kind of work this strong is named in the reason. */
const NAMED_WORK = 0.3;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function durationText(ms: number): string {
  return ms < 1000 ? `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Near the trace: at least NEAR_MS either side, or 1.5 of the series' usual point spacing. */
function nearMsOf(points: LaneCandidate['points']): number {
  const gaps = points.slice(1).map((p, i) => p.timeMs - points[i]!.timeMs);
  return Math.max(NEAR_MS, gaps.length ? 1.5 * median(gaps) : 0);
}

/** Points within reach of the trace. */
function nearPoints(points: LaneCandidate['points'], startMs: number, endMs: number): LaneCandidate['points'] {
  const nearMs = nearMsOf(points);
  return points.filter((p) => p.timeMs <= endMs + nearMs && p.timeMs >= startMs - nearMs);
}

/** How far the series moved near the trace from what its lookback says is usual. */
export function changeAroundTrace(points: LaneCandidate['points'], startMs: number, endMs: number): { change: number; rose: boolean } {
  const baseline = points.filter((p) => p.timeMs < startMs - nearMsOf(points)).map((p) => p.value);
  const near = nearPoints(points, startMs, endMs).map((p) => p.value);
  if (baseline.length < 3 || near.length === 0) return { change: 0, rose: false };
  // How far outside the lookback's usual band (10th–90th percentile) the trace's neighbourhood
  // went, in robust standard deviations: a slow swing the lookback already went through is no change.
  const sorted = [...baseline].sort((a, b) => a - b);
  const lo = sorted[Math.floor(0.1 * (sorted.length - 1))]!;
  const hi = sorted[Math.ceil(0.9 * (sorted.length - 1))]!;
  const mid = median(baseline);
  const mad = median(baseline.map((v) => Math.abs(v - mid)));
  const scale = Math.max(1.4826 * mad, 0.02 * Math.max(...baseline.map(Math.abs)), 1e-9);
  const outside = (v: number): number => Math.max(0, v - hi, lo - v);
  const far = near.reduce((a, b) => (outside(b) > outside(a) ? b : a));
  const z = outside(far) / scale;
  return { change: Math.min(1, Math.max(0, (z - 1) / 6)), rose: far > hi };
}

/** How much the series measures what the trace waited on, and the span that shows it. */
function workScore(kind: MetricLaneKind, spent: TraceTimeSpent): { score: number; span: SlowSpan | null } {
  if (kind === 'gpu' || kind === 'storage' || kind === 'network' || kind === 'queue') {
    const w = spent.work.get(kind);
    if (spent.top?.work === kind) return { score: 1, span: spent.top };
    return { score: Math.min(1, 2 * (w?.share ?? 0)), span: w?.slowest ?? null };
  }
  if (kind === 'compute') return { score: 0.5 * Math.min(1, 2 * spent.computeShare), span: spent.top?.work === null ? spent.top : null };
  return { score: 0, span: null };
}

export function laneRelevance(lane: LaneCandidate, spent: TraceTimeSpent, startMs: number, endMs: number): LaneRelevance {
  const work = workScore(lane.kind, spent);
  const named = work.score >= NAMED_WORK && work.span ? work.span : null;
  // The span whose host matters most: the one of this series' kind the trace waited on, else
  // the one with the most self time.
  const slow = named ?? spent.top;
  const onSlowHost =
    lane.scope !== 'other-host' && slow !== null && (lane.host !== null ? lane.host === slow.host : lane.scope === 'resource' && lane.service === slow.service);
  const place = onSlowHost ? 1 : PLACE[lane.scope];
  const { change, rose } = changeAroundTrace(lane.points, startMs, endMs);
  // A series with nothing near the trace cannot say what happened during it.
  const silent = nearPoints(lane.points, startMs, endMs).length === 0;
  const relevance = Math.round(place * (0.25 + 0.5 * work.score + 0.25 * change) * (silent ? SILENT : 1) * 1000) / 1000;

  const where =
    lane.scope === 'other-host'
      ? `another host of ${lane.service}, not in this trace`
      : onSlowHost && slow
        ? `host ${lane.host ?? lane.service} of the slow span ${slow.name}`
        : lane.scope === 'service'
          ? `service ${lane.service} of this trace`
          : `host ${lane.host ?? lane.service} of this trace`;
  const parts = [where];
  if (named && lane.scope !== 'other-host') {
    const kindWord = KIND_WORD[lane.kind];
    parts[0] = onSlowHost
      ? `${where} (${kindWord}, ${durationText(named.durationMs)})`
      : `${kindWord} like the slow span ${named.name} (${durationText(named.durationMs)}); ${where}`;
  }
  if (change >= 0.4) parts.push(`${rose ? 'rose' : 'fell'} around the trace`);
  if (silent) parts.push('no points near the trace');
  return { relevance, why: parts.join('; '), change };
}
