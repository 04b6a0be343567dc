/**
 * A 20,201-span trace in Chromium: the waterfall keeps only the visible rows (plus a buffer)
 * in the DOM, scrolls to the last span, collapses and expands, moves by keyboard, searches
 * and filters, and marks the critical path.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';

const TRACE = 'b16b16b16b16b16b16b16b16b16b16b1';
const BATCHES = 200;
const ITEMS = 100;
let serve: ServeProcess;
let browser: Browser;

/** root → 200 batches (sequential, 10 ms each) → 100 items each. The last batch ends last. */
function bigTrace(): string {
  const t0 = BigInt(Date.now() - 60_000) * 1_000_000n;
  const ms = 1_000_000n;
  const id = (n: number): string => n.toString(16).padStart(16, '0');
  const spans: object[] = [
    { traceId: TRACE, spanId: id(1), name: 'ingest-run', startTimeUnixNano: String(t0), endTimeUnixNano: String(t0 + BigInt(BATCHES) * 10n * ms + ms) },
  ];
  let next = 2;
  for (let b = 0; b < BATCHES; b++) {
    const bid = next++;
    const bs = t0 + BigInt(b) * 10n * ms;
    spans.push({
      traceId: TRACE,
      spanId: id(bid),
      parentSpanId: id(1),
      name: `batch-${b}`,
      startTimeUnixNano: String(bs),
      endTimeUnixNano: String(bs + 10n * ms),
    });
    for (let i = 0; i < ITEMS; i++) {
      spans.push({
        traceId: TRACE,
        spanId: id(next++),
        parentSpanId: id(bid),
        name: `item-${i}`,
        startTimeUnixNano: String(bs + BigInt(i) * 50_000n),
        endTimeUnixNano: String(bs + BigInt(i) * 50_000n + 40_000n),
        attributes: [{ key: 'batch', value: { intValue: b } }],
      });
    }
  }
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'loader' } }] }, scopeSpans: [{ scope: { name: 't' }, spans }] }],
  });
}

before(async () => {
  serve = await startServe(path.join(tempDir(), 'big.db'));
  const r = await fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: bigTrace(),
  });
  assert.equal(r.status, 200);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

test('a 20,201-span trace: virtualized rows, scrolling, collapse, keyboard, search and critical path', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${TRACE}`);
  const rows = page.getByTestId('waterfall-span-row');
  await rows.first().waitFor({ timeout: 30_000 });
  const total = BATCHES * (ITEMS + 1) + 1;
  assert.ok((await rows.count()) < 120, `only the visible rows are in the DOM (${await rows.count()})`);
  await page.getByText(`${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows`).waitFor();
  assert.equal(
    await page.locator('[data-testid="waterfall-span-row"][data-critical="true"]').first().getAttribute('data-span-id'),
    '0000000000000001',
    'the root is on the critical path',
  );

  // Scroll to the end: the last item of the last batch is rendered.
  await page.getByTestId('waterfall-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.locator('[data-testid="waterfall-span-row"]', { hasText: 'item-99' }).last().waitFor();
  const lastId = total.toString(16).padStart(16, '0');
  await page.locator(`[data-span-id="${lastId}"]`).waitFor();
  assert.ok((await rows.count()) < 120);
  const lastBatch = (total - ITEMS).toString(16).padStart(16, '0');
  await page.getByTestId('waterfall-scroll').evaluate((el, top) => (el.scrollTop = top), (total - ITEMS - 1) * 26 - 100);
  await page.locator(`[data-span-id="${lastBatch}"]`).waitFor();
  assert.equal(await page.locator(`[data-span-id="${lastBatch}"]`).getAttribute('data-critical'), 'true', 'the batch the root waited for');

  // Counted once React has committed the click (a microtask) but before the next frame brings
  // the browser's scroll event: the list must not draw nothing while scrolled past the one row.
  const rowsRightAfter = await page.evaluate(async () => {
    document.querySelector<HTMLElement>('[data-testid="waterfall-collapse-all"]')!.click();
    for (let i = 0; i < 5; i++) await Promise.resolve();
    return document.querySelectorAll('[data-testid="waterfall-span-row"]').length;
  });
  assert.equal(rowsRightAfter, 1, 'collapsed to the root, drawn at once');
  assert.equal(await rows.count(), 1, 'collapsed to the root');
  await page.getByTestId('waterfall-expand-all').click();
  await page.getByTestId('waterfall-scroll').evaluate((el) => (el.scrollTop = 0));

  // Keyboard: j selects the root, Enter collapses it, Enter opens it again, j moves on.
  await page.getByTestId('waterfall-scroll').focus();
  await page.keyboard.press('j');
  await page.getByTestId('span-detail-panel').waitFor();
  await page.keyboard.press('Enter');
  assert.equal(await rows.count(), 1);
  await page.keyboard.press('Enter');
  await page.keyboard.press('j');
  assert.equal(await page.locator('.waterfall-row.selected').getAttribute('data-span-id'), '0000000000000002');

  // / searches (attributes too); the filter keeps matches and their ancestors.
  await page.keyboard.press('/');
  await page.keyboard.type('batch=7');
  // batch=7 matches the items of batch 7 and of batches 70–79 (their attribute text starts with 7).
  // A trace this big is held as outlines: the attribute matches come from the core.
  await page
    .getByTestId('waterfall-search-count')
    .filter({ hasText: `${11 * ITEMS} of ${total} spans` })
    .waitFor();
  await page.getByTestId('waterfall-filter-toggle').check();
  await page.getByText(`${(1 + 11 + 11 * ITEMS).toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows`).waitFor();
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'waterfall-20k-search.png') });
  await page.getByTestId('waterfall-search-input').press('Escape');
  await page.getByText(`${total.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows`).waitFor();

  // Statistics per operation, as a tab kept in the URL.
  await page.getByTestId('trace-page-stats-tab').click();
  await page.waitForURL(/view=stats/);
  assert.equal(await page.getByTestId('trace-stats-row').count(), 1 + BATCHES + ITEMS, 'root, each batch name, each item name');
  assert.match(await page.getByTestId('trace-stats-row').filter({ hasText: 'item-0' }).first().innerText(), /item-0\s+200\s/);
});

test('brushing the minimap zooms the waterfall and its ruler; the zoom is in the URL; double click shows all', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${TRACE}`);
  await page.getByTestId('waterfall-span-row').first().waitFor({ timeout: 30_000 });
  await page.getByTestId('waterfall-collapse-all').click(); // also collapses batches whose spans are still loading
  await page.getByTestId('waterfall-row-toggle').first().click(); // the root open: it and its 200 batches
  await page.getByTestId('trace-page-loading-label').waitFor({ state: 'detached', timeout: 30_000 });
  await page.getByText('201 of 20,201 rows').waitFor();
  const minimap = page.getByTestId('waterfall-minimap-canvas');
  const box = (await minimap.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.waitForURL(/zoom=/);
  const [from, to] = /zoom=([\d.]+)-([\d.]+)/.exec(page.url())!.slice(1).map(Number) as [number, number];
  assert.ok(Math.abs(from - 1000) < 15 && Math.abs(to - 1200) < 15, `zoomed to ${from}–${to} ms of 2001`);
  assert.match((await page.getByTestId('waterfall-ruler-tick').first().textContent())!, /^(99\d|1\.0\d) (ms|s)$/);
  const bar = (name: string) =>
    page
      .getByTestId('waterfall-span-row')
      .filter({ has: page.locator('.span-name', { hasText: new RegExp(`^${name}$`) }) })
      .locator('.span-bar');
  await page
    .getByTestId('waterfall-span-row')
    .filter({ has: page.locator('.span-name', { hasText: /^batch-0$/ }) })
    .waitFor();
  assert.equal(await bar('batch-0').count(), 0, 'a batch outside the window has no bar');
  await page.getByTestId('waterfall-scroll').evaluate((el) => (el.scrollTop = 95 * 26));
  const left = await bar('batch-105').evaluate((el) => parseFloat((el as HTMLElement).style.left));
  const expected = ((1050 - from) / (to - from)) * 100;
  assert.ok(Math.abs(left - expected) < 0.5, `batch-105 starts at ${left}% of the window, expected ${expected}%`);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'waterfall-zoomed.png') });

  await page.reload();
  await page.getByTestId('waterfall-zoom-reset-button').waitFor({ timeout: 30_000 });
  assert.match(page.url(), /zoom=/, 'the zoom survives a reload');
  await minimap.dblclick();
  await page.waitForURL((u) => !u.search.includes('zoom='));
  assert.equal(await page.getByTestId('waterfall-ruler-tick').first().textContent(), '0 µs');
  assert.equal(await page.getByTestId('waterfall-zoom-reset-button').count(), 0);
});

test('a huge trace arrives in pages; a span’s detail brings its attributes from the core', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const pages: number[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/getTraceSpans')) pages.push((JSON.parse(r.postData() ?? '{}') as { limit: number }).limit);
  });
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${TRACE}`);
  await page.getByTestId('waterfall-span-row').first().waitFor({ timeout: 30_000 });
  await page.getByTestId('trace-page-loading-label').waitFor({ state: 'detached', timeout: 30_000 });
  assert.deepEqual(pages, [5000, 25_000], 'a first page to paint, then the rest');
  await page.locator('[data-testid="waterfall-span-row"]', { hasText: 'item-3' }).first().click();
  await page.getByTestId('span-detail-attributes-table').filter({ hasText: 'batch' }).waitFor();
  assert.match((await page.getByTestId('span-detail-attributes-table').textContent())!, /batch0/, 'item-3 of batch 0');
  assert.equal(await page.getByTestId('span-detail-loading-label').count(), 0);
});
