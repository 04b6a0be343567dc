/** Messages between the Electron main process and the core's utility process. */
import type { ApiMethod } from '../../shared/api/methods.js';
import type { LiveEvent } from '../../shared/api/events.js';

export type MainToHost = { type: 'call'; id: number; method: ApiMethod; request: unknown } | { type: 'shutdown' };

export type HostToMain =
  | { type: 'ready'; ports: { otlpHttp: number; otlpGrpc: number | null } }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string }
  | { type: 'event'; event: LiveEvent }
  | { type: 'closed' };
