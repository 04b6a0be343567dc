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
  assert.match(first.stdout, /ranker: score drifted from .*% of the drift disappears when requests .*feature-store\.read/);
  const names = (await cliJson<{ name: string; spans: number }[]>(['datasets', '--db', db, '--json'])).map((d) => d.name);
  assert.deepEqual(names.sort(), ['demo: ranker incident', 'live', 'mine.json']);

  const again = await runCli(['demo', '--db', db]);
  assert.equal(again.code, 0);
  assert.match(again.stderr, /is already in/);
  const demo = (await cliJson<{ name: string; spans: number }[]>(['datasets', '--db', db, '--json'])).find((d) => d.name === 'demo: ranker incident')!;
  assert.equal(demo.spans, 48_000, 'imported once, not twice');
});
