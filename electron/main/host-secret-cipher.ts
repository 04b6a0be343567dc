/**
 * The core's SecretCipher in the desktop app, on the utility-process side. Electron's
 * safeStorage (the OS keychain: Keychain, DPAPI, libsecret/KWallet) is reachable only from the
 * main process, so each call is one message there and one back (HostToMain 'secret',
 * MainToHost 'secretDone'). The envelope is `enc:os1:<base64 of safeStorage's bytes>`.
 */
import { envelope, openEnvelope, SecretError, type SecretCipher } from '../core/secrets/secret-cipher.js';
import type { HostToMain, MainToHost } from './host-messages.js';

export const OS_SECRET_SCHEME = 'os1';

export class HostSecretCipher implements SecretCipher {
  readonly scheme = OS_SECRET_SCHEME;
  private readonly pending = new Map<number, { resolve: (text: string) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(private readonly postToMain: (message: HostToMain) => void) {}

  async encrypt(plain: string): Promise<string> {
    return envelope(this.scheme, Buffer.from(await this.ask('encrypt', plain), 'base64'));
  }

  async decrypt(stored: string): Promise<string> {
    const { scheme, payload } = openEnvelope(stored);
    if (scheme !== this.scheme) throw new SecretError('a stored credential is damaged (not an os1 envelope)');
    return this.ask('decrypt', payload.toString('base64'));
  }

  /** Settles the request the main process answered. */
  settle(answer: Extract<MainToHost, { type: 'secretDone' }>): void {
    const p = this.pending.get(answer.id);
    this.pending.delete(answer.id);
    if (!p) return;
    if (answer.ok) p.resolve(answer.text);
    else p.reject(new SecretError(answer.error));
  }

  private ask(op: 'encrypt' | 'decrypt', text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.postToMain({ type: 'secret', id, op, text });
    });
  }
}
