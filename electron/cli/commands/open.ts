/**
 * `sightline open FILE… [serve options]`: starts Sightline on those archives. With the
 * Electron runtime installed that is the desktop window (which imports files given on its
 * command line, as the OS file association does); without it, browser mode: `serve` imports
 * the files and prints the address of each one's dataset.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveCommand } from './serve.js';
import { CliError } from '../cli-error.js';

function electronBinary(): string | null {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

export async function openCommand(argv: string[]): Promise<void> {
  const files = argv.filter((a, i) => !a.startsWith('-') && (i === 0 || !argv[i - 1]!.startsWith('--')));
  const options = argv.filter((a) => !files.includes(a));
  if (files.length === 0) throw new CliError('usage: sightline open FILE… [--db PATH] [serve options]');
  for (const f of files) if (!fs.existsSync(f)) throw new CliError(`${f}: no such file`);
  const electron = process.env['SIGHTLINE_BROWSER'] ? null : electronBinary();
  if (electron) {
    const main = fileURLToPath(new URL('./electron-main.js', import.meta.url));
    const child = spawn(electron, [main, ...options, ...files.map((f) => path.resolve(f))], { stdio: 'inherit', detached: true });
    child.unref();
    return;
  }
  process.stderr.write(process.env['SIGHTLINE_BROWSER'] ? 'SIGHTLINE_BROWSER is set: opening in browser mode.\n' : 'The Electron runtime is not installed: opening in browser mode.\n');
  await serveCommand([...options, ...files.flatMap((f) => ['--open', f])]);
}
