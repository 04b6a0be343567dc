/**
 * The per-store secret behind pseudonyms: 32 random bytes, made on first use and kept beside
 * the store in `keys/` (the folder of the report signing key, reports/signing-key.ts), readable
 * by the owner only. Every thread that redacts for a store (decode worker, import thread, the
 * writer's safety net, export) loads the same file, so a value gets the same pseudonym on
 * whichever path it was stored or exported. Deleting the file starts new pseudonyms.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { storeKeyDir } from '../util/app-paths.js';
import { ephemeralSecret } from './pseudonym.js';

export const PSEUDONYM_KEY_FILE = 'redaction-pseudonym.key';

export function pseudonymKeyPath(dbPath: string): string {
  return path.join(storeKeyDir(dbPath), PSEUDONYM_KEY_FILE);
}

/** Reads the key, making it first if there is none (atomically: two threads racing agree on one). */
export function loadOrCreatePseudonymKey(file: string): Buffer {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}-${threadId}-${crypto.randomUUID()}.tmp`;
    fs.writeFileSync(tmp, crypto.randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    try {
      // A hard link appears whole and fails if the key exists: whoever links first wins.
      fs.linkSync(tmp, file);
    } catch (e) {
      if (!isExists(e)) copyUnlessExists(tmp, file); // no hard links on this file system
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  const hex = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`the pseudonym key ${file} is not 64 hex digits; delete it to make a new one (pseudonyms then change)`);
  return Buffer.from(hex, 'hex');
}

function isExists(e: unknown): boolean {
  return (e as { code?: string }).code === 'EEXIST';
}

function copyUnlessExists(from: string, to: string): void {
  try {
    fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
  } catch (e) {
    if (!isExists(e)) throw e;
  }
}

/** The store's key loader for a Pseudonymiser: a store in memory gets a key for this process only. */
export function storePseudonymKey(dbPath: string): () => Buffer {
  if (dbPath === '' || dbPath === ':memory:') return ephemeralSecret;
  const file = pseudonymKeyPath(path.resolve(dbPath));
  return () => loadOrCreatePseudonymKey(file);
}
