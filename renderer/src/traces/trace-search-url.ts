/**
 * The trace list's whole view state in the URL (filters, time range, sort), so any search can
 * be linked and reopened: parsing and writing it, and turning it into a search request.
 */
import { parseAttributeFilters, type AttributeFilter } from '../../../shared/model/trace-search.js';

import { RANGES, type RangeKey } from '../../../shared/model/time-ranges.js';

export { RANGES, type RangeKey };
import { TRACE_SORT_KEYS as SORT_KEYS, type TraceSortKey as SortKey } from '../../../shared/model/trace-list.js';

export { SORT_KEYS, type SortKey };

export interface TraceListState {
  dataset: number;
  service: string;
  operation: string;
  /** Attribute filters as typed: "http.status_code>=500, tenant=acme". */
  attrs: string;
  minMs: number | undefined;
  maxMs: number | undefined;
  errorsOnly: boolean;
  range: RangeKey | '';
  fromMs: number | undefined;
  toMs: number | undefined;
  text: string;
  /** A service-graph edge, "parent>child": traces with such a call. */
  call: string;
  sort: SortKey;
  desc: boolean;
}

const num = (v: string | null): number | undefined => (v !== null && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

export function readListState(search: string): TraceListState {
  const p = new URLSearchParams(search);
  const range = p.get('range') ?? '';
  const sort = p.get('sort') ?? 'start';
  return {
    dataset: Number(p.get('dataset') ?? 1) || 1,
    service: p.get('service') ?? '',
    operation: p.get('op') ?? '',
    attrs: p.get('attrs') ?? '',
    minMs: num(p.get('dmin')),
    maxMs: num(p.get('dmax')),
    errorsOnly: p.get('err') === '1',
    range: range in RANGES ? (range as RangeKey) : '',
    fromMs: num(p.get('from')),
    toMs: num(p.get('to')),
    text: p.get('q') ?? '',
    call: /^[^>]+>[^>]+$/.test(p.get('call') ?? '') ? p.get('call')! : '',
    sort: (SORT_KEYS as readonly string[]).includes(sort) ? (sort as SortKey) : 'start',
    desc: p.get('dir') !== 'asc',
  };
}

/** The list's own parameters (filters, sort), without the data context (dataset, time range). */
export function listParams(s: TraceListState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.service) p.set('service', s.service);
  if (s.operation) p.set('op', s.operation);
  if (s.attrs.trim()) p.set('attrs', s.attrs.trim());
  if (s.minMs !== undefined) p.set('dmin', String(s.minMs));
  if (s.maxMs !== undefined) p.set('dmax', String(s.maxMs));
  if (s.errorsOnly) p.set('err', '1');
  if (s.text.trim()) p.set('q', s.text.trim());
  if (s.call) p.set('call', s.call);
  if (s.sort !== 'start') p.set('sort', s.sort);
  if (!s.desc) p.set('dir', 'asc');
  return p;
}

/** The whole state as a trace-list link: its own parameters, then dataset and time range. */
export function listStateUrl(s: TraceListState): string {
  const p = listParams(s);
  if (s.dataset !== 1) p.set('dataset', String(s.dataset));
  if (s.range) p.set('range', s.range);
  else {
    if (s.fromMs !== undefined) p.set('from', String(Math.round(s.fromMs)));
    if (s.toMs !== undefined) p.set('to', String(Math.round(s.toMs)));
  }
  const q = p.toString();
  return q ? `/?${q}` : '/';
}

export interface SearchRequest extends SearchFilters {
  datasetId: number;
}

/** A trace search without its dataset (a compare group's; the compare view has one dataset). */
export interface SearchFilters {
  service?: string;
  operation?: string;
  attributes?: AttributeFilter[];
  minDurationMs?: number;
  maxDurationMs?: number;
  errorsOnly?: boolean;
  fromMs?: number;
  toMs?: number;
  text?: string;
  call?: { parent: string; child: string };
  limit: number;
}

/** The request for this state; throws (with the reason) when the attribute filters cannot be read. */
export function searchRequest(s: TraceListState, limit: number, nowMs = Date.now()): SearchRequest {
  return { datasetId: s.dataset, ...searchFilters(s, limit, nowMs) };
}

/** The filters of this state, without its dataset; throws like searchRequest. */
export function searchFilters(s: TraceListState, limit: number, nowMs = Date.now()): SearchFilters {
  const r: SearchFilters = { limit };
  if (s.service) r.service = s.service;
  if (s.operation) r.operation = s.operation;
  const attributes = parseAttributeFilters(s.attrs);
  if (attributes.length) r.attributes = attributes;
  if (s.minMs !== undefined) r.minDurationMs = s.minMs;
  if (s.maxMs !== undefined) r.maxDurationMs = s.maxMs;
  if (s.errorsOnly) r.errorsOnly = true;
  if (s.range) r.fromMs = nowMs - RANGES[s.range];
  else {
    if (s.fromMs !== undefined) r.fromMs = s.fromMs;
    if (s.toMs !== undefined) r.toMs = s.toMs;
  }
  if (s.text.trim()) r.text = s.text.trim();
  if (s.call) {
    const [parent, child] = s.call.split('>') as [string, string];
    r.call = { parent, child };
  }
  return r;
}
