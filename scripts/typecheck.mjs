// Type-checks each folder with its own tsconfig (its lib/types say what it may use).
// electron/main and electron/preload need Electron's types; where the optional electron
// package is not installed they are skipped with a note rather than failing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const projects = ['shared', 'electron/core', 'electron/cli', 'renderer', 'test'];
if (existsSync('node_modules/electron/electron.d.ts')) projects.push('electron/main', 'electron/preload');
else console.warn('typecheck: electron is not installed; skipping electron/main and electron/preload');
let failed = false;
for (const p of projects) {
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', `${p}/tsconfig.json`], { stdio: 'inherit' });
    console.log(`typecheck: ${p} ok`);
  } catch {
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
