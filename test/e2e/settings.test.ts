/**
 * End to end: Settings shows where the receivers listen and the token senders need, lists the
 * datasets, and deletes an imported one after confirmation (live cannot be deleted).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { cliJson, runCli, startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';
import type { StoreStats } from '../../shared/model/telemetry.js';

let serve: ServeProcess;
let browser: Browser;
let dbPath: string;

before(async () => {
  dbPath = path.join(tempDir(), 'settings.db');
  serve = await startServe(dbPath, ['--token', 'visible-token-123']);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

test('settings show the token and delete an imported dataset', async () => {
  const archive = path.join(tempDir(), 'old-incident.jsonl');
  fs.writeFileSync(archive, syntheticTraceRequest('9'.repeat(32), 5) + '\n');
  assert.equal((await runCli(['import', archive, '--db', dbPath])).code, 0);

  const page = await browser.newPage({ viewport: { width: 1400, height: 700 } });
  page.on('dialog', (d) => void d.accept());
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/`);
  await page.getByTestId('app-settings-link').click();
  await page.waitForURL('**/settings');
  assert.match(await page.getByTestId('settings-token').innerText(), /Authorization: Bearer visible-token-123/);
  assert.match(await page.getByTestId('settings-receivers').innerText(), new RegExp(`http://127\\.0\\.0\\.1:${serve.ports.otlpHttp}`));
  const rows = page.getByTestId('settings-dataset-row');
  await rows.nth(1).waitFor();
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-dataset'))), ['live', 'old-incident.jsonl']);
  assert.equal(await rows.nth(0).getByTestId('settings-dataset-delete-button').count(), 0, 'live has no delete button');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'e2e-7-settings.png') });

  await rows.nth(1).getByTestId('settings-dataset-delete-button').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="settings-dataset-row"]').length === 1);
  const stats = await cliJson<StoreStats>(['stats', '--db', dbPath, '--json']);
  assert.equal(stats.spans, 0);
  await page.close();
});
