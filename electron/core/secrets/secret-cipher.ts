/**
 * How stored credentials (remote sources' tokens and passwords) are encrypted at rest. The
 * core writes envelopes, `enc:<scheme>:<base64>`, where the scheme names the cipher that made
 * it: `v1` is AES-256-GCM with a key file beside the store (file-key-cipher.ts, the default in
 * the CLI and browser mode), `os1` is the desktop app's, through Electron's safeStorage (the OS
 * keychain), which only the Electron main process can reach. The interface is asynchronous so
 * that one can sit on the other side of a process boundary; the core never imports electron.
 */

export interface SecretCipher {
  /** The envelope scheme this cipher writes and reads: `enc:<scheme>:…`. */
  readonly scheme: string;
  /** Plain text → a whole envelope (`enc:<scheme>:…`). */
  encrypt(plain: string): Promise<string>;
  /** A whole envelope of this scheme → the plain text; rejects when it was altered or made with another key. */
  decrypt(envelope: string): Promise<string>;
}

export class SecretError extends Error {
  override name = 'SecretError';
}

const ENVELOPE = /^enc:([a-z0-9]+):([A-Za-z0-9+/]+={0,2})$/;

/** Whether a stored value is an envelope (anything else is plain text from before encryption). */
export function isEnvelope(stored: string): boolean {
  return stored.startsWith('enc:');
}

export function envelope(scheme: string, payload: Buffer): string {
  return `enc:${scheme}:${payload.toString('base64')}`;
}

/** The scheme and payload of an envelope; throws on a malformed one. */
export function openEnvelope(stored: string): { scheme: string; payload: Buffer } {
  const m = ENVELOPE.exec(stored);
  if (!m) throw new SecretError('a stored credential is damaged (not a readable envelope)');
  return { scheme: m[1]!, payload: Buffer.from(m[2]!, 'base64') };
}
