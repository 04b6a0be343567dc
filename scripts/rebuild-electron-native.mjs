// Builds better-sqlite3 for the installed Electron's ABI into build/electron-native/, beside
// (not over) the Node build in node_modules, so tests and the CLI keep working. The Electron
// main process passes this file to better-sqlite3 as `nativeBinding`.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const work = mkdtempSync(path.join(os.tmpdir(), 'sightline-electron-native-'));
cpSync('node_modules/better-sqlite3', work, { recursive: true });
execFileSync('npx', ['node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], {
  cwd: work,
  stdio: 'inherit',
});
mkdirSync('build/electron-native', { recursive: true });
cpSync(path.join(work, 'build/Release/better_sqlite3.node'), 'build/electron-native/better_sqlite3.node');
console.log('built build/electron-native/better_sqlite3.node for Electron', electronVersion);
