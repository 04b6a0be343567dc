/**
 * The compare view's state in the URL: /compare?dataset=N&a=<trace-list query>&b=<…> for two
 * groups (each written as the trace list writes its search), or &ta=<trace ID>&tb=<…> for two
 * traces; la/lb name the groups ("slow", "fast").
 */
import { listStateUrl, readListState, searchFilters, type SearchFilters, type TraceListState } from '../traces/trace-search-url.js';
import { quantileSorted } from '../../../shared/stats/descriptive.js';

export type GroupSpec = { kind: 'search'; query: string; label: string } | { kind: 'trace'; traceId: string; label: string };

export interface CompareState {
  dataset: number;
  a: GroupSpec | null;
  b: GroupSpec | null;
}

/** The most traces a group reads (the newest that match). */
export const GROUP_LIMIT = 1000;

export function readCompareState(search: string): CompareState {
  const p = new URLSearchParams(search);
  const group = (side: 'a' | 'b'): GroupSpec | null => {
    const label = p.get(`l${side}`) ?? side.toUpperCase();
    const id = p.get(`t${side}`);
    if (id && /^[0-9a-fA-F]{32}$/.test(id)) return { kind: 'trace', traceId: id.toLowerCase(), label };
    const q = p.get(side);
    return q !== null ? { kind: 'search', query: q, label } : null;
  };
  return { dataset: Number(p.get('dataset') ?? 1) || 1, a: group('a'), b: group('b') };
}

export function compareUrl(s: CompareState): string {
  const p = new URLSearchParams();
  if (s.dataset !== 1) p.set('dataset', String(s.dataset));
  for (const [side, g] of [
    ['a', s.a],
    ['b', s.b],
  ] as const) {
    if (!g) continue;
    if (g.kind === 'trace') p.set(`t${side}`, g.traceId);
    else p.set(side, g.query);
    if (g.label !== side.toUpperCase()) p.set(`l${side}`, g.label);
  }
  return `/compare?${p.toString()}`;
}

/** A group as compareTraces takes it: trace IDs, or a search's filters (the dataset is the view's). */
export type GroupRequest = { traceIds: string[]; limit: number } | SearchFilters;

/** The compareTraces group for a spec; throws, like searchRequest, on unreadable attribute filters. */
export function groupRequest(g: GroupSpec): GroupRequest {
  if (g.kind === 'trace') return { traceIds: [g.traceId], limit: 1 };
  return searchFilters(readListState(g.query), GROUP_LIMIT);
}

/** The trace-list search of a group, without its dataset (the compare view has one). */
function groupQuery(s: TraceListState): string {
  return listStateUrl({ ...s, dataset: 1 }).split('?')[1] ?? '';
}

/**
 * Slow against fast for the trace list's current search: split at the 90th percentile of the
 * durations shown, so "what is different about the slow ones" is one click.
 */
export function slowVsFastUrl(list: TraceListState, durationsMs: readonly number[]): string | null {
  if (durationsMs.length < 10) return null;
  return slowVsFastAt(list, quantileSorted(Float64Array.from(durationsMs).sort(), 0.9));
}

/** Slow (at least `splitMs`) against fast (below it), within the list's search. */
export function slowVsFastAt(list: TraceListState, splitMs: number): string {
  const thresholdMs = Math.round(splitMs * 1000) / 1000;
  const base = { ...list, sort: 'start' as const, desc: true };
  return compareUrl({
    dataset: list.dataset,
    a: { kind: 'search', query: groupQuery({ ...base, minMs: Math.max(list.minMs ?? 0, thresholdMs) }), label: `slow (≥ ${thresholdMs} ms)` },
    // Fast ends a microsecond below the threshold, so no trace is in both groups.
    b: {
      kind: 'search',
      query: groupQuery({ ...base, maxMs: Math.min(list.maxMs ?? Infinity, Math.round(thresholdMs * 1000 - 1) / 1000) }),
      label: `fast (< ${thresholdMs} ms)`,
    },
  });
}
