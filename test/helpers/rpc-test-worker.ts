/**
 * A worker thread that serves RpcEndpoint calls for test/unit/rpc-endpoint.test.ts: answers,
 * user and internal errors, a call that never answers, an exit in the middle of calls, bytes
 * moved rather than copied, and a call back to the starting thread while its own call runs.
 * `startRpcTestWorker` starts it (registering tsx in the worker, which the test runner's loader
 * does not reach).
 */
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { RpcEndpoint } from '../../electron/core/util/rpc/rpc-endpoint.js';
import { messagePort, workerPort } from '../../electron/core/util/rpc/rpc-port.js';

/** What the worker serves. */
export type TestWorkerMethods = {
  echo: { request: { text: string }; response: { text: string; fromWorker: boolean } };
  refuse: { request: { why: string }; response: never };
  crash: { request: undefined; response: never };
  never: { request: undefined; response: never };
  exit: { request: { code: number }; response: never };
  sumBytes: { request: { bytes: ArrayBuffer }; response: { byteLength: number; sum: number } };
  askBack: { request: { n: number }; response: number };
  unclonable: { request: undefined; response: () => void };
};

/** What the starting thread serves to the worker. */
export type TestStarterMethods = {
  double: { request: number; response: number };
};

/** A user error: the classifier on the worker's side says so. */
class BadRequestError extends Error {
  override name = 'BadRequestError';
}

export function startRpcTestWorker(): { worker: Worker; endpoint: RpcEndpoint<TestWorkerMethods, TestStarterMethods> } {
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, { eval: true });
  const endpoint = new RpcEndpoint<TestWorkerMethods, TestStarterMethods>(workerPort(worker));
  endpoint.serve({ double: (n) => n * 2 });
  return { worker, endpoint };
}

if (!isMainThread && parentPort) {
  const starter = new RpcEndpoint<TestStarterMethods, TestWorkerMethods>(messagePort(parentPort), {
    errorKind: (e) => (e instanceof BadRequestError ? 'user' : undefined),
  });
  starter.serve({
    echo: ({ text }) => ({ text, fromWorker: !isMainThread }),
    refuse: ({ why }) => {
      throw new BadRequestError(why);
    },
    crash: async () => {
      throw new TypeError('something inside broke');
    },
    never: () => new Promise<never>(() => {}),
    exit: ({ code }) => process.exit(code),
    sumBytes: ({ bytes }) => ({ byteLength: bytes.byteLength, sum: new Uint8Array(bytes).reduce((a, b) => a + b, 0) }),
    askBack: async ({ n }) => (await starter.call('double', n)) + 1,
    unclonable: () => () => {},
  });
}
