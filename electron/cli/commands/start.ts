/**
 * `sightline start [FILE…] [serve options]` (what `npm start` runs) and `sightline open FILE…`:
 * the desktop window when the Electron runtime is installed, otherwise the same UI in browser
 * mode, saying which and why. Files given are imported into datasets of their own, as the OS
 * file association does.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serveCommand, SERVE_OPTIONS } from './serve.js';
import { UsageError } from '../cli-error.js';
import { storePath } from '../core-client.js';
import { readableFile } from '../input-files.js';
import { parseOptions } from '../options.js';
import { claimStore, warnIfServed } from '../serve-lock.js';

export const START_USAGE = `sightline start [FILE…] [serve options]  the app: desktop window, or browser mode (npm start)
      Files given are imported into datasets of their own; serve options: sightline serve --help.`;
export const OPEN_USAGE = `sightline open FILE… [serve options]    the app on those archives, each in a dataset of its own`;

/** The Electron binary, or null when it was never downloaded (or SIGHTLINE_BROWSER asks for the browser). */
function electronBinary(): string | null {
  if (process.env['SIGHTLINE_BROWSER']) return null;
  try {
    const p = createRequire(import.meta.url)('electron') as unknown; // the binary's path; throws when missing
    return typeof p === 'string' && fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

export async function startCommand(argv: string[], options: { requireFiles: boolean }): Promise<void> {
  // Checked here for both ways of starting, so a typo is an error rather than an option the window ignores.
  const { values, positionals: files } = parseOptions(argv, SERVE_OPTIONS, true);
  // Positional arguments are files; the rest (options and their values) goes on as it was given.
  const { tokens } = parseArgs({ args: argv, options: SERVE_OPTIONS, allowPositionals: true, strict: true, tokens: true });
  const positionalAt = new Set(tokens.filter((t) => t.kind === 'positional').map((t) => t.index));
  const rest = argv.filter((_a, i) => !positionalAt.has(i));
  if (options.requireFiles && files.length === 0) throw new UsageError('name the archives to open: sightline open FILE…');
  for (const f of files) readableFile(f, ' (sightline import FOLDER reads a folder into one dataset)');
  const electron = electronBinary();
  if (electron) {
    process.stderr.write('Starting the Sightline desktop window (Electron).\n');
    // With --db the window's store is known here: the same note as serve's (the default store is the window's own business).
    const dbPath = values.db !== undefined ? storePath(values.db) : undefined;
    if (dbPath) warnIfServed(dbPath);
    const main = fileURLToPath(new URL('./electron-main.js', import.meta.url));
    const child = spawn(electron, [main, ...rest, ...files.map((f) => path.resolve(f))], { stdio: 'inherit' });
    const release =
      dbPath && child.pid ? claimStore(dbPath, { pid: child.pid, ui: null, otlpHttp: null, otlpGrpc: null, startedAt: new Date().toISOString() }) : () => {};
    await new Promise<void>((resolve) => child.on('exit', (code) => (release(), (process.exitCode = code ?? 0), resolve())));
    return;
  }
  process.stderr.write(
    process.env['SIGHTLINE_BROWSER']
      ? 'SIGHTLINE_BROWSER is set: starting in browser mode.\n'
      : 'The Electron runtime is not installed here (its download was skipped or failed), so Sightline\n' +
          'starts in browser mode: the same UI, served on 127.0.0.1. Open the UI address below.\n' +
          'For the desktop window: npm install electron (with network access to its binary).\n',
  );
  await serveCommand([...rest, ...files.flatMap((f) => ['--open', f])]);
}
