/**
 * Compares two groups of traces operation by operation (service + span name): how often each
 * runs, how long it takes (p50/p95/p99, KS test), how much time it adds to a trace (ranked by
 * self time, so a root that only waits for a slow child does not outrank the child), and which
 * span paths occur more in one group. Pure, so the same code explains "what is different
 * about the slow ones" for groups and for two single traces.
 */
import { quantileSorted } from '../../../shared/stats/descriptive.js';
import { ksTwoSample } from '../stats/distribution-tests.js';
import { selfTimes } from '../../../shared/compare/self-time.js';
import type {
  CompareSpan,
  CompareTrace,
  GroupComparison,
  GroupSummary,
  OperationComparison,
  OperationGroupStats,
  PathDifference,
} from '../../../shared/model/trace-compare.js';

const MAX_PATHS = 200;

interface OperationSamples {
  service: string;
  name: string;
  durationsMs: number[];
  selfMsTotal: number;
  traces: number;
  errors: number;
}

interface GroupIndex {
  summary: GroupSummary;
  operations: Map<string, OperationSamples>;
  paths: Map<string, number>;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const label = (s: CompareSpan): string => `${s.service}: ${s.name}`;

/** Per trace: root-first path of every span, with cycles and missing parents cut off. */
function spanPaths(trace: CompareSpan[]): string[] {
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  const memo = new Map<string, string>();
  const pathOf = (s: CompareSpan, depth: number): string => {
    const known = memo.get(s.spanId);
    if (known !== undefined) return known;
    const parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
    const p = parent && depth < 64 ? `${pathOf(parent, depth + 1)} › ${label(s)}` : label(s);
    memo.set(s.spanId, p);
    return p;
  };
  return trace.map((s) => pathOf(s, 0));
}

function indexGroup(traces: CompareTrace[]): GroupIndex {
  const operations = new Map<string, OperationSamples>();
  const paths = new Map<string, number>();
  const traceDurations: number[] = [];
  let spans = 0;
  let errorTraces = 0;
  for (const { spans: trace, durationMs } of traces) {
    spans += trace.length;
    const seen = new Set<string>();
    let traceHasError = false;
    const self = selfTimes(trace);
    for (const s of trace) {
      const key = `${s.service}\u0000${s.name}`;
      let op = operations.get(key);
      if (!op) operations.set(key, (op = { service: s.service, name: s.name, durationsMs: [], selfMsTotal: 0, traces: 0, errors: 0 }));
      op.durationsMs.push(s.durationMs);
      op.selfMsTotal += self.get(s.spanId) ?? 0;
      if (s.error) {
        op.errors++;
        traceHasError = true;
      }
      if (!seen.has(key)) {
        seen.add(key);
        op.traces++;
      }
    }
    for (const p of spanPaths(trace)) paths.set(p, (paths.get(p) ?? 0) + 1);
    if (traceHasError) errorTraces++;
    traceDurations.push(durationMs);
  }
  const sorted = Float64Array.from(traceDurations).sort();
  const n = traces.length;
  return {
    summary: {
      traces: n,
      spans,
      meanDurationMs: n ? round(traceDurations.reduce((a, b) => a + b, 0) / n) : 0,
      p50DurationMs: n ? round(quantileSorted(sorted, 0.5)) : 0,
      p95DurationMs: n ? round(quantileSorted(sorted, 0.95)) : 0,
      errorTraces,
    },
    operations,
    paths,
  };
}

function stats(op: OperationSamples | undefined, groupTraces: number): OperationGroupStats {
  if (!op || op.durationsMs.length === 0)
    return { count: 0, tracesWith: 0, errors: 0, meanMs: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, msPerTrace: 0, selfMsPerTrace: 0 };
  const sorted = Float64Array.from(op.durationsMs).sort();
  const total = op.durationsMs.reduce((a, b) => a + b, 0);
  return {
    count: op.durationsMs.length,
    tracesWith: op.traces,
    errors: op.errors,
    meanMs: round(total / op.durationsMs.length),
    p50Ms: round(quantileSorted(sorted, 0.5)),
    p95Ms: round(quantileSorted(sorted, 0.95)),
    p99Ms: round(quantileSorted(sorted, 0.99)),
    msPerTrace: groupTraces ? round(total / groupTraces) : 0,
    selfMsPerTrace: groupTraces ? round(op.selfMsTotal / groupTraces) : 0,
  };
}

const EXAMPLE_TRACES = 20;

/** Group A (to explain) against group B (the reference). */
export function compareGroups(groupA: CompareTrace[], groupB: CompareTrace[]): GroupComparison {
  const a = indexGroup(groupA);
  const b = indexGroup(groupB);
  const keys = new Set([...a.operations.keys(), ...b.operations.keys()]);
  const operations: OperationComparison[] = [...keys].map((key) => {
    const opA = a.operations.get(key);
    const opB = b.operations.get(key);
    const sa = stats(opA, a.summary.traces);
    const sb = stats(opB, b.summary.traces);
    const presence = (s: OperationGroupStats, n: number): number => (n ? s.tracesWith / n : 0);
    return {
      service: (opA ?? opB)!.service,
      name: (opA ?? opB)!.name,
      a: sa,
      b: sb,
      deltaMsPerTrace: round(sa.msPerTrace - sb.msPerTrace),
      deltaSelfMsPerTrace: round(sa.selfMsPerTrace - sb.selfMsPerTrace),
      deltaPresence: round(presence(sa, a.summary.traces) - presence(sb, b.summary.traces)),
      ksPValue: opA && opB && opA.durationsMs.length >= 2 && opB.durationsMs.length >= 2 ? ksTwoSample(opA.durationsMs, opB.durationsMs).pValue : null,
    };
  });
  operations.sort(
    (x, y) =>
      Math.abs(y.deltaSelfMsPerTrace) - Math.abs(x.deltaSelfMsPerTrace) ||
      Math.abs(y.deltaPresence) - Math.abs(x.deltaPresence) ||
      x.service.localeCompare(y.service) ||
      x.name.localeCompare(y.name),
  );
  const perTrace = (count: number | undefined, n: number): number => (n ? round((count ?? 0) / n) : 0);
  const paths: PathDifference[] = [...new Set([...a.paths.keys(), ...b.paths.keys()])]
    .map((path) => ({ path, aPerTrace: perTrace(a.paths.get(path), a.summary.traces), bPerTrace: perTrace(b.paths.get(path), b.summary.traces) }))
    .filter((p) => p.aPerTrace !== p.bPerTrace)
    .sort((x, y) => Math.abs(y.aPerTrace - y.bPerTrace) - Math.abs(x.aPerTrace - x.bPerTrace) || x.path.localeCompare(y.path))
    .slice(0, MAX_PATHS);
  const examples = (g: CompareTrace[]): string[] => g.slice(0, EXAMPLE_TRACES).map((t) => t.traceId);
  return { aTraceIds: examples(groupA), bTraceIds: examples(groupB), a: a.summary, b: b.summary, operations, paths };
}
