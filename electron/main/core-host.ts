/**
 * Entry of Electron's utility process: runs the core (receivers, writer, queries) off the
 * main process so the window never stalls, and answers the main process's forwarded calls.
 * Uses only Node APIs plus process.parentPort, which Electron provides here.
 */
import { DEFAULT_CORE_OPTIONS, startCore, type RunningCore } from '../core/sightline-core.js';
import type { HostToMain, MainToHost } from './host-messages.js';

interface ParentPort {
  on(event: 'message', listener: (e: { data: MainToHost }) => void): void;
  postMessage(message: HostToMain): void;
}

const parentPort = (process as unknown as { parentPort: ParentPort }).parentPort;
const dbPath = process.argv[process.argv.indexOf('--db') + 1] ?? '';

let core: RunningCore | null = null;

startCore({
  ...DEFAULT_CORE_OPTIONS,
  dbPath,
  uiPort: null,
  mode: 'electron',
  nativeBinding: process.env['SIGHTLINE_NATIVE_BINDING'] || undefined,
}).then(
  (c) => {
    core = c;
    c.events.subscribe((event) => parentPort.postMessage({ type: 'event', event }));
    parentPort.postMessage({ type: 'ready', ports: { otlpHttp: c.ports.otlpHttp, otlpGrpc: c.ports.otlpGrpc } });
  },
  (e: Error) => parentPort.postMessage({ type: 'failed', message: e.message }),
);

parentPort.on('message', ({ data }) => {
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
