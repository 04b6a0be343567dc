/**
 * Light and dark themes in Chromium: the system's scheme by default, then light or dark chosen
 * with the header's switch, kept across reloads, on a real waterfall. Screenshots of both.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';

const TRACE = '5eed5eed5eed5eed5eed5eed5eed5eed';
const LIGHT_BG = 'rgb(255, 255, 255)';
const DARK_BG = 'rgb(21, 24, 30)';
let serve: ServeProcess;
let browser: Browser;

before(async () => {
  serve = await startServe(path.join(tempDir(), 'theme.db'));
  const r = await fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: syntheticTraceRequest(TRACE, 12, { service: 'ranker', startTimeUnixNano: BigInt(Date.now() - 60_000) * 1_000_000n }),
  });
  assert.equal(r.status, 200);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

const background = (page: Page): Promise<string> => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test('the theme follows the system, and the switch picks light or dark for good', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 700 }, colorScheme: 'dark' });
  const page = await ctx.newPage();
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${TRACE}`);
  await page.getByTestId('waterfall-span-row').first().waitFor();
  assert.equal(await page.getByTestId('app-theme-button').textContent(), 'Theme: system');
  assert.equal(await background(page), DARK_BG, 'a dark system gets the dark theme');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'theme-dark.png') });

  await page.getByTestId('app-theme-button').click();
  assert.equal(await page.getByTestId('app-theme-button').textContent(), 'Theme: light');
  assert.equal(await background(page), LIGHT_BG, 'light, although the system is dark');
  await page.reload();
  await page.getByTestId('waterfall-span-row').first().waitFor();
  assert.equal(await background(page), LIGHT_BG, 'the choice is kept');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'theme-light.png') });

  await page.getByTestId('app-theme-button').click();
  assert.equal(await background(page), DARK_BG);
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal(await background(page), DARK_BG, 'dark, although the system is now light');
  await page.getByTestId('app-theme-button').click();
  assert.equal(await page.getByTestId('app-theme-button').textContent(), 'Theme: system');
  assert.equal(await background(page), LIGHT_BG, 'back to the (now light) system');
  await ctx.close();
});
