/**
 * Per-operation statistics of one trace: count, total and self time (a span's time not covered
 * by its children, overlaps merged), and p50/p95/p99 of durations. Pure, unit-tested.
 */
import type { SpanView } from '../../../shared/model/telemetry.js';

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

/** A span's self time: its duration minus the union of its children's intervals, clipped to it. */
export function selfTimes(spans: SpanView[]): Map<string, number> {
  const children = new Map<string, SpanView[]>();
  for (const s of spans) {
    if (!s.parentSpanId || s.parentSpanId === s.spanId) continue;
    const list = children.get(s.parentSpanId) ?? [];
    list.push(s);
    children.set(s.parentSpanId, list);
  }
  const out = new Map<string, number>();
  for (const s of spans) {
    const start = s.startTimeMs;
    const end = s.startTimeMs + s.durationMs;
    const intervals = (children.get(s.spanId) ?? [])
      .map((c) => [Math.max(start, c.startTimeMs), Math.min(end, c.startTimeMs + c.durationMs)] as const)
      .filter(([a, b]) => b > a)
      .sort((x, y) => x[0] - y[0]);
    let covered = 0;
    let curStart = -Infinity;
    let curEnd = -Infinity;
    for (const [a, b] of intervals) {
      if (a > curEnd) {
        if (curEnd > curStart) covered += curEnd - curStart;
        curStart = a;
        curEnd = b;
      } else curEnd = Math.max(curEnd, b);
    }
    if (curEnd > curStart) covered += curEnd - curStart;
    out.set(s.spanId, Math.max(0, s.durationMs - covered));
  }
  return out;
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
