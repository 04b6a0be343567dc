/** Messages between the Electron main process and the core's utility process. */
import type { ApiMethod } from '../../shared/api/methods.js';
import type { LiveEvent } from '../../shared/api/events.js';

export type MainToHost =
  | { type: 'call'; id: number; method: ApiMethod; request: unknown }
  | { type: 'shutdown' }
  /** The answer to a HostToMain 'print': the PDF's bytes, or why printing failed. */
  | { type: 'printed'; id: number; ok: true; pdf: Uint8Array }
  | { type: 'printed'; id: number; ok: false; error: string }
  /** The answer to a HostToMain 'secret': base64 ciphertext (encrypt) or the plain text (decrypt). */
  | { type: 'secretDone'; id: number; ok: true; text: string }
  | { type: 'secretDone'; id: number; ok: false; error: string };

export type HostToMain =
  | { type: 'ready'; ports: { otlpHttp: number; otlpGrpc: number | null } }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string }
  | { type: 'event'; event: LiveEvent }
  | { type: 'closed' }
  /** A report worker wants this HTML printed to PDF by Electron (printToPDF). */
  | { type: 'print'; id: number; html: string }
  /**
   * The core wants a credential encrypted or decrypted with Electron's safeStorage (main
   * process only): `text` is the plain text (encrypt) or the base64 ciphertext (decrypt).
   */
  | { type: 'secret'; id: number; op: 'encrypt' | 'decrypt'; text: string };
