/**
 * Loads a view's data now and again whenever new data arrives (live 'ingest' events), keeping
 * the last answer and dropping answers that come back after the view moved on. `key` names
 * the request: a new key loads again.
 */
import { useEffect, useRef, useState } from 'react';
import type { SightlineApi } from '../../../shared/api/contract.js';

export function useLiveQuery<T>(api: SightlineApi, key: string, load: () => Promise<T>): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let live = true;
    const run = (): void => {
      latest.current().then(
        (data) => live && setState({ data, error: null }),
        (e: Error) => live && setState((s) => ({ data: s.data, error: e.message })),
      );
    };
    run();
    const unsubscribe = api.subscribe((e) => e.type === 'ingest' && run());
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api, key]);
  return state;
}
