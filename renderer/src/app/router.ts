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

/** The path of a route, without its query. */
export function routePath(route: string): string {
  return route.split('?')[0] ?? '/';
}

/** The query parameters of a route. */
export function routeParams(route: string): URLSearchParams {
  const i = route.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : route.slice(i + 1));
}

/** A path with query parameters (none: the bare path). */
export function withParams(path: string, params: URLSearchParams): string {
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}

/**
 * Follows in-app links without reloading the page (a plain click on a same-origin link), so
 * the app keeps what it loaded; modified clicks (new tab, download) stay the browser's.
 */
export function useLinkInterception(): void {
  useEffect(() => {
    if (hashRouting()) return; // hash links never reload
    const onClick = (e: MouseEvent): void => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = e.target instanceof Element ? e.target.closest('a') : null;
      if (!a || !a.href || a.target || a.hasAttribute('download')) return;
      const url = new URL(a.href);
      if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
      e.preventDefault();
      if (url.pathname + url.search !== currentRoute()) navigate(url.pathname + url.search);
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, []);
}
