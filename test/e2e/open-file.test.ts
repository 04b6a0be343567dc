/**
 * End to end: opening archives from the UI. "Open file…" uploads a JSON Lines archive; a
 * gzip'd Zipkin file is dropped on the window. Each shows progress, lands in a dataset of its
 * own, and opens there; a broken file says why it failed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
const dir = tempDir('sightline-open-');

before(async () => {
  serve = await startServe(path.join(dir, 'open.db'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/`);
  await page.getByTestId('trace-list-empty-state').waitFor();
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

test('Open file… imports an archive into its own dataset and shows it', async () => {
  const file = path.join(dir, 'checkout-incident.jsonl');
  fs.writeFileSync(
    file,
    Array.from({ length: 30 }, (_, i) => syntheticTraceRequest(i.toString(16).padStart(32, 'c'), 8, { service: 'checkout' })).join('\n') + '\n',
  );
  await page.getByTestId('app-open-input').setInputFiles(file);
  await page.waitForURL(/\?dataset=2$/, { timeout: 20_000 });
  const item = page.locator('[data-testid="import-item"][data-state="done"]');
  await item.waitFor();
  assert.match(await item.innerText(), /Imported checkout-incident\.jsonl → checkout-incident\.jsonl[\s\S]*240 spans/);
  await page.getByTestId('trace-list-row').first().waitFor();
  assert.equal(await page.getByTestId('trace-list-row').count(), 30);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'e2e-5-open-file.png') });
});

test('a file dropped on the window is imported; a broken one says why', async () => {
  const zipkin = [
    {
      traceId: 'abcabcabcabcabca',
      id: '0000000000000001',
      name: 'dropped',
      timestamp: 1_700_000_000_000_000,
      duration: 1000,
      localEndpoint: { serviceName: 'dropper' },
    },
  ];
  const drop = async (name: string, bytes: Buffer): Promise<void> => {
    const dataTransfer = await page.evaluateHandle(
      ([n, b64]) => {
        const dt = new DataTransfer();
        const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([raw], n));
        return dt;
      },
      [name, bytes.toString('base64')] as const,
    );
    await page.dispatchEvent('.app', 'dragover', { dataTransfer });
    await page.getByTestId('app-drop-overlay').waitFor();
    await page.dispatchEvent('.app', 'drop', { dataTransfer });
  };
  await drop('spans.json.gz', zlib.gzipSync(JSON.stringify(zipkin)));
  await page.locator('[data-testid="trace-list-row"]', { hasText: 'dropped' }).waitFor({ timeout: 20_000 });
  assert.match(page.url(), /\?dataset=3$/);

  await drop('broken.json', Buffer.from('{"resourceSpans": [ this is not json'));
  const failed = page.locator('[data-testid="import-item"][data-state="failed"]');
  await failed.waitFor({ timeout: 20_000 });
  assert.match(await failed.innerText(), /Failed broken\.json[\s\S]*invalid JSON/);
  const options = await page.getByTestId('context-dataset-select').locator('option').allInnerTexts();
  assert.ok(
    options.some((o) => o.startsWith('spans.json.gz')),
    `the dropped archive is listed: ${options.join(', ')}`,
  );
  assert.ok(!options.some((o) => o.startsWith('broken.json')), 'no empty dataset left behind');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'e2e-6-import-failed.png') });
});
