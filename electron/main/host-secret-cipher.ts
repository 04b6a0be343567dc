/**
 * The core's SecretCipher in the desktop app, on the utility-process side. Electron's
 * safeStorage (the OS keychain: Keychain, DPAPI, libsecret/KWallet) is reachable only from the
 * main process, so each encrypt or decrypt is a `secret` call there (host-protocol.ts) whose
 * failure comes back as a SecretError. The envelope is `enc:os1:<base64 of safeStorage's bytes>`.
 */
import { envelope, openEnvelope, SecretError, type SecretCipher } from '../core/front-door.js';
import type { MainMethods } from './host-protocol.js';

export const OS_SECRET_SCHEME = 'os1';

/** Asks the main process: plain text → base64 ciphertext (encrypt), or the reverse (decrypt). */
export type AskKeychain = (request: MainMethods['secret']['request']) => Promise<string>;

export class HostSecretCipher implements SecretCipher {
  readonly scheme = OS_SECRET_SCHEME;

  constructor(private readonly askKeychain: AskKeychain) {}

  async encrypt(plain: string): Promise<string> {
    return envelope(this.scheme, Buffer.from(await this.ask('encrypt', plain), 'base64'));
  }

  async decrypt(stored: string): Promise<string> {
    const { scheme, payload } = openEnvelope(stored);
    if (scheme !== this.scheme) throw new SecretError('a stored credential is damaged (not an os1 envelope)');
    return this.ask('decrypt', payload.toString('base64'));
  }

  private async ask(op: 'encrypt' | 'decrypt', text: string): Promise<string> {
    try {
      return await this.askKeychain({ op, text });
    } catch (e) {
      throw new SecretError((e as Error).message);
    }
  }
}
