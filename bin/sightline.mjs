#!/usr/bin/env node
// The `sightline` command: runs the built CLI (npm install builds it; `npm run build` rebuilds).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/app/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('sightline: not built yet; run `npm run build` in the Sightline folder.\n');
  process.exit(1);
}
await import(new URL('../dist/app/cli.js', import.meta.url).href);
