/**
 * Errors that cross a thread or process boundary. Only data crosses (a structured clone keeps
 * neither the class nor its fields), so an error travels as its name, its message and a
 * `kind` that says what the caller should make of it, and comes back as an RpcError with
 * the same name. Stacks stay where they were thrown.
 */

/**
 * - `user`: the request was wrong (unknown model, empty selection, a file that is not there,
 *   a print that failed); the message is meant for the person who asked.
 * - `internal`: the other side failed.
 * - `timeout`: no answer within the caller's `timeoutMs` (set by the caller's side).
 * - `closed`: the other side exited, crashed or closed before answering (caller's side).
 */
export type RpcErrorKind = 'user' | 'internal' | 'timeout' | 'closed';

export interface SerializedError {
  name: string;
  message: string;
  kind: RpcErrorKind;
}

export class RpcError extends Error {
  constructor(
    message: string,
    readonly kind: RpcErrorKind,
    /** The class name of the error thrown on the other side (SelectionError, PdfError…). */
    name = 'RpcError',
  ) {
    super(message);
    this.name = name;
  }
}

const KINDS: readonly string[] = ['user', 'internal', 'timeout', 'closed'] satisfies RpcErrorKind[];

/**
 * What crosses for `error`. `kindOf` is the serving side's say (its own user-error classes);
 * without it an RpcError passed on keeps its kind (errors relayed over several hops stay
 * what they were) and anything else is `internal`.
 */
export function serializeError(error: unknown, kindOf?: (error: unknown) => RpcErrorKind | undefined): SerializedError {
  const kind = kindOf?.(error) ?? (error instanceof RpcError ? error.kind : 'internal');
  if (error instanceof Error) return { name: error.name, message: error.message, kind };
  return { name: 'Error', message: String(error), kind };
}

export function reviveError(data: unknown): RpcError {
  const e = (typeof data === 'object' && data !== null ? data : {}) as Partial<Record<keyof SerializedError, unknown>>;
  const kind = typeof e.kind === 'string' && KINDS.includes(e.kind) ? (e.kind as RpcErrorKind) : 'internal';
  return new RpcError(typeof e.message === 'string' ? e.message : 'unknown error', kind, typeof e.name === 'string' ? e.name : 'Error');
}
