/**
 * Entry of Electron's utility process: runs the core (receivers, writer, queries) off the
 * main process so the window never stalls, and answers the main process's forwarded calls.
 * Uses only Node APIs plus process.parentPort, which Electron provides here.
 */
import { DEFAULT_CORE_OPTIONS, startCore, type RunningCore } from '../core/sightline-core.js';
import type { HostToMain, MainToHost } from './host-messages.js';
import { HostSecretCipher } from './host-secret-cipher.js';

interface ParentPort {
  on(event: 'message', listener: (e: { data: MainToHost }) => void): void;
  postMessage(message: HostToMain): void;
}

const parentPort = (process as unknown as { parentPort: ParentPort }).parentPort;
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dbPath = arg('--db') ?? '';
/** The standard OTLP ports unless told otherwise (tests and a second instance pass their own; 0 picks a free one). */
const httpPortArg = arg('--otlp-http-port');
const grpcPortArg = arg('--otlp-grpc-port');

let core: RunningCore | null = null;

// Report PDFs are printed by the main process with Electron's printToPDF, not a local Chromium.
const printing = new Map<number, { resolve: (pdf: Buffer) => void; reject: (e: Error) => void }>();
let nextPrintId = 1;
function printWithElectron(html: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const id = nextPrintId++;
    printing.set(id, { resolve, reject });
    parentPort.postMessage({ type: 'print', id, html });
  });
}

// Stored credentials are encrypted by the main process with the OS keychain when it says the
// keychain is usable (--os-secrets); otherwise the core's key file beside the store is used.
const secretCipher = process.argv.includes('--os-secrets') ? new HostSecretCipher((m) => parentPort.postMessage(m)) : undefined;

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
    c.events.subscribe((event) => parentPort.postMessage({ type: 'event', event }));
    parentPort.postMessage({ type: 'ready', ports: { otlpHttp: c.ports.otlpHttp, otlpGrpc: c.ports.otlpGrpc } });
  },
  (e: Error) => parentPort.postMessage({ type: 'failed', message: e.message }),
);

parentPort.on('message', ({ data }) => {
  if (data.type === 'printed') {
    const p = printing.get(data.id);
    printing.delete(data.id);
    if (p) data.ok ? p.resolve(Buffer.from(data.pdf)) : p.reject(new Error(data.error));
    return;
  }
  if (data.type === 'secretDone') {
    secretCipher?.settle(data);
    return;
  }
  if (data.type === 'shutdown') {
    void (core?.close() ?? Promise.resolve()).then(() => {
      parentPort.postMessage({ type: 'closed' });
      process.exit(0);
    });
    return;
  }
  if (!core) {
    parentPort.postMessage({ type: 'result', id: data.id, ok: false, error: 'the core is still starting' });
    return;
  }
  core.api.call(data.method, data.request).then(
    (value) => parentPort.postMessage({ type: 'result', id: data.id, ok: true, value }),
    (e: Error) => parentPort.postMessage({ type: 'result', id: data.id, ok: false, error: e.message }),
  );
});
