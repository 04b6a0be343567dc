import { useEffect, useState } from 'react';
import type { ImportEvent } from '../../../shared/api/events.js';
import type { SightlineApi } from '../../../shared/api/contract.js';

/** The imports this window knows of, newest first, kept current from live events. */
export function useImports(api: SightlineApi): ImportEvent[] {
  const [imports, setImports] = useState<Map<string, ImportEvent>>(new Map());
  useEffect(
    () =>
      api.subscribe((e) => {
        if (e.type !== 'import') return;
        setImports((prev) => new Map(prev).set(e.importId, e));
      }),
    [api],
  );
  return [...imports.values()].reverse();
}
