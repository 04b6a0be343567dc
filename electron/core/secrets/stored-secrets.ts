/**
 * Seals and opens stored credentials with the store's ciphers: new values are written with the
 * host's cipher (the desktop app's OS keychain, or the key file), and any envelope either can
 * read is opened. A value without an envelope is plain text written before encryption: it is
 * read as it is, and `isPlain` lets the caller seal it in place (remote/seal-plain-credentials.ts).
 */
import { FileKeyCipher, secretKeyFile } from './file-key-cipher.js';
import { isEnvelope, openEnvelope, SecretError, type SecretCipher } from './secret-cipher.js';

export class StoredSecrets {
  constructor(
    private readonly writer: SecretCipher,
    private readonly readers: readonly SecretCipher[],
  ) {}

  /** The ciphers for the store at dbPath: the host's (when it brings one) and the key file beside the store. */
  static forStore(dbPath: string, hostCipher?: SecretCipher): StoredSecrets {
    const fileKey = new FileKeyCipher(secretKeyFile(dbPath));
    return new StoredSecrets(hostCipher ?? fileKey, hostCipher ? [hostCipher, fileKey] : [fileKey]);
  }

  isPlain(stored: string | null): stored is string {
    return stored !== null && !isEnvelope(stored);
  }

  async seal(plain: string | undefined): Promise<string | null> {
    return plain === undefined ? null : this.writer.encrypt(plain);
  }

  async open(stored: string | null): Promise<string | undefined> {
    if (stored === null) return undefined;
    if (!isEnvelope(stored)) return stored;
    const { scheme } = openEnvelope(stored);
    const cipher = this.readers.find((c) => c.scheme === scheme);
    if (!cipher) {
      throw new SecretError(
        scheme === 'os1'
          ? "this source's credentials were saved by the Sightline desktop app in the OS keychain, which only the desktop app can read; enter them again here"
          : `this source's credentials were encrypted by a newer Sightline (scheme ${scheme}); enter them again here`,
      );
    }
    return cipher.decrypt(stored);
  }
}
