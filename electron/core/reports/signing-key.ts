/**
 * The Ed25519 key that signs reports: made on first use and kept in the app-data folder
 * (keys/report-signing.pem, owner-only), its public half exportable so an auditor can pin it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { appDataDir } from '../util/app-paths.js';

export interface SigningKey {
  privateKey: crypto.KeyObject;
  publicKeyPem: string;
  /** SHA-256 of the public key (DER), hex: what a report names as its signer. */
  fingerprint: string;
}

export function defaultKeyDir(): string {
  return path.join(appDataDir(), 'keys');
}

export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = crypto.createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(der).digest('hex');
}

export function loadOrCreateSigningKey(dir = defaultKeyDir()): SigningKey {
  const file = path.join(dir, 'report-signing.pem');
  let privateKey: crypto.KeyObject;
  if (fs.existsSync(file)) privateKey = crypto.createPrivateKey(fs.readFileSync(file));
  else {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    privateKey = crypto.generateKeyPairSync('ed25519').privateKey;
    fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  const publicKeyPem = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem, fingerprint: publicKeyFingerprint(publicKeyPem) };
}
