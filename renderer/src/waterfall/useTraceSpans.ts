/**
 * Loads a trace for the waterfall: the first page at once (small traces come whole), the rest
 * of a huge trace in pages after the first paint, so 200,000 spans draw as soon as the first
 * few thousand arrive and fill in behind. Small, complete traces reload when new data arrives
 * (late spans); huge ones do not, since a reload would refetch every page.
 *
 * The UI thread stays free for scrolling while the rest loads: the next page is asked for
 * before the one in hand is worked on, a page's spans are made in slices of a few milliseconds
 * (span-list.ts), and the layout of all rows (trace-layout.ts) is sliced work too.
 * A new layout is made at most every APPLY_EVERY_MS, never while the user is scrolling, and
 * once the last page is in.
 */
import { useEffect, useState } from 'react';
import type { SightlineApi } from '../../../shared/api/contract.js';
import type { TraceSpansPage, TraceSummary } from '../../../shared/model/telemetry.js';
import { SpanList } from './span-list.js';
import { EMPTY_LAYOUT, traceLayout, type TraceLayout } from './trace-layout.js';
import { runSliced, runToEnd } from './sliced.js';

const FIRST_PAGE = 5000;
/**
 * The core cuts these from an outline it sorted once, so a page costs its bytes, not a query.
 * Each page is parsed (JSON.parse, about 1.3 MB here) in one task on the UI thread, so pages
 * stay small enough for that task to fit in a frame.
 */
const NEXT_PAGES = 25_000;
const APPLY_EVERY_MS = 2000;
/** The "Loading spans: n of m" count is brought up to date at most this often (each is a render of the page). */
const COUNT_EVERY_MS = 250;
/** Scrolling counts as going on for this long after the last scroll event. */
const SCROLL_QUIET_MS = 400;

export interface TraceSpansState {
  /** undefined while the first page loads; null when the trace is not in the store. */
  summary: TraceSummary | null | undefined;
  /** The spans laid out so far, with their rows. */
  layout: TraceLayout;
  /** All pages are in and laid out. */
  complete: boolean;
  /** Spans received so far (ahead of `layout` while pages wait to be laid out). */
  received: number;
  /** Spans are outlines (a huge trace): details and attribute search come from the core. */
  outline: boolean;
  error: string | null;
}

const START: TraceSpansState = { summary: undefined, layout: EMPTY_LAYOUT, complete: false, received: 0, outline: false, error: null };

export function useTraceSpans(api: SightlineApi, traceId: string, dataset: number | undefined): TraceSpansState {
  const [state, setState] = useState<TraceSpansState>(START);
  useEffect(() => {
    let live = true;
    const isLive = (): boolean => live;
    let outline = false;
    let lastScrollMs = 0;
    const onScroll = (): void => void (lastScrollMs = performance.now());
    window.addEventListener('scroll', onScroll, { capture: true, passive: true });
    window.addEventListener('wheel', onScroll, { capture: true, passive: true });
    // Another trace: nothing of the previous one may show under its header.
    setState(START);
    const ds = dataset ? { datasetId: dataset } : {};
    const fetchPage = (after: TraceSpansPage['next']): Promise<TraceSpansPage | null> => {
      const page = after ? api.getTraceSpans({ traceId, ...ds, after, limit: NEXT_PAGES }) : Promise.resolve(null);
      // Asked for ahead of time: a failure is reported where the page is awaited, not as unhandled.
      page.catch(() => undefined);
      return page;
    };
    const loadAll = async (): Promise<void> => {
      try {
        const firstPage = await api.getTraceSpans({ traceId, ...ds, limit: FIRST_PAGE });
        if (!live) return;
        if (!firstPage) return setState({ ...START, summary: null, complete: true });
        outline = firstPage.outline !== null;
        // The core is building the rest already: the next page is asked for before this one is drawn.
        let coming = fetchPage(firstPage.next);
        const list = new SpanList();
        // Nothing is on screen yet: the first page is laid out at once.
        runToEnd(list.add(firstPage));
        const complete = firstPage.next === null;
        setState({ summary: firstPage.summary, layout: runToEnd(traceLayout(list)), complete, received: list.spans.length, outline, error: null });
        let appliedMs = performance.now();
        let countedMs = appliedMs;
        for (let page = await coming; page && live; page = await coming) {
          coming = fetchPage(page.next);
          const last = page.next === null;
          await runSliced(list.add(page), isLive);
          if (!live) return;
          const received = list.spans.length;
          const now = performance.now();
          if (last || (now - lastScrollMs > SCROLL_QUIET_MS && now - appliedMs >= APPLY_EVERY_MS)) {
            const layout = await runSliced(traceLayout(list), isLive);
            if (!layout) return;
            appliedMs = performance.now();
            const summary = page.summary;
            setState({ summary, layout, complete: last, received, outline, error: null });
          } else if (now - countedMs >= COUNT_EVERY_MS) {
            countedMs = now;
            setState((s) => ({ ...s, received }));
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
