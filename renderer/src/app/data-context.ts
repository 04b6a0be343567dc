/**
 * The data context: which dataset (or all of them) and which time range every page shows.
 * Chosen once, it travels in each page's URL (`dataset`, `range` or `from`/`to`), so any view
 * can be linked, and is remembered in localStorage, so a link without it (a bookmark, the app
 * reopening) shows the same data as before. Opening an archive or the demo makes its dataset
 * the context.
 */
import { RANGES, type RangeKey } from '../../../shared/model/time-ranges.js';

export type DatasetChoice = number | 'all';

export interface DataContext {
  dataset: DatasetChoice;
  /** A range relative to now ('' when absolute or unbounded). */
  range: RangeKey | '';
  fromMs: number | undefined;
  toMs: number | undefined;
}

export const WHOLE_STORE: DataContext = { dataset: 'all', range: '', fromMs: undefined, toMs: undefined };
const STORAGE_KEY = 'sightline.dataContext';
const CONTEXT_PARAMS = ['dataset', 'range', 'from', 'to'] as const;

const finite = (v: string | null): number | undefined => (v !== null && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

function parseDataset(v: string | null): DatasetChoice | undefined {
  if (v === 'all') return 'all';
  return v && /^\d{1,9}$/.test(v) && Number(v) > 0 ? Number(v) : undefined;
}

/** Whether the URL says anything about the context (else the remembered one applies). */
export function urlHasContext(p: URLSearchParams): boolean {
  return CONTEXT_PARAMS.some((k) => p.has(k));
}

/** The context in these URL parameters; what they leave out comes from `fallback`. */
export function readContext(p: URLSearchParams, fallback: DataContext): DataContext {
  if (!urlHasContext(p)) return fallback;
  const range = p.get('range') ?? '';
  const fromMs = finite(p.get('from'));
  const toMs = finite(p.get('to'));
  const timeInUrl = p.has('range') || p.has('from') || p.has('to');
  return {
    dataset: parseDataset(p.get('dataset')) ?? fallback.dataset,
    range: range in RANGES ? (range as RangeKey) : timeInUrl ? '' : fallback.range,
    fromMs: timeInUrl ? (range in RANGES ? undefined : fromMs) : fallback.fromMs,
    toMs: timeInUrl ? (range in RANGES ? undefined : toMs) : fallback.toMs,
  };
}

/** Writes the context into URL parameters (replacing any there). */
export function writeContext(p: URLSearchParams, c: DataContext): URLSearchParams {
  for (const k of CONTEXT_PARAMS) p.delete(k);
  p.set('dataset', String(c.dataset));
  if (c.range) p.set('range', c.range);
  else {
    if (c.fromMs !== undefined) p.set('from', String(Math.round(c.fromMs)));
    if (c.toMs !== undefined) p.set('to', String(Math.round(c.toMs)));
  }
  return p;
}

/** The part of a request the context fills in: datasetId (absent for all) and the time range. */
export function contextRequest(c: DataContext, nowMs = Date.now()): { datasetId?: number; fromMs?: number; toMs?: number } {
  const r: { datasetId?: number; fromMs?: number; toMs?: number } = {};
  if (c.dataset !== 'all') r.datasetId = c.dataset;
  if (c.range) r.fromMs = nowMs - RANGES[c.range];
  else {
    if (c.fromMs !== undefined) r.fromMs = c.fromMs;
    if (c.toMs !== undefined) r.toMs = c.toMs;
  }
  return r;
}

export const hasTimeRange = (c: DataContext): boolean => !!c.range || c.fromMs !== undefined || c.toMs !== undefined;

export function rememberedContext(): DataContext {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    return saved ? readContext(new URLSearchParams(saved), WHOLE_STORE) : WHOLE_STORE;
  } catch {
    return WHOLE_STORE; // storage disabled: the URL alone carries it
  }
}

export function rememberContext(c: DataContext): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, writeContext(new URLSearchParams(), c).toString());
  } catch {
    // storage disabled or full: the URL still carries the context
  }
}
