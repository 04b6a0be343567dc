/**
 * Loads a trace for the waterfall: the first page at once (small traces come whole), the rest
 * of a huge trace in bigger pages after the first paint, so 200,000 spans draw as soon as the
 * first few thousand arrive and fill in behind. Small, complete traces reload when new data
 * arrives (late spans); huge ones do not, since a reload would refetch every page.
 *
 * Pages that arrive while the waterfall is on screen are gathered and handed over together,
 * at most every APPLY_EVERY_MS and never while the user is scrolling (each hand-over lays out
 * every row again, a long frame at 100k+ spans): scrolling stays smooth while the rest loads.
 * The last page is handed over at once.
 */
import { useEffect, useState } from 'react';
import type { SightlineApi } from '../../../shared/api/contract.js';
import type { SpanView, TraceSpansPage, TraceSummary } from '../../../shared/model/telemetry.js';
import { outlineSpans } from '../../../shared/model/outline-spans.js';

const FIRST_PAGE = 5000;
/**
 * The core cuts these from an outline it sorted once, so a page costs its bytes, not a query;
 * bigger pages mean fewer round trips, smaller ones shorter tasks on the UI thread.
 */
const NEXT_PAGES = 100_000;

/** A page's spans: whole (a small trace) or made from its outline columns. */
const spansOf = (page: TraceSpansPage): SpanView[] => (page.outline ? outlineSpans(page.outline) : page.spans);
const APPLY_EVERY_MS = 2000;
/** Scrolling counts as going on for this long after the last scroll event. */
const SCROLL_QUIET_MS = 400;

export interface TraceSpansState {
  /** undefined while the first page loads; null when the trace is not in the store. */
  summary: TraceSummary | null | undefined;
  spans: SpanView[];
  /** All pages are in. */
  complete: boolean;
  /** Spans received so far (ahead of `spans` while pages wait to be handed over). */
  received: number;
  /** Spans are outlines (a huge trace): details and attribute search come from the core. */
  outline: boolean;
  error: string | null;
}

export function useTraceSpans(api: SightlineApi, traceId: string, dataset: number | undefined): TraceSpansState {
  const [state, setState] = useState<TraceSpansState>({ summary: undefined, spans: [], complete: false, received: 0, outline: false, error: null });
  useEffect(() => {
    let live = true;
    let outline = false;
    let lastScrollMs = 0;
    const onScroll = (): void => void (lastScrollMs = performance.now());
    window.addEventListener('scroll', onScroll, { capture: true, passive: true });
    window.addEventListener('wheel', onScroll, { capture: true, passive: true });
    // Another trace: nothing of the previous one may show under its header.
    setState({ summary: undefined, spans: [], complete: false, received: 0, outline: false, error: null });
    const ds = dataset ? { datasetId: dataset } : {};
    const loadAll = async (): Promise<void> => {
      try {
        let page = await api.getTraceSpans({ traceId, ...ds, limit: FIRST_PAGE });
        if (!live) return;
        if (!page) return setState({ summary: null, spans: [], complete: true, received: 0, outline: false, error: null });
        outline = page.outline !== null;
        const first = spansOf(page);
        const pages: SpanView[][] = [first];
        let received = first.length;
        setState({ summary: page.summary, spans: first, complete: page.next === null, received, outline, error: null });
        let appliedMs = performance.now();
        while (page.next && live) {
          page = await api.getTraceSpans({ traceId, ...ds, after: page.next, limit: NEXT_PAGES });
          if (!page || !live) return;
          const spans = spansOf(page);
          pages.push(spans);
          received += spans.length;
          const complete = page.next === null;
          const now = performance.now();
          const quiet = now - lastScrollMs > SCROLL_QUIET_MS;
          if (complete || (quiet && now - appliedMs >= APPLY_EVERY_MS)) {
            appliedMs = now;
            const summary = page.summary;
            setState({ summary, spans: pages.flat(), complete, received, outline, error: null });
          } else {
            const count = received;
            setState((s) => ({ ...s, received: count }));
          }
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
      window.removeEventListener('scroll', onScroll, { capture: true });
      window.removeEventListener('wheel', onScroll, { capture: true });
    };
  }, [api, traceId, dataset]);
  return state;
}
