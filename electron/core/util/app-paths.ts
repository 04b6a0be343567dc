/**
 * Where Sightline keeps its files when no --db is given: the OS app-data folder, the same
 * one Electron's app.getPath('userData') names for the "Sightline" app, so the desktop app,
 * `sightline serve` and the CLI share one store.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export function appDataDir(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), 'Sightline');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Sightline');
  return path.join(process.env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), 'Sightline');
}

export function defaultDbPath(): string {
  return path.join(appDataDir(), 'sightline.db');
}

/**
 * The keys of a store (report signing, stored secrets, pseudonyms) live beside it: with the
 * default store that is the app-data folder, shared by the desktop app, serve and the CLI; a
 * store elsewhere (tests, a project folder) has its own.
 */
export function storeKeyDir(dbPath: string): string {
  return path.join(path.dirname(dbPath), 'keys');
}

/** The package root: the nearest folder above this module with a package.json (source or dist). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the Sightline package root');
}

export const PACKAGE_ROOT = packageRoot();

export function rendererDir(): string {
  return path.join(PACKAGE_ROOT, 'dist', 'renderer');
}

export const APP_VERSION: string = (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
