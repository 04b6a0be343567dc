/**
 * The default SecretCipher: AES-256-GCM (node:crypto) with a random 256-bit key kept in
 * `keys/secrets.key` beside the store, owner-only (0600, folder 0700), like the report signing
 * key (reports/signing-key.ts). The envelope payload is iv (12 bytes) | tag (16) | ciphertext.
 * Reading the database alone no longer gives the credentials away; someone who can read the
 * key file as well still can, which is what the desktop app's OS keychain cipher improves on.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { storeKeyDir } from '../util/app-paths.js';
import { envelope, openEnvelope, SecretError, type SecretCipher } from './secret-cipher.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const FILE_KEY_SCHEME = 'v1';

/** `keys/` beside the store: the same folder as the report signing key and the pseudonym key. */
export function secretKeyFile(dbPath: string): string {
  return path.join(storeKeyDir(path.resolve(dbPath)), 'secrets.key');
}

function readKey(file: string): Buffer {
  const st = fs.statSync(file);
  // A key readable by others is tightened when it is ours (a copy made with a loose umask).
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0 && st.uid === process.getuid?.()) fs.chmodSync(file, 0o600);
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new SecretError(`${file} is not a Sightline secrets key (${key.length} bytes, not ${KEY_BYTES})`);
  return key;
}

/** Makes the key once; two processes starting together agree on the first one written (link is atomic). */
export function loadOrCreateSecretKey(file: string): Buffer {
  if (fs.existsSync(file)) return readKey(file);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, crypto.randomBytes(KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  fs.chmodSync(tmp, 0o600); // whatever the umask
  try {
    fs.linkSync(tmp, file);
  } catch (e) {
    if (!isExists(e)) copyUnlessExists(tmp, file); // a file system without hard links
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return readKey(file);
}

function isExists(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'EEXIST';
}

function copyUnlessExists(from: string, to: string): void {
  try {
    fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
  } catch (e) {
    if (!isExists(e)) throw e;
  }
}

export class FileKeyCipher implements SecretCipher {
  readonly scheme = FILE_KEY_SCHEME;
  private key: Buffer | null = null;

  constructor(private readonly keyFile: string) {}

  private getKey(): Buffer {
    this.key ??= loadOrCreateSecretKey(this.keyFile);
    return this.key;
  }

  encrypt(plain: string): Promise<string> {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.getKey(), iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Promise.resolve(envelope(this.scheme, Buffer.concat([iv, cipher.getAuthTag(), ciphertext])));
  }

  decrypt(stored: string): Promise<string> {
    const { scheme, payload } = openEnvelope(stored);
    if (scheme !== this.scheme || payload.length < IV_BYTES + TAG_BYTES)
      return Promise.reject(new SecretError('a stored credential is damaged (not a v1 envelope)'));
    if (!fs.existsSync(this.keyFile))
      return Promise.reject(new SecretError(`a stored credential cannot be read: its key ${this.keyFile} is missing; enter the credentials again`));
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.getKey(), payload.subarray(0, IV_BYTES));
      decipher.setAuthTag(payload.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Promise.resolve(Buffer.concat([decipher.update(payload.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8'));
    } catch {
      return Promise.reject(
        new SecretError(
          `a stored credential cannot be read with the key in ${this.keyFile} (altered, or encrypted with another key); enter the credentials again`,
        ),
      );
    }
  }
}
