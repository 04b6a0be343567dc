/**
 * `sightline open FILE` without the Electron runtime: browser mode starts, the archive is
 * imported into its own dataset, and the address printed shows it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CLI, tempDir } from '../helpers/serve-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';

test('open FILE starts browser mode on the archive and prints where to look', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'opened.jsonl');
  fs.writeFileSync(
    file,
    [syntheticTraceRequest('d'.repeat(32), 4, { service: 'opened' }), syntheticTraceRequest('e'.repeat(32), 4, { service: 'opened' })].join('\n') + '\n',
  );
  const child = spawn(process.execPath, [CLI, 'open', file, '--db', path.join(dir, 'o.db'), '--otlp-http-port', '0', '--otlp-grpc-port', '0', '--port', '0'], {
    env: { ...process.env, SIGHTLINE_BROWSER: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const ports = JSON.parse(await new Promise<string>((r) => createInterface({ input: child.stdout }).once('line', r))) as { ui: number };
    const url = await new Promise<string>((resolve, reject) => {
      const check = (): void => {
        const m = /Opened .*opened\.jsonl: (http:\/\/127\.0\.0\.1:\d+\/\?dataset=(\d+))/.exec(stderr);
        if (m) resolve(m[1]!);
        if (/Could not open/.test(stderr)) reject(new Error(stderr));
      };
      child.stderr.on('data', check);
      check();
      setTimeout(() => reject(new Error(`no "Opened" line: ${stderr}`)), 20_000).unref();
    });
    assert.match(stderr, /SIGHTLINE_BROWSER is set: starting in browser mode/);
    const dataset = Number(new URL(url).searchParams.get('dataset'));
    const res = await fetch(`http://127.0.0.1:${ports.ui}/api/searchTraces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ datasetId: dataset }),
    });
    const traces = ((await res.json()) as { result: { rootServiceName: string }[] }).result;
    assert.deepEqual(
      traces.map((t) => t.rootServiceName),
      ['opened', 'opened'],
    );
  } finally {
    child.kill('SIGTERM');
  }
});
