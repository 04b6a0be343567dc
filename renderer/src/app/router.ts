/**
 * A tiny router. View state lives in the URL: path routes in a browser (/trace/<id>), hash
 * routes in Electron's file:// page (#/trace/<id>), so any view can be linked and reopened.
 */
import { useEffect, useState } from 'react';

const hashRouting = (): boolean => window.location.protocol === 'file:';

export function currentRoute(): string {
  if (hashRouting()) return window.location.hash.replace(/^#/, '') || '/';
  return window.location.pathname + window.location.search;
}

export function navigate(to: string): void {
  if (hashRouting()) window.location.hash = to;
  else {
    window.history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }
}

/** Like navigate, without a new history entry (selection changes, keyboard moves). */
export function replaceRoute(to: string): void {
  if (hashRouting()) window.location.replace(`#${to}`);
  else {
    window.history.replaceState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }
}

export function useRoute(): string {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = (): void => setRoute(currentRoute());
    window.addEventListener('popstate', update);
    window.addEventListener('hashchange', update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener('hashchange', update);
    };
  }, []);
  return route;
}

export function href(to: string): string {
  return hashRouting() ? `#${to}` : to;
}
