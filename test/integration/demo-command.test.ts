/**
 * `sightline demo` on a store that already holds other data imports the demo once and
 * analyses it; run again, it leaves the store as it is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliJson, runCli, tempDir } from '../helpers/serve-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';

test('the demo joins an existing store once, and its analysis finds the storage incident', async () => {
  const dir = tempDir();
  const db = path.join(dir, 'existing.db');
  const archive = path.join(dir, 'mine.json');
  fs.writeFileSync(archive, syntheticTraceRequest('c'.repeat(32), 3, { service: 'mine' }));
  assert.equal((await runCli(['import', archive, '--db', db])).code, 0);

  const first = await runCli(['demo', '--db', db]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /ranker: score drifted from .*% of the drift goes away when requests .*feature-store\.read/);
  const datasets = await cliJson<{ name: string; spans: number }[]>(['datasets', '--db', db, '--json']);
  assert.deepEqual(datasets.map((d) => d.name).sort(), ['demo: ranker incident', 'live', 'mine.json']);
  const spansOnce = datasets.find((d) => d.name === 'demo: ranker incident')!.spans;
  assert.ok(spansOnce >= 48_000, `two scenarios of 6,000 requests, 4 or more spans each (${spansOnce})`);

  const again = await runCli(['demo', '--db', db]);
  assert.equal(again.code, 0);
  assert.match(again.stderr, /is already in/);
  const demo = (await cliJson<{ name: string; spans: number }[]>(['datasets', '--db', db, '--json'])).find((d) => d.name === 'demo: ranker incident')!;
  assert.equal(demo.spans, spansOnce, 'imported once, not twice');
});
