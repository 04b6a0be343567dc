/**
 * The two sides of the channel between the Electron main process and the core's utility
 * process (core-host.ts), each a map of method → request and response for RpcEndpoint.
 * `ready`, `failed` and `event` are notifications (nothing answers them); every other method
 * is a call whose answer or error always comes back.
 */
import type { ApiMethod } from '../../shared/api/methods.js';
import type { LiveEvent } from '../../shared/api/events.js';

/** What the core's utility process serves to the main process. */
export type HostMethods = {
  /** One contract call (from a window, the menu or the OS's open-file); the core validates it. */
  api: { request: { method: ApiMethod; request: unknown }; response: unknown };
  /** Closes the core (receivers, writer, store); the process exits after answering. */
  shutdown: { request: undefined; response: undefined };
};

/** What the main process serves to the core's utility process. */
export type MainMethods = {
  /** Notification: the core is up, with the ports its receivers listen on. */
  ready: { request: { ports: { otlpHttp: number; otlpGrpc: number | null } }; response: void };
  /** Notification: the core could not start. */
  failed: { request: { message: string }; response: void };
  /** Notification: a live event for the windows. */
  event: { request: LiveEvent; response: void };
  /** A report's HTML → PDF bytes with Electron's printToPDF (report workers in the desktop app). */
  print: { request: { html: string }; response: Uint8Array };
  /**
   * Electron's safeStorage (the OS keychain), reachable only from the main process: `text` is
   * the plain text (encrypt → base64 ciphertext) or the base64 ciphertext (decrypt → plain text).
   */
  secret: { request: { op: 'encrypt' | 'decrypt'; text: string }; response: string };
};
