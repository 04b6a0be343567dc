/**
 * The desktop app's core without Electron, for integration tests: the built core host
 * (dist/app/core-host.js) in a Node child process behind the utility-process stand-in
 * (utility-process-shim.mjs), driven by the main process's own CoreConnection
 * (electron/main/core-connection.ts) with the test's stand-ins for what only Electron can do.
 */
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { CoreConnection, type CoreConnectionHooks } from '../../electron/main/core-connection.js';
import { childProcessPort } from '../../electron/core/util/rpc/rpc-port.js';
import { RpcError } from '../../electron/core/util/rpc/rpc-error.js';
import { ROOT } from './serve-process.js';

export interface CoreHostProcess {
  child: ChildProcess;
  core: CoreConnection;
  /** Resolves with the receivers' ports once the core says it is ready; rejects if it fails or exits first. */
  ready: Promise<{ otlpHttp: number; otlpGrpc: number | null }>;
  /** Asks the core to shut down, as the app does on quit, and waits for the process to exit. */
  stop(): Promise<void>;
}

type TestHooks = Partial<Omit<CoreConnectionHooks, 'ready' | 'failed'>>;

export function forkCoreHost(args: string[], hooks: TestHooks = {}): CoreHostProcess {
  const child = fork(path.join(ROOT, 'test', 'helpers', 'utility-process-shim.mjs'), args, {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let ready!: (ports: { otlpHttp: number; otlpGrpc: number | null }) => void;
  let failed!: (e: Error) => void;
  const readyPromise = new Promise<{ otlpHttp: number; otlpGrpc: number | null }>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  child.once('exit', (code) => failed(new Error(`the core host exited (${code})`)));
  const notHere = (what: string) => () => Promise.reject(new Error(`${what} is not part of this test`));
  const core = new CoreConnection(childProcessPort(child), {
    ready,
    failed: (message) => failed(new Error(message)),
    event: hooks.event ?? (() => {}),
    printPdf: hooks.printPdf ?? notHere('printing'),
    secret: hooks.secret ?? notHere('the keychain'),
    importFailed: hooks.importFailed ?? (() => {}),
  });
  return {
    child,
    core,
    ready: readyPromise,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // The answer may be lost as the process exits (then the call is rejected as `closed`).
      await core.shutdown(15_000).catch((e: unknown) => {
        if (e instanceof RpcError && e.kind === 'timeout') child.kill();
      });
      await exited;
    },
  };
}
