/**
 * End to end in Chromium: a first-time user sees how to send data; spans sent with the
 * OpenTelemetry SDK appear in the live trace list without a reload; a click opens the
 * waterfall at /trace/<id>, and a click on a span shows its attributes. Screenshots are kept
 * in test-results/screenshots.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

before(async () => {
  serve = await startServe(path.join(tempDir(), 'e2e.db'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

async function sendTrace(): Promise<string> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'ranker', 'host.name': 'gpu-node-3' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces` }))],
  });
  const tracer = provider.getTracer('inference');
  const root = tracer.startSpan('POST /rank', { kind: SpanKind.SERVER, attributes: { 'ml.model.version': 'v3' } });
  const ctx = trace.setSpan(context.active(), root);
  const read = tracer.startSpan(
    's3 GetObject features',
    { kind: SpanKind.CLIENT, attributes: { 'aws.s3.bucket': 'feature-store', storage_latency_ms: 1890 } },
    ctx,
  );
  read.addEvent('read.timeout');
  read.setStatus({ code: SpanStatusCode.ERROR, message: 'deadline exceeded' });
  read.end();
  tracer.startSpan('gpu.infer', { attributes: { 'gpu.utilization': 0.97 } }, ctx).end();
  root.end();
  await provider.forceFlush();
  await provider.shutdown();
  return root.spanContext().traceId;
}

test('a new user sees how to send data', async () => {
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/`);
  const empty = page.getByTestId('trace-list-empty-state');
  await empty.waitFor();
  assert.match(await empty.innerText(), new RegExp(`OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:${serve.ports.otlpHttp}`));
  assert.match(await page.getByTestId('app-mode-label').innerText(), /Browser mode/);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'e2e-1-empty-state.png') });
});

test('spans sent with the SDK appear in the live list, and a click opens the waterfall', async () => {
  const traceId = await sendTrace();
  const row = page.locator(`[data-testid="trace-list-row"][data-trace-id="${traceId}"]`);
  await row.waitFor({ timeout: 10_000 }); // pushed by the live subscription, no reload
  const cells = await row.locator('td').allInnerTexts(); // the first cell is the compare tick box
  assert.equal(cells[1], 'ranker');
  assert.equal(cells[2], 'POST /rank');
  assert.equal(cells[5], '3');
  assert.equal(cells[6], '1');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'e2e-2-trace-list.png') });

  await row.click();
  await page.waitForURL(`**/trace/${traceId}`);
  const rows = page.getByTestId('waterfall-span-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 3);
  const labels = await rows.allInnerTexts();
  assert.match(labels[0]!, /POST \/rank/);
  assert.equal(labels.filter((l) => /s3 GetObject features/.test(l)).length, 1);
  assert.match(await page.getByTestId('trace-page-title').innerText(), /ranker: POST \/rank/);

  await page.locator('[data-testid="waterfall-span-row"]', { hasText: 's3 GetObject features' }).click();
  const detail = page.getByTestId('span-detail-panel');
  await detail.waitFor();
  const text = await detail.innerText();
  assert.match(text, /deadline exceeded/);
  assert.match(text, /aws\.s3\.bucket\s+feature-store/);
  assert.match(text, /read\.timeout/);
  assert.match(await page.getByTestId('span-detail-resource-table').innerText(), /host\.name\s+gpu-node-3/);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'e2e-3-waterfall.png') });
});

test('a deep link to /trace/<id> opens directly, and an unknown trace says so', async () => {
  const traceId = await sendTrace();
  const fresh = await browser.newPage();
  await fresh.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${traceId}`);
  await fresh.getByTestId('waterfall-span-row').first().waitFor();
  assert.equal(await fresh.getByTestId('waterfall-span-row').count(), 3);
  await fresh.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${'f'.repeat(32)}`);
  await fresh.getByTestId('trace-page-missing').waitFor();
  await fresh.close();
  assert.deepEqual(consoleErrors, [], 'no errors in the page console');
});
