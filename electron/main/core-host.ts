/**
 * Entry of Electron's utility process: runs the core (receivers, writer, queries) off the
 * main process so the window never stalls. One RpcEndpoint over process.parentPort (which
 * Electron provides here) carries both directions: it serves the main process's `api` and
 * `shutdown` calls, and calls the main process for what only Electron can do (`print`,
 * `secret`). Uses only Node APIs.
 */
import { ApiRequestError } from '../../shared/api/contract.js';
import { DEFAULT_CORE_OPTIONS, parentPortOfUtilityProcess, RpcEndpoint, startCore, type PdfPrinter, type RunningCore } from '../core/front-door.js';
import type { HostMethods, MainMethods } from './host-protocol.js';
import { HostSecretCipher } from './host-secret-cipher.js';

/** A print window that never finishes must not hold a report forever. */
const PRINT_TIMEOUT_MS = 120_000;

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dbPath = arg('--db') ?? '';
/** The standard OTLP ports unless told otherwise (tests and a second instance pass their own; 0 picks a free one). */
const httpPortArg = arg('--otlp-http-port');
const grpcPortArg = arg('--otlp-grpc-port');

let core: RunningCore | null = null;

const main = new RpcEndpoint<MainMethods, HostMethods>(parentPortOfUtilityProcess(process.parentPort), {
  errorKind: (e) => (e instanceof ApiRequestError ? 'user' : undefined),
});

main.serve({
  api: ({ method, request }) => {
    if (!core) throw new Error('the core is still starting');
    return core.api.call(method, request);
  },
  shutdown: async () => {
    try {
      await core?.close();
    } finally {
      setImmediate(() => process.exit(0)); // after the answer is posted
    }
    return undefined;
  },
});

// Report PDFs are printed by the main process with Electron's printToPDF, not a local Chromium.
const printWithElectron: PdfPrinter = async (html) => {
  const pdf = await main.call('print', { html }, { timeoutMs: PRINT_TIMEOUT_MS });
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
};

// Stored credentials are encrypted by the main process with the OS keychain when it says the
// keychain is usable (--os-secrets); otherwise the core's key file beside the store is used.
const secretCipher = process.argv.includes('--os-secrets') ? new HostSecretCipher((request) => main.call('secret', request)) : undefined;

startCore({
  ...DEFAULT_CORE_OPTIONS,
  dbPath,
  ...(httpPortArg !== undefined ? { otlpHttpPort: Number(httpPortArg) } : {}),
  ...(grpcPortArg !== undefined ? { otlpGrpcPort: grpcPortArg === 'off' ? null : Number(grpcPortArg) } : {}),
  uiPort: null,
  mode: 'electron',
  nativeBinding: process.env['SIGHTLINE_NATIVE_BINDING'] || undefined,
  printPdf: printWithElectron,
  secretCipher,
}).then(
  (c) => {
    core = c;
    c.events.subscribe((event) => main.notify('event', event));
    main.notify('ready', { ports: { otlpHttp: c.ports.otlpHttp, otlpGrpc: c.ports.otlpGrpc } });
  },
  (e: Error) => main.notify('failed', { message: e.message }),
);
