/**
 * Loads a trace for the waterfall: the first page at once (small traces come whole), the rest
 * of a huge trace in bigger pages after the first paint, so 200,000 spans draw as soon as the
 * first few thousand arrive and fill in behind. Small, complete traces reload when new data
 * arrives (late spans); huge ones do not, since a reload would refetch every page.
 */
import { useEffect, useState } from 'react';
import type { SightlineApi } from '../../../shared/api/contract.js';
import type { SpanView, TraceSummary } from '../../../shared/model/telemetry.js';

const FIRST_PAGE = 5000;
const NEXT_PAGES = 50_000;

export interface TraceSpansState {
  /** undefined while the first page loads; null when the trace is not in the store. */
  summary: TraceSummary | null | undefined;
  spans: SpanView[];
  /** All pages are in. */
  complete: boolean;
  /** Spans are outlines (a huge trace): details and attribute search come from the core. */
  outline: boolean;
  error: string | null;
}

export function useTraceSpans(api: SightlineApi, traceId: string, dataset: number | undefined): TraceSpansState {
  const [state, setState] = useState<TraceSpansState>({ summary: undefined, spans: [], complete: false, outline: false, error: null });
  useEffect(() => {
    let live = true;
    let outline = false;
    // Another trace: nothing of the previous one may show under its header.
    setState({ summary: undefined, spans: [], complete: false, outline: false, error: null });
    const ds = dataset ? { datasetId: dataset } : {};
    const loadAll = async (): Promise<void> => {
      try {
        let page = await api.getTraceSpans({ traceId, ...ds, limit: FIRST_PAGE });
        if (!live) return;
        if (!page) return setState({ summary: null, spans: [], complete: true, outline: false, error: null });
        outline = page.outline;
        let spans = page.spans;
        setState({ summary: page.summary, spans, complete: page.next === null, outline, error: null });
        while (page.next && live) {
          page = await api.getTraceSpans({ traceId, ...ds, after: page.next, limit: NEXT_PAGES });
          if (!page || !live) return;
          spans = spans.concat(page.spans);
          setState({ summary: page.summary, spans, complete: page.next === null, outline, error: null });
        }
      } catch (e) {
        if (live) setState((s) => ({ ...s, error: (e as Error).message }));
      }
    };
    void loadAll();
    const unsubscribe = api.subscribe((e) => e.type === 'ingest' && !outline && void loadAll());
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api, traceId, dataset]);
  return state;
}
