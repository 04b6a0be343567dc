/**
 * One typed request/response channel over a message port, used at every thread and process
 * boundary (job workers, the report side worker, Electron's main process ↔ the core's utility
 * process), in the spirit of VS Code's ProxyChannel. Each side declares, as a `type` map of
 * method → { request, response }, what it serves; an endpoint calls the other side's methods
 * and serves its own on the same port, so either side may call while a call of the other's
 * is running (a report worker asks its starter to print in the middle of its job).
 *
 * Every call comes back settled: with the answer; with the other side's error (name, message
 * and kind: see rpc-error.ts); with `timeout` when `timeoutMs` passes; or with `closed` when
 * the other side exits or closes first. A message the handler cannot answer (a response that
 * cannot be cloned) becomes an error answer, not silence. `notify` is the one exception, for
 * one-way news (live events, "ready"): nothing answers it, so use `call` for anything whose
 * failure someone must hear about.
 *
 * Not used for two boundaries on purpose: the import worker (import-manager.ts ↔
 * importers/import-worker.ts) is a stream of progress events with a cancel, not requests and
 * answers; the ingest pipeline (ingest/*) is hot (a message per request, thousands a second)
 * and its answers come from a third thread (decoder → writer → the receiving thread), which a
 * request/response pair on one port does not model.
 */
import type { TransferListItem } from 'node:worker_threads';
import type { RpcPort } from './rpc-port.js';
import { reviveError, RpcError, serializeError, type RpcErrorKind, type SerializedError } from './rpc-error.js';

/** Method name → its request and response, the methods one side serves. Declare with `type`, not `interface`. */
export type RpcMethods = Record<string, { request: unknown; response: unknown }>;

export type RpcHandlers<Served extends RpcMethods> = {
  [M in keyof Served]: (request: Served[M]['request']) => Served[M]['response'] | Promise<Served[M]['response']>;
};

export interface RpcCallOptions {
  /** Reject with kind `timeout` if no answer comes within this many ms (a late answer is dropped). */
  timeoutMs?: number;
  /** ArrayBuffers (or ports) of the request to move instead of copy; the caller loses them. */
  transfer?: readonly TransferListItem[];
}

export interface RpcEndpointOptions {
  /** Which of this side's errors are `user` errors (the caller's mistake, its message meant for people). */
  errorKind?: (error: unknown) => RpcErrorKind | undefined;
}

type Wire =
  | { rpc: 'call'; id: number; method: string; request: unknown }
  | { rpc: 'notify'; method: string; request: unknown }
  | { rpc: 'ok'; id: number; response: unknown }
  | { rpc: 'error'; id: number; error: SerializedError };

interface Waiting {
  resolve: (response: unknown) => void;
  reject: (error: RpcError) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

function isWire(m: unknown): m is Wire {
  if (typeof m !== 'object' || m === null || !('rpc' in m)) return false;
  const r = (m as { rpc: unknown }).rpc;
  return r === 'call' || r === 'notify' || r === 'ok' || r === 'error';
}

/** `Remote`: what the other side serves (what this side calls). `Served`: what this side serves. */
export class RpcEndpoint<Remote extends RpcMethods, Served extends RpcMethods = Record<never, never>> {
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private handlers: Partial<RpcHandlers<Served>> = {};
  private closedBecause: string | null = null;

  constructor(
    private readonly port: RpcPort,
    private readonly options: RpcEndpointOptions = {},
  ) {
    port.onMessage((m) => isWire(m) && this.receive(m));
    port.onClose((reason) => this.close(reason));
  }

  call<M extends keyof Remote & string>(method: M, request: Remote[M]['request'], options: RpcCallOptions = {}): Promise<Remote[M]['response']> {
    if (this.closedBecause !== null) return Promise.reject(new RpcError(this.closedBecause, 'closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => this.take(id)?.reject(new RpcError(`${method}: no answer within ${options.timeoutMs} ms`, 'timeout')), options.timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      try {
        this.port.post({ rpc: 'call', id, method, request } satisfies Wire, options.transfer);
      } catch (e) {
        this.take(id)?.reject(new RpcError(`${method}: the request could not be sent: ${(e as Error).message}`, 'internal'));
      }
    });
  }

  /** One-way: the other side's handler runs, and nothing comes back, not even its failure. */
  notify<M extends keyof Remote & string>(method: M, request: Remote[M]['request']): void {
    if (this.closedBecause === null) this.port.post({ rpc: 'notify', method, request } satisfies Wire);
  }

  /** Answers the other side's calls (and notifications) with these handlers. */
  serve(handlers: RpcHandlers<Served>): void {
    this.handlers = handlers;
  }

  /** Rejects every call still waiting (kind `closed`); later calls are rejected at once. */
  close(reason: string): void {
    if (this.closedBecause !== null) return;
    this.closedBecause = reason;
    for (const id of [...this.waiting.keys()]) this.take(id)?.reject(new RpcError(reason, 'closed'));
  }

  private receive(m: Wire): void {
    if (m.rpc === 'ok') this.take(m.id)?.resolve(m.response);
    else if (m.rpc === 'error') this.take(m.id)?.reject(reviveError(m.error));
    else void this.answer(m);
  }

  private async answer(m: Extract<Wire, { rpc: 'call' | 'notify' }>): Promise<void> {
    const handler = Object.hasOwn(this.handlers, m.method) ? (this.handlers[m.method] as (request: unknown) => unknown) : undefined;
    let reply: Wire | null = null;
    try {
      if (!handler) throw new RpcError(`no method "${m.method}" is served here`, 'internal');
      const response = await handler(m.request);
      if (m.rpc === 'call') reply = { rpc: 'ok', id: m.id, response };
    } catch (e) {
      if (m.rpc === 'call') reply = { rpc: 'error', id: m.id, error: serializeError(e, this.options.errorKind) };
    }
    if (!reply || this.closedBecause !== null) return;
    try {
      this.port.post(reply);
    } catch (e) {
      // The answer could not be cloned (a function, a class instance's private state…): say so.
      const error: SerializedError = { name: 'Error', message: `the answer to ${m.method} could not be sent: ${(e as Error).message}`, kind: 'internal' };
      try {
        this.port.post({ rpc: 'error', id: reply.id, error } satisfies Wire);
      } catch {
        // The port itself is gone; its close rejects the call on the other side.
      }
    }
  }

  /** The call waiting for this answer, if it still is (not timed out, and ours). */
  private take(id: number): Waiting | undefined {
    const w = this.waiting.get(id);
    this.waiting.delete(id);
    clearTimeout(w?.timer);
    return w;
  }
}
