/**
 * Per-operation statistics of one trace: count, total and self time (a span's time not covered
 * by its children, overlaps merged), and p50/p95/p99 of durations. Pure, unit-tested.
 */
import type { SpanView } from '../../../shared/model/telemetry.js';
import { selfTimes } from '../../../shared/compare/self-time.js';

export { selfTimes };

export interface OperationStats {
  service: string;
  name: string;
  count: number;
  totalMs: number;
  selfMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function operationStats(spans: SpanView[]): OperationStats[] {
  const self = selfTimes(spans);
  const groups = new Map<string, { service: string; name: string; durations: number[]; selfMs: number }>();
  for (const s of spans) {
    const key = `${s.serviceName}\u0000${s.name}`;
    const g = groups.get(key) ?? { service: s.serviceName, name: s.name, durations: [], selfMs: 0 };
    g.durations.push(s.durationMs);
    g.selfMs += self.get(s.spanId) ?? 0;
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => {
      const sorted = g.durations.sort((a, b) => a - b);
      return {
        service: g.service,
        name: g.name,
        count: sorted.length,
        totalMs: sorted.reduce((a, b) => a + b, 0),
        selfMs: g.selfMs,
        p50Ms: quantile(sorted, 0.5),
        p95Ms: quantile(sorted, 0.95),
        p99Ms: quantile(sorted, 0.99),
      };
    })
    .sort((a, b) => b.selfMs - a.selfMs);
}
