// `npm start`: builds on first use, then `sightline start` (the desktop window when the
// Electron runtime is installed, otherwise browser mode, saying which and why).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('dist/app/cli.js')) {
  console.error('Sightline is not built yet; building…');
  if (spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' }).status !== 0) process.exit(1);
}
process.argv = [process.argv[0], 'dist/app/cli.js', 'start', ...process.argv.slice(2)];
await import('../dist/app/cli.js');
