/**
 * Trace search in Chromium on data sent with the OpenTelemetry SDK: operation, attribute
 * (equals, numeric comparison, exists), duration, errors, free text and time range filters;
 * the sortable table; the scatter of duration over time, whose brush narrows the range; all of
 * it in the URL, so a reload shows the same result.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
const T0 = Date.now() - 50 * 60_000; // traces from 50 to 11 minutes ago

before(async () => {
  serve = await startServe(path.join(tempDir(), 'search.db'));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces` }), { maxQueueSize: 10_000 })],
  });
  const tracer = provider.getTracer('t');
  // 40 traces a minute apart: every 5th is slow (800 ms), every 10th fails, tenants alternate.
  for (let i = 0; i < 40; i++) {
    const start = T0 + i * 60_000;
    const slow = i % 5 === 0;
    const root = tracer.startSpan('POST /checkout', {
      startTime: start,
      attributes: { tenant: i % 2 ? 'acme' : 'globex', 'http.response.status_code': i % 10 === 3 ? 503 : 200 },
    });
    const child = tracer.startSpan(
      i % 4 === 0 ? 'charge-card' : 'reserve-stock',
      { startTime: start + 1, attributes: i % 8 === 0 ? { 'gpu.id': 'gpu-0', note: 'retried after timeout' } : {} },
      trace.setSpan(ROOT_CONTEXT, root),
    );
    if (i % 10 === 3) child.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream 503' });
    child.end(start + (slow ? 790 : 20));
    root.end(start + (slow ? 800 : 30));
  }
  await provider.forceFlush();
  await provider.shutdown();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

async function rowsFor(query: string): Promise<number> {
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/${query}`);
  await page.getByTestId('trace-list-count').waitFor();
  return page.getByTestId('trace-list-row').count();
}

test('each filter finds what it should', async () => {
  assert.equal(await rowsFor(''), 40);
  assert.equal(await rowsFor('?op=charge-card'), 10);
  assert.equal(await rowsFor('?attrs=tenant%3Dacme'), 20);
  assert.equal(await rowsFor('?attrs=http.response.status_code%3E%3D500'), 4);
  assert.equal(await rowsFor('?attrs=gpu.id%3F'), 5);
  assert.equal(await rowsFor('?attrs=tenant%3Dacme%2C%20http.response.status_code%3E%3D500'), 4, 'both filters');
  assert.equal(await rowsFor('?dmin=500'), 8);
  assert.equal(await rowsFor('?dmin=500&dmax=100'), 0);
  assert.equal(await rowsFor('?err=1'), 4);
  assert.equal(await rowsFor('?q=TIMEOUT'), 5, 'free text, case-insensitive, in attribute values');
  assert.equal(await rowsFor(`?from=${T0 + 10 * 60_000 - 1}&to=${T0 + 20 * 60_000 - 1}`), 10);
  assert.equal(await rowsFor('?range=15m'), 4, 'started in the last 15 minutes: 14, 13, 12 and 11 minutes ago');
});

test('the search form, sorting and the heatmap brush, all kept in the URL', async () => {
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/`);
  // The last view's range (15 minutes) is remembered; choose all of the time again.
  await page.getByTestId('context-range-select').selectOption('');
  await page.waitForURL(/dataset=all$/);
  await page.getByTestId('trace-search-attrs').fill('tenant=acme');
  await page.getByTestId('trace-search-min').fill('500');
  await page.getByTestId('trace-search-submit').click();
  await page.waitForURL(/attrs=tenant%3Dacme&dmin=500/);
  await page.getByText('4 matching traces').waitFor();
  assert.equal(await page.getByTestId('trace-list-row').count(), 4, 'slow traces of acme: i = 5, 15, 25, 35');

  await page.getByTestId('trace-search-attrs').fill('latency>fast');
  await page.getByTestId('trace-search-submit').click();
  assert.match(await page.getByTestId('trace-search-error').innerText(), /needs a number/);

  await page.goto(`http://127.0.0.1:${serve.ports.ui}/`);
  await page.getByTestId('trace-list-sort-duration').click();
  await page.waitForURL(/sort=duration/);
  await page.getByText('40 matching traces').waitFor();
  await page.waitForFunction(() => /800/.test(document.querySelector('[data-testid="trace-list-row"]')?.textContent ?? ''));
  assert.match((await page.getByTestId('trace-list-heatmap').getAttribute('aria-label'))!, /Heatmap of 40 traces/);
  const hm = (await page.getByTestId('trace-list-heatmap').boundingBox())!;
  await page.mouse.move(hm.x + hm.width * 0.5, hm.y + hm.height * 0.5);
  assert.match(await page.getByTestId('trace-list-heatmap-readout').innerText(), /\d{2}:\d{2}:\d{2} – .* · .*ms.* · \d+ traces?/, 'hover reads a cell out');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'trace-search.png') });

  const box = (await page.getByTestId('trace-list-heatmap').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 6 });
  await page.mouse.up();
  await page.waitForURL(/from=\d+&to=\d+/);
  // The count shows again once the narrowed answer is in (while it loads, the old rows stay and the count says Loading).
  await page.waitForFunction(
    () =>
      /^\d+ matching traces?$/.test(document.querySelector('[data-testid="trace-list-count"]')?.textContent ?? '') &&
      !/^40 /.test(document.querySelector('[data-testid="trace-list-count"]')!.textContent!),
  );
  const narrowed = await page.getByTestId('trace-list-row').count();
  assert.ok(narrowed > 3 && narrowed < 20, `the brush narrowed the list to ${narrowed}`);
  await page.reload();
  await page.getByTestId('trace-list-count').waitFor();
  assert.equal(await page.getByTestId('trace-list-row').count(), narrowed, 'the same view after a reload');
});

test('what is typed in the search form survives data arriving meanwhile', async () => {
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/`);
  await page.getByTestId('trace-list-stats-label').filter({ hasText: '40 traces' }).waitFor();
  await page.getByTestId('trace-search-text').fill('kept while data arrives');
  // A new trace: the live list, its heatmap and its counts reload under the form.
  const r = await fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: syntheticTraceRequest('f0'.repeat(16), 2, { service: 'checkout', startTimeUnixNano: BigInt(Date.now()) * 1_000_000n }),
  });
  assert.equal(r.status, 200);
  await page.getByTestId('trace-list-stats-label').filter({ hasText: '41 traces' }).waitFor();
  assert.equal(await page.getByTestId('trace-search-text').inputValue(), 'kept while data arrives');
  await page.getByTestId('trace-search-submit').click();
  await page.waitForURL(/q=kept\+while\+data\+arrives/);
});
