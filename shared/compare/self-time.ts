/**
 * Self time: the part of a span's duration not covered by its children (overlapping children
 * merged, clipped to the span). Where the time of a trace is really spent; shared by the
 * waterfall's statistics and trace comparison.
 */

/** What self time needs of a span. */
export interface TimedSpan {
  spanId: string;
  parentSpanId: string | null;
  startTimeMs: number;
  durationMs: number;
}

/** A span's self time: its duration minus the union of its children's intervals, clipped to it. */
export function selfTimes(spans: readonly TimedSpan[]): Map<string, number> {
  const children = new Map<string, TimedSpan[]>();
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
