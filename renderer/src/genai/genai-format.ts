/** How the GenAI view writes its values, with their units, so the summary, charts and readouts agree. */
import { formatCount, formatDurationMs } from '../app/format.js';

export const formatShare = (v: number): string => `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`;
export const formatPerMinute = (v: number): string => `${v >= 10 ? v.toFixed(0) : v.toFixed(1)}/min`;
export const formatTokensPerSecond = (v: number): string => `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} tok/s`;
export const formatScore = (v: number): string => v.toFixed(2);
export const formatDocuments = (v: number): string => v.toFixed(1);
export const formatMs = (v: number): string => formatDurationMs(v);

/** A large token count: 1.2M, 84k, 950. */
export function formatTokens(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return formatCount(Math.round(n));
}

/** A percentile pair, "p50 2.4 s · p95 5.9 s", or a dash when nothing was measured. */
export function formatPair(p: { p50: number | null; p95: number | null }, f: (v: number) => string): string {
  return p.p50 === null || p.p95 === null ? '—' : `p50 ${f(p.p50)} · p95 ${f(p.p95)}`;
}
