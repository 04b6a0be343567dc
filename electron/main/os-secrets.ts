/**
 * The main process's half of stored-credential encryption in the desktop app: Electron's
 * safeStorage, which the core's utility process cannot reach (host-secret-cipher.ts asks for
 * it by message). Used only where it protects more than the core's own key file: on Linux
 * without a secret service safeStorage falls back to a fixed password ("basic_text"), so there
 * the core keeps its key file (keys/secrets.key beside the store) instead.
 */
import { safeStorage } from 'electron';
import type { HostToMain, MainToHost } from './host-messages.js';

/** Whether credentials should be encrypted with the OS keychain (call after app 'ready'). */
export function osSecretsAvailable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

/** Answers the core's 'secret' request: base64 ciphertext for encrypt, plain text for decrypt. */
export function answerSecret(request: Extract<HostToMain, { type: 'secret' }>): MainToHost {
  try {
    const text = request.op === 'encrypt' ? safeStorage.encryptString(request.text).toString('base64') : safeStorage.decryptString(Buffer.from(request.text, 'base64'));
    return { type: 'secretDone', id: request.id, ok: true, text };
  } catch (e) {
    return { type: 'secretDone', id: request.id, ok: false, error: `the OS keychain could not ${request.op} a stored credential: ${(e as Error).message}` };
  }
}
