/**
 * In-trace search for a huge trace whose spans the UI holds as outlines: the core searches the
 * stored attributes (findSpans) and the matching span IDs join the local name matches. Waits
 * 200 ms after typing; an empty query (or a small trace, for which the page passes '') asks
 * nothing.
 */
import { useEffect, useState } from 'react';
import type { SightlineApi } from '../../../shared/api/contract.js';

const EMPTY: ReadonlySet<string> = new Set();

export function useCoreSpanSearch(api: SightlineApi, traceId: string, dataset: number | undefined, query: string): ReadonlySet<string> {
  const [matches, setMatches] = useState<ReadonlySet<string>>(EMPTY);
  useEffect(() => {
    const text = query.trim();
    if (!text) {
      setMatches(EMPTY);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api.findSpans({ traceId, text, ...(dataset ? { datasetId: dataset } : {}) }).then(
        (ids) => live && setMatches(new Set(ids ?? [])),
        () => live && setMatches(EMPTY),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, traceId, dataset, query]);
  return matches;
}
