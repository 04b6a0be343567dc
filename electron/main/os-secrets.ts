/**
 * The main process's half of stored-credential encryption in the desktop app: Electron's
 * safeStorage, which the core's utility process cannot reach (host-secret-cipher.ts asks for
 * it with a `secret` call, CoreConnection answers with this). Used only where it protects more
 * than the core's own key file: on Linux without a secret service safeStorage falls back to a
 * fixed password ("basic_text"), so there the core keeps its key file (keys/secrets.key beside
 * the store) instead.
 */
import { safeStorage } from 'electron';

/** Whether credentials should be encrypted with the OS keychain (call after app 'ready'). */
export function osSecretsAvailable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

/** Encrypts (plain text → base64 ciphertext) or decrypts (the reverse) with safeStorage; throws if it cannot. */
export function osSecret(op: 'encrypt' | 'decrypt', text: string): string {
  return op === 'encrypt' ? safeStorage.encryptString(text).toString('base64') : safeStorage.decryptString(Buffer.from(text, 'base64'));
}
