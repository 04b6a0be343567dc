/**
 * The Reports page in Chromium: after loading the demo, a report of the ranker is made from
 * the UI (in a worker), previewed in a sandboxed frame, saved through the browser's download,
 * and the saved file verifies with the CLI; a second report records the first one's hash.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT, runCli, startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';

let serve: ServeProcess;
let browser: Browser;

before(async () => {
  const dbPath = path.join(tempDir(), 'reports-ui.db');
  const demo = await runCli(['demo', '--db', dbPath]);
  assert.equal(demo.code, 0, demo.stderr);
  serve = await startServe(dbPath);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

test('make, preview, save and verify a report from the Reports page', async () => {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1000 }, acceptDownloads: true });
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/reports`);
  await page.getByTestId('reports-page').waitFor();
  await page.getByTestId('reports-model-input').fill('ranker');
  await page.getByTestId('reports-create-button').click();
  const frame = page.frameLocator('[data-testid="reports-preview"]');
  await frame.getByText('Cause 1:').first().waitFor({ timeout: 60_000 });
  assert.match(await frame.locator('h3').filter({ hasText: 'Cause 1:' }).first().innerText(), /storage feature-store\.read/);
  assert.equal(await page.getByTestId('reports-history-row').count(), 1);
  // The demo archive's SHA-256, taken when it was imported, is in the report's sources.
  const demoSha = createHash('sha256')
    .update(fs.readFileSync(path.join(ROOT, 'dist', 'demo', 'ranker-incident.otlp.jsonl.gz')))
    .digest('hex');
  await frame.getByText(demoSha).waitFor();
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'reports-page.png') });

  const download = page.waitForEvent('download');
  await page.getByTestId('reports-save-button').first().click();
  const saved = path.join(tempDir(), (await download).suggestedFilename());
  await (await download).saveAs(saved);
  const v = await runCli(['verify', saved]);
  assert.equal(v.code, 0, v.stdout);

  await page.getByTestId('reports-format-select').selectOption('pdf');
  await page.getByTestId('reports-create-button').click();
  await page.getByTestId('reports-history-row').nth(1).waitFor({ timeout: 60_000 });
  const rows = page.getByTestId('reports-history-row');
  assert.match(await rows.first().innerText(), /PDF/);
  const firstHash = (await rows.nth(1).locator('td').nth(3).getAttribute('title'))!;
  assert.equal(await rows.first().locator('td').nth(4).getAttribute('title'), firstHash, 'the PDF records the HTML report before it');
});
