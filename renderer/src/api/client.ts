/**
 * The UI's handle on the core. In Electron the preload exposes `window.sightline` (IPC); in
 * a browser the same contract goes over `POST /api/<method>` and live events arrive by
 * Server-Sent Events. Components only ever see SightlineApi.
 */
import { API_METHODS, type ApiMethod } from '../../../shared/api/methods.js';
import type { SightlineApi } from '../../../shared/api/contract.js';
import type { LiveEvent } from '../../../shared/api/events.js';

declare global {
  interface Window {
    sightline?: SightlineApi;
  }
}

async function callHttp(method: ApiMethod, request: unknown): Promise<unknown> {
  const res = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request ?? {}),
  });
  const body = (await res.json()) as { result?: unknown; error?: string };
  if (!res.ok) throw new Error(body.error ?? `${method} failed with HTTP ${res.status}`);
  return body.result;
}

function createHttpApi(): SightlineApi {
  const api: Record<string, unknown> = {};
  for (const method of API_METHODS) api[method] = (request: unknown) => callHttp(method, request);
  // One event stream for every subscriber: a browser allows six connections per host, and each
  // open EventSource holds one, so a stream per view would starve the API calls.
  const listeners = new Set<(e: LiveEvent) => void>();
  let source: EventSource | null = null;
  api['subscribe'] = (listener: (e: LiveEvent) => void) => {
    listeners.add(listener);
    if (!source) {
      source = new EventSource('/api/events');
      source.onmessage = (m: MessageEvent<string>) => {
        const event = JSON.parse(m.data) as LiveEvent;
        for (const l of [...listeners]) l(event);
      };
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  };
  return api as SightlineApi;
}

export function createApi(): SightlineApi {
  return window.sightline ?? createHttpApi();
}
