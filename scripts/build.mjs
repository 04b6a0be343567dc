// Builds what runs: the Node side (CLI, writer worker, Electron main, utility-process host,
// preload) with esbuild into dist/app, and the UI with Vite into dist/renderer.
// Native and heavy packages stay external and load from node_modules.
import { build } from 'esbuild';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const only = process.argv[2]; // 'node' or 'renderer' to build one half
const external = ['better-sqlite3', '@grpc/grpc-js', 'electron', 'playwright-core'];

if (only !== 'renderer') {
  rmSync('dist/app', { recursive: true, force: true });
  const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, external, logLevel: 'warning' };
  await build({
    ...common,
    format: 'esm',
    entryPoints: {
      cli: 'electron/cli/main.ts',
      'writer-worker': 'electron/core/ingest/writer-worker.ts',
      'decode-worker': 'electron/core/ingest/decode-worker.ts',
      'import-worker': 'electron/core/importers/import-worker.ts',
      'import-writer-thread': 'electron/core/importers/import-writer-thread.ts',
      'job-worker': 'electron/core/jobs/job-worker.ts',
      'report-side-worker': 'electron/core/reports/report-side-worker.ts',
      'quality-worker': 'electron/core/analysis/quality-worker.ts',
      'outline-worker': 'electron/core/readers/outline-worker.ts',
      'electron-main': 'electron/main/main.ts',
      'core-host': 'electron/main/core-host.ts',
    },
    outdir: 'dist/app',
    // ESM bundles that pull in CommonJS dependencies need a require().
    banner: { js: "import { createRequire as __sightlineCreateRequire } from 'node:module'; const require = __sightlineCreateRequire(import.meta.url);" },
  });
  // Sandboxed preloads must be CommonJS.
  await build({ ...common, format: 'cjs', entryPoints: { preload: 'electron/preload/preload.ts' }, outfile: 'dist/app/preload.cjs' });
}
/** Whether the demo archive is missing or older than the scenario generator that makes it. */
function demoIsStale() {
  const archive = 'dist/demo/ranker-incident.otlp.jsonl.gz';
  if (!fs.existsSync(archive)) return true;
  const made = fs.statSync(archive).mtimeMs;
  const sources = ['scripts/make-demo.ts', ...fs.readdirSync('test/scenarios').map((f) => `test/scenarios/${f}`)];
  return sources.some((f) => fs.statSync(f).mtimeMs > made);
}
if (only !== 'node' && demoIsStale()) {
  // The demo archive is made by the scenario generator (test/scenarios), again when it changed.
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/make-demo.ts'], { stdio: 'inherit' });
}
if (only !== 'node') {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
}
