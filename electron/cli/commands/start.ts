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
import { serveCommand } from './serve.js';
import { CliError } from '../cli-error.js';

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
  // Positional arguments are files; anything after an --option is that option's value.
  const files = argv.filter((a, i) => !a.startsWith('-') && (i === 0 || !argv[i - 1]!.startsWith('--')));
  const rest = argv.filter((a) => !files.includes(a));
  if (options.requireFiles && files.length === 0) throw new CliError('usage: sightline open FILE… [--db PATH] [serve options]');
  for (const f of files) if (!fs.existsSync(f)) throw new CliError(`${f}: no such file`);
  const electron = electronBinary();
  if (electron) {
    process.stderr.write('Starting the Sightline desktop window (Electron).\n');
    const main = fileURLToPath(new URL('./electron-main.js', import.meta.url));
    const child = spawn(electron, [main, ...rest, ...files.map((f) => path.resolve(f))], { stdio: 'inherit' });
    await new Promise<void>((resolve) => child.on('exit', (code) => ((process.exitCode = code ?? 0), resolve())));
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
