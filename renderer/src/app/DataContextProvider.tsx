/**
 * Holds the data context (data-context.ts) for every page: read from the URL, else the
 * remembered one; remembered whenever a URL states it; a dataset that is no longer in the
 * store (deleted, or another store) falls back to all datasets.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi } from './ApiContext.js';
import { navigate, replaceRoute, routeParams, routePath, useRoute, withParams } from './router.js';
import { useQuery } from './use-query.js';
import { readContext, rememberContext, rememberedContext, urlHasContext, WHOLE_STORE, writeContext, type DataContext } from './data-context.js';
import type { DatasetInfo } from '../../../shared/model/telemetry.js';

export interface DataContextValue {
  /** Stable while the context is the same (a relative range is not yet turned into times). */
  context: DataContext;
  /** The context as text: a cache key for what a page loads. */
  contextKey: string;
  /** Every dataset of the store (empty until loaded). */
  datasets: DatasetInfo[];
  datasetsLoaded: boolean;
  /** The chosen dataset's info (undefined for all). */
  dataset: DatasetInfo | undefined;
  /** Changes the context on the current page (a new history entry unless `replace`). */
  setContext(next: Partial<DataContext>, options?: { replace?: boolean }): void;
  /** `path` with these parameters and the context (a link that keeps the context). */
  link(path: string, params?: URLSearchParams, context?: Partial<DataContext>): string;
}

const Context = createContext<DataContextValue | null>(null);

/** `readUrl`: this page's URL states the context (a trace page's `dataset` names the trace's own, not the context). */
export function DataContextProvider({ readUrl, children }: { readUrl: boolean; children: ReactNode }) {
  const api = useApi();
  const route = useRoute();
  const params = routeParams(route);
  const inUrl = readUrl && urlHasContext(params);
  const wanted = inUrl ? readContext(params, rememberedContext()) : rememberedContext();
  const datasetsQuery = useQuery('datasets', () => api.listDatasets({}), { live: true });
  const datasets = datasetsQuery.data;
  const unknown = typeof wanted.dataset === 'number' && datasets !== null && !datasets.some((d) => d.id === wanted.dataset);
  // A dataset the list does not know yet (just pulled or imported elsewhere): ask again once
  // before falling back to all datasets.
  const [askedFor, setAskedFor] = useState<number | null>(null);
  const { reload } = datasetsQuery;
  useEffect(() => {
    if (unknown && typeof wanted.dataset === 'number' && askedFor !== wanted.dataset) {
      setAskedFor(wanted.dataset);
      reload();
    }
  }, [unknown, wanted.dataset, askedFor, reload]);
  const missing = unknown && askedFor === wanted.dataset && !datasetsQuery.loading;
  // The context as text: it changes only when the context does, so the value below stays stable.
  const key = writeContext(new URLSearchParams(), missing ? { ...wanted, dataset: 'all' } : wanted).toString();
  const context = useMemo(() => readContext(new URLSearchParams(key), WHOLE_STORE), [key]);

  useEffect(() => {
    if (inUrl) rememberContext(context);
  }, [inUrl, context]);

  const value = useMemo<DataContextValue>(() => {
    const link = (path: string, extra = new URLSearchParams(), next: Partial<DataContext> = {}): string =>
      withParams(path, writeContext(new URLSearchParams(extra), { ...context, ...next }));
    return {
      context,
      contextKey: key,
      datasets: datasets ?? [],
      datasetsLoaded: datasets !== null,
      dataset: typeof context.dataset === 'number' ? datasets?.find((d) => d.id === context.dataset) : undefined,
      link,
      setContext: (next, options) => {
        const merged = { ...context, ...next };
        // A new time range replaces the other form of it.
        if (next.range) Object.assign(merged, { fromMs: undefined, toMs: undefined });
        if (next.fromMs !== undefined || next.toMs !== undefined) merged.range = '';
        const to = withParams(routePath(route), writeContext(routeParams(route), merged));
        rememberContext(merged);
        if (options?.replace) replaceRoute(to);
        else navigate(to);
      },
    };
  }, [context, key, datasets, route]);

  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useDataContext(): DataContextValue {
  const v = useContext(Context);
  if (!v) throw new Error('useDataContext outside DataContextProvider');
  return v;
}
