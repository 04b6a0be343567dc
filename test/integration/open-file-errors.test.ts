/**
 * File › Open, files on the command line and the OS's open-file event all import through
 * CoreConnection.importFiles (electron/main/core-connection.ts), the main process's handling
 * of the core's channel, which main.ts turns into an error dialog through `importFailed`.
 * Before, those imports were posted as calls whose IDs nobody waited for, so a file that could
 * not be opened failed without a word. This runs the built core host (dist/app/core-host.js) in
 * a child process, driven by CoreConnection as the main process drives it: a missing file asked
 * for at launch (before the core is ready) and one opened later both reach `importFailed`; a
 * file that is there but garbage starts an import that fails in a live event, which the window
 * shows, and asks for no dialog.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ImportEvent, LiveEvent } from '../../shared/api/events.js';
import { tempDir } from '../helpers/serve-process.js';
import { forkCoreHost, type CoreHostProcess } from '../helpers/core-host-process.js';

let host: CoreHostProcess;
let dir: string;
const importFailures: { file: string; message: string }[] = [];
const events: LiveEvent[] = [];

/** Waits until `found` gives something, checking every 20 ms. */
async function until<T>(what: string, found: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = found();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

before(() => {
  dir = tempDir();
  host = forkCoreHost(['--db', path.join(dir, 'host.db'), '--otlp-http-port', '0', '--otlp-grpc-port', 'off'], {
    importFailed: (file, message) => importFailures.push({ file, message }),
    event: (event) => events.push(event),
  });
});

after(() => host?.stop());

test('a missing file asked for at launch, before the core is ready, reaches the error dialog', async () => {
  const missing = path.join(dir, 'gone-before-launch.otlp.jsonl');
  host.core.importFiles([missing]); // what main.ts does with argv and open-file at launch
  await host.ready;
  const failure = await until('the launch file to fail', () => importFailures.find((f) => f.file === missing));
  assert.match(failure.message, /gone-before-launch\.otlp\.jsonl: no such file/);
});

test('File › Open of a file that is not there reaches the error dialog', async () => {
  await host.ready;
  const missing = path.join(dir, 'deleted-after-choosing.json');
  host.core.importFiles([missing]);
  const failure = await until('File › Open to fail', () => importFailures.find((f) => f.file === missing));
  assert.match(failure.message, /deleted-after-choosing\.json: no such file/);
});

test('File › Open of a garbage file: the import starts, fails in a live event the window shows, and asks for no dialog', async () => {
  await host.ready;
  const garbage = path.join(dir, 'garbage.bin');
  fs.writeFileSync(garbage, crypto.randomBytes(4096));
  host.core.importFiles([garbage]);
  const finished = await until('the import to finish', () =>
    events.find((e): e is ImportEvent => e.type === 'import' && e.file === garbage && e.state !== 'running'),
  );
  assert.equal(finished.state, 'failed');
  assert.ok(finished.message, 'the failed import says why');
  assert.equal(importFailures.filter((f) => f.file === garbage).length, 0, 'the call itself succeeded: nothing for a dialog');
});
