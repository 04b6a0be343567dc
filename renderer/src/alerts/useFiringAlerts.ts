/** Alerts that fired since this window opened and were not dismissed: for the header badge and the notification. */
import { useEffect, useState } from 'react';
import type { SightlineApi } from '../../../shared/api/contract.js';
import type { AlertEvent } from '../../../shared/model/alerts.js';

export function useFiringAlerts(api: SightlineApi): { notices: AlertEvent[]; firing: number; dismiss: () => void } {
  const [notices, setNotices] = useState<AlertEvent[]>([]);
  const [firing, setFiring] = useState(0);
  useEffect(() => {
    const count = (): void =>
      void api.listAlerts({}).then(
        (r) => setFiring(r.statuses.filter((s) => s.state === 'firing').length),
        () => undefined,
      );
    count();
    return api.subscribe((e) => {
      if (e.type !== 'alert') return;
      count();
      if (e.event.state === 'firing') setNotices((n) => [...n.slice(-4), e.event]);
    });
  }, [api]);
  return { notices, firing, dismiss: () => setNotices([]) };
}
