/**
 * The one way into the core from outside it: the CLI and Electron's main process import this
 * module and nothing else under electron/core/ (dependency-cruiser enforces it). What they get
 * is a running core (receivers, UI server) or a session over a store, and either way the same
 * contract the UI calls (shared/api/contract.ts).
 */
export { startCore, DEFAULT_CORE_OPTIONS, type CoreOptions, type RunningCore } from './sightline-core.js';
export { openCoreSession, type CoreSession, type SessionOptions } from './core-session.js';
export type { ApiService } from './api/api-service.js';
export type { LiveEvents } from './events/live-events.js';
export { APP_VERSION, defaultDbPath, appDataDir, storeKeyDir } from './util/app-paths.js';
// What the desktop app's processes need to host the core and talk to it: the message-port
// helper (main ↔ the core's utility process), PDF printing and the OS keychain's envelopes.
export { RpcEndpoint } from './util/rpc/rpc-endpoint.js';
export { RpcError } from './util/rpc/rpc-error.js';
export { parentPortOfUtilityProcess, utilityProcessPort, type RpcPort } from './util/rpc/rpc-port.js';
export type { PdfPrinter } from './reports/report-pdf.js';
export { envelope, openEnvelope, SecretError, type SecretCipher } from './secrets/secret-cipher.js';
