/**
 * End to end: an archive imported with `sightline import` shows up as its own dataset in the
 * running UI; choosing it lists its traces (state in the URL), and a trace opens with its
 * waterfall, while live data stays where it was.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { runCli, startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';

let serve: ServeProcess;
let browser: Browser;
let dbPath: string;

before(async () => {
  const dir = tempDir();
  dbPath = path.join(dir, 'ds.db');
  serve = await startServe(dbPath);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

test('an imported archive is browsable as its own dataset', async () => {
  await fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: syntheticTraceRequest('a'.repeat(32), 3, { service: 'live-svc' }),
  });
  const archive = path.join(tempDir(), 'incident.jsonl');
  fs.writeFileSync(archive, ['b', 'c'].map((c) => syntheticTraceRequest(c.repeat(32), 6, { service: 'archived-svc' })).join('\n') + '\n');
  const r = await runCli(['import', archive, '--db', dbPath, '--dataset', 'incident-2026-11', '--json']);
  assert.equal(r.code, 0, r.stderr);

  const page = await browser.newPage({ viewport: { width: 1400, height: 700 } });
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/`);
  await page.getByTestId('trace-list-count').waitFor();
  assert.equal(await page.getByTestId('trace-list-row').count(), 3, 'a new window shows every dataset');

  const select = page.getByTestId('context-dataset-select');
  // The dataset list loads on its own; wait for it rather than reading the placeholder.
  await select.locator('option').nth(2).waitFor({ state: 'attached' });
  const options = await select.locator('option').allInnerTexts();
  assert.deepEqual(options, ['All datasets (15 spans)', 'live (3 spans)', 'incident-2026-11 (12 spans)']);
  await select.selectOption({ label: 'live (3 spans)' });
  await page.waitForURL(/\?dataset=1$/);
  await page.getByText('1 matching trace').waitFor();
  assert.equal(await page.getByTestId('trace-list-row').count(), 1, 'live shows its one trace');
  await select.selectOption({ label: 'incident-2026-11 (12 spans)' });
  await page.waitForURL(/\?dataset=2$/);
  await page.locator('[data-testid="trace-list-row"]', { hasText: 'archived-svc' }).first().waitFor();
  assert.equal(await page.getByTestId('trace-list-row').count(), 2);
  assert.equal(await page.getByTestId('trace-list-archive-label').innerText(), 'archive');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'e2e-4-imported-dataset.png') });

  await page.locator(`[data-trace-id="${'b'.repeat(32)}"]`).click();
  await page.waitForURL(`**/trace/${'b'.repeat(32)}?dataset=2`);
  await page.getByTestId('waterfall-span-row').first().waitFor();
  assert.equal(await page.getByTestId('waterfall-span-row').count(), 6);
  // Reloading the deep link shows the same trace of the same dataset.
  await page.reload();
  await page.getByTestId('waterfall-span-row').first().waitFor();
  assert.equal(await page.getByTestId('waterfall-span-row').count(), 6);
  await page.getByTestId('trace-page-back-link').click();
  await page.waitForURL(/\?dataset=2$/);
  // The context holds across pages and is remembered: Logs and Services follow it, and a bare link shows it again.
  await page.getByTestId('app-logs-link').click();
  await page.waitForURL(/\/logs\?dataset=2$/);
  assert.equal(await page.getByTestId('context-dataset-select').inputValue(), '2');
  await page.getByTestId('app-services-link').click();
  await page.waitForURL(/\/services\?dataset=2$/);
  await page.getByTestId('services-graph-svg').waitFor();
  assert.match((await page.getByTestId('services-graph-svg').textContent()) ?? '', /archived-svc/);
  assert.doesNotMatch((await page.getByTestId('services-graph-svg').textContent()) ?? '', /live-svc/);
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/`);
  await page.getByText('2 matching traces').waitFor();
  assert.equal(await page.getByTestId('context-dataset-select').inputValue(), '2', 'remembered');
  await page.close();
});
