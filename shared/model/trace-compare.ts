/**
 * Service dependency graphs and comparisons of traces: two traces side by side, or two groups
 * of traces (slow against fast, v1 against v2). Group A is the one being explained, group B
 * the reference; every difference is A minus B.
 */

export interface ServiceGraphNode {
  service: string;
  spans: number;
  errors: number;
}

/** Calls from spans of `parent` to child spans of `child` (a different service). */
export interface ServiceGraphEdge {
  parent: string;
  child: string;
  calls: number;
  /** Child spans with status ERROR. */
  errors: number;
  /** Of the child spans' durations. */
  p50Ms: number;
  p95Ms: number;
}

export interface ServiceGraph {
  nodes: ServiceGraphNode[];
  edges: ServiceGraphEdge[];
  /** Traces read (the newest ones in range, up to the limit). */
  traces: number;
  truncated: boolean;
}

/** One span as the comparison needs it. */
export interface CompareSpan {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  startTimeMs: number;
  durationMs: number;
  error: boolean;
}

/** One trace of a group: its duration (root extent, from the store) and its spans. */
export interface CompareTrace {
  traceId: string;
  durationMs: number;
  spans: CompareSpan[];
}

export interface OperationGroupStats {
  /** Spans of this operation in the group. */
  count: number;
  /** Traces of the group with at least one. */
  tracesWith: number;
  errors: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Total time in this operation per trace of the group (all traces, not only those with it). */
  msPerTrace: number;
  /** Self time (not covered by child spans) per trace of the group: where the time is spent. */
  selfMsPerTrace: number;
}

export interface OperationComparison {
  service: string;
  name: string;
  a: OperationGroupStats;
  b: OperationGroupStats;
  /** a.msPerTrace − b.msPerTrace (an ancestor's includes its children's). */
  deltaMsPerTrace: number;
  /** a.selfMsPerTrace − b.selfMsPerTrace: the time this operation itself adds to a trace of A. */
  deltaSelfMsPerTrace: number;
  /** Share of A's traces with it minus share of B's. */
  deltaPresence: number;
  /** Two-sample Kolmogorov-Smirnov p-value of the durations; null when a side has under 2. */
  ksPValue: number | null;
}

/** A span path ("service: name › service: name …") whose count differs between the groups. */
export interface PathDifference {
  path: string;
  /** Per trace of the group. */
  aPerTrace: number;
  bPerTrace: number;
}

export interface GroupSummary {
  traces: number;
  spans: number;
  meanDurationMs: number;
  p50DurationMs: number;
  p95DurationMs: number;
  errorTraces: number;
}

export interface GroupComparison {
  /** Group A's trace IDs (at most 20), to open examples. */
  aTraceIds: string[];
  bTraceIds: string[];
  a: GroupSummary;
  b: GroupSummary;
  /** Largest |deltaSelfMsPerTrace| first, then largest |deltaPresence|. */
  operations: OperationComparison[];
  /** Paths whose count per trace differs, largest difference first (at most 200). */
  paths: PathDifference[];
}
