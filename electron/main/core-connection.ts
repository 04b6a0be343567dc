/**
 * The main process's side of the channel to the core's utility process, without Electron:
 * main.ts gives it the process's port and hooks for what only Electron can do (windows,
 * dialogs, printToPDF, safeStorage), and the tests give it a Node child process and stand-ins.
 * It forwards contract calls, answers the core's requests, and opens files: File › Open,
 * the command line and the OS's open-file all import through `importFiles`, whose errors go to
 * `importFailed` (a dialog) instead of vanishing.
 */
import type { ApiMethod, ApiResponses } from '../../shared/api/contract.js';
import type { LiveEvent } from '../../shared/api/events.js';
import { RpcEndpoint, type RpcPort } from '../core/front-door.js';
import type { HostMethods, MainMethods } from './host-protocol.js';

export interface CoreConnectionHooks {
  ready(ports: MainMethods['ready']['request']['ports']): void;
  /** The core could not start. */
  failed(message: string): void;
  /** A live event for the windows. */
  event(event: LiveEvent): void;
  /** Prints a report's HTML (Electron's printToPDF). */
  printPdf(html: string): Promise<Uint8Array>;
  /** Encrypts (→ base64) or decrypts (base64 →) with the OS keychain. */
  secret(op: 'encrypt' | 'decrypt', text: string): string | Promise<string>;
  /** A file asked for could not be imported (a failure later in the import is a live event instead). */
  importFailed(file: string, message: string): void;
}

export class CoreConnection {
  private readonly core: RpcEndpoint<HostMethods, MainMethods>;
  private coreIsReady = false;
  /** Files asked for before the core was up (the command line, open-file at launch). */
  private readonly waitingFiles: string[] = [];

  constructor(
    port: RpcPort,
    private readonly hooks: CoreConnectionHooks,
  ) {
    this.core = new RpcEndpoint<HostMethods, MainMethods>(port);
    this.core.serve({
      ready: ({ ports }) => {
        this.coreIsReady = true;
        hooks.ready(ports);
        this.importFiles(this.waitingFiles.splice(0));
      },
      failed: ({ message }) => {
        hooks.failed(message);
        for (const file of this.waitingFiles.splice(0)) hooks.importFailed(file, `Sightline could not start: ${message}`);
      },
      event: (event) => hooks.event(event),
      print: async ({ html }) => {
        try {
          return await hooks.printPdf(html);
        } catch (e) {
          throw new Error(`printing the PDF failed: ${(e as Error).message}`, { cause: e });
        }
      },
      secret: async ({ op, text }) => {
        try {
          return await hooks.secret(op, text);
        } catch (e) {
          throw new Error(`the OS keychain could not ${op} a stored credential: ${(e as Error).message}`, { cause: e });
        }
      },
    });
  }

  /** One contract call in the core; rejects with the core's error (an RpcError with its name and kind). */
  async callApi<M extends ApiMethod>(method: M, request: unknown): Promise<ApiResponses[M]> {
    return (await this.core.call('api', { method, request })) as ApiResponses[M];
  }

  /** Imports archive files in the core, each into a dataset of its own, once the core is up. */
  importFiles(paths: readonly string[]): void {
    if (!this.coreIsReady) {
      this.waitingFiles.push(...paths);
      return;
    }
    for (const file of paths) this.callApi('startImport', { path: file }).catch((e: Error) => this.hooks.importFailed(file, e.message));
  }

  /** Asks the core to close; rejects with kind `timeout` if it has not answered in time (then kill it). */
  async shutdown(timeoutMs: number): Promise<void> {
    await this.core.call('shutdown', undefined, { timeoutMs });
  }
}
