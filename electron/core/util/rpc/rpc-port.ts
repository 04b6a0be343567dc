/**
 * What an RpcEndpoint needs from a boundary: post a message, hear messages, hear that the
 * other side is gone. One adapter per kind of boundary, because each names these differently
 * (a worker says 'exit', a MessagePort 'close'; Electron's process.parentPort wraps each
 * message in an event's `data`; a Node child process has `send` instead of `postMessage`).
 * The Electron ones are typed by shape, so the core needs no Electron types.
 */
import type { ChildProcess } from 'node:child_process';
import type { MessagePort, TransferListItem, Worker } from 'node:worker_threads';

export interface RpcPort {
  /** `transfer` moves ArrayBuffers (and ports) instead of copying them, where the boundary can. */
  post(message: unknown, transfer?: readonly TransferListItem[]): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the other side has exited, crashed or closed, with a reason to show. */
  onClose(listener: (reason: string) => void): void;
}

/** A worker thread, from the thread that started it. */
export function workerPort(worker: Worker): RpcPort {
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    onMessage: (listener) => void worker.on('message', listener),
    onClose: (listener) => {
      // 'error' (an uncaught exception, out of memory) comes before 'exit' and says more.
      worker.once('error', (e) => listener(`the worker thread failed: ${e.message}`));
      worker.once('exit', (code) => listener(`the worker thread stopped (exit code ${code})`));
    },
  };
}

/** A MessagePort: inside a worker, `parentPort`; or either end of a MessageChannel. */
export function messagePort(port: MessagePort): RpcPort {
  return {
    post: (message, transfer) => port.postMessage(message, transfer),
    onMessage: (listener) => void port.on('message', listener),
    onClose: (listener) => void port.once('close', () => listener('the other side closed its port')),
  };
}

/** A Node child process forked with an IPC channel (`serialization: 'advanced'` carries bytes). */
export function childProcessPort(child: ChildProcess): RpcPort {
  return {
    post: (message) => void child.send(message as Parameters<ChildProcess['send']>[0]),
    onMessage: (listener) => void child.on('message', listener),
    onClose: (listener) => {
      child.on('error', (e) => listener(`the child process failed: ${e.message}`)); // `on`: a failed send may follow
      child.once('exit', (code, signal) => listener(`the child process exited (${signal ?? `code ${code}`})`));
    },
  };
}

/** Electron's UtilityProcess, from the main process (messages are structured clones). */
export interface UtilityProcessLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
}

export function utilityProcessPort(child: UtilityProcessLike): RpcPort {
  return {
    post: (message) => child.postMessage(message),
    onMessage: (listener) => void child.on('message', listener),
    onClose: (listener) => void child.once('exit', (code) => listener(`the core process exited (code ${code})`)),
  };
}

/** `process.parentPort` inside Electron's utility process (and test/helpers/utility-process-shim.mjs). */
export interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

/** The parent never says it is gone: when the main process ends, so does this process. */
export function parentPortOfUtilityProcess(port: ParentPortLike): RpcPort {
  return {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => void port.on('message', (event) => listener(event.data)),
    onClose: () => {},
  };
}
