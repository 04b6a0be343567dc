// `npm start`: the desktop window when the Electron runtime is installed, otherwise the same
// UI in browser mode, saying which and why.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  try {
    const p = require('electron'); // the path of the binary, or throws when it was never downloaded
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

if (!existsSync('dist/app/cli.js')) {
  console.error('Sightline is not built yet; building…');
  const r = spawn(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  await new Promise((resolve) => r.on('exit', resolve));
}

const electron = electronBinary();
if (electron && !process.env.SIGHTLINE_BROWSER) {
  console.error('Starting the Sightline desktop window (Electron).');
  const child = spawn(electron, ['dist/app/electron-main.js', ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.error(
    electron
      ? 'SIGHTLINE_BROWSER is set: starting in browser mode.'
      : 'The Electron runtime is not installed here (its download was skipped or failed), so Sightline\n' +
          'starts in browser mode: the same UI, served on 127.0.0.1. Open the UI address below.\n' +
          'For the desktop window: npm install electron (with network access to its binary).',
  );
  const child = spawn(process.execPath, ['dist/app/cli.js', 'serve', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
