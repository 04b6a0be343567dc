/**
 * The one way a view loads data. Loads when `key` changes; the newest request wins (an answer
 * to an older key or an older load is dropped, so fast brushing never shows a stale answer);
 * reloads coalesce (a trigger while a load runs schedules one more load after it, never a
 * pile of them); with `live`, new data (an ingest, a finished import) reloads. The last good
 * answer stays on screen while the next loads, and beside an error.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from './ApiContext.js';
import type { LiveEvent } from '../../../shared/api/events.js';

export interface QueryState<T> {
  data: T | null;
  error: string | null;
  /** A load for the current key is running. */
  loading: boolean;
  /** `data` answers an older key (the current key's answer is on its way). */
  stale: boolean;
  /** Loads again now (or right after the running load). */
  reload(): void;
}

/** New data worth a reload: a commit from the receivers, an import that ended. */
export const isNewData = (e: LiveEvent): boolean => e.type === 'ingest' || (e.type === 'import' && e.state !== 'running');

/**
 * `live`: true reloads on new data (isNewData); a function picks the events itself (an
 * expensive analysis reloads on finished imports only, not on every ingest commit).
 */
export function useQuery<T>(key: string, load: () => Promise<T>, options: { live?: boolean | ((e: LiveEvent) => boolean) } = {}): QueryState<T> {
  const api = useApi();
  const [state, setState] = useState<{ key: string; dataKey: string | null; data: T | null; error: string | null; loading: boolean }>({
    key,
    dataKey: null,
    data: null,
    error: null,
    loading: true,
  });
  const latestLoad = useRef(load);
  latestLoad.current = load;
  const run = useRef<{ key: string; inFlight: boolean; again: boolean; generation: number }>({ key, inFlight: false, again: false, generation: 0 });

  const start = useCallback(() => {
    const r = run.current;
    if (r.inFlight) {
      r.again = true;
      return;
    }
    r.inFlight = true;
    const generation = r.generation;
    const forKey = r.key;
    setState((s) => (s.loading && s.key === forKey ? s : { ...s, key: forKey, loading: true }));
    const settle = (next: { data?: T; error: string | null }): void => {
      // Only the current generation (key) may write; an older one's answer is dropped.
      if (run.current.generation === generation) {
        setState((s) =>
          'data' in next
            ? { key: forKey, dataKey: forKey, data: next.data as T, error: null, loading: false }
            : { ...s, key: forKey, error: next.error, loading: false },
        );
      }
      if (run.current.generation !== generation) return; // the new key's load runs on its own
      r.inFlight = false;
      if (r.again) {
        r.again = false;
        start();
      }
    };
    latestLoad.current().then(
      (data) => settle({ data, error: null }),
      (e: unknown) => settle({ error: e instanceof Error ? e.message : String(e) }),
    );
  }, []);

  useEffect(() => {
    // A new key: a new generation, whatever the old one was doing.
    run.current = { key, inFlight: false, again: false, generation: run.current.generation + 1 };
    start();
  }, [key, start]);

  const live = options.live ?? false;
  useEffect(() => {
    if (live === false) return undefined;
    const wanted = live === true ? isNewData : live;
    return api.subscribe((e) => wanted(e) && start());
  }, [api, live, start]);

  return { data: state.data, error: state.error, loading: state.loading || state.key !== key, stale: state.dataKey !== key, reload: start };
}
