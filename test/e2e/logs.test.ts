/**
 * Logs beside the spans, in Chromium, on traces and logs sent with the OpenTelemetry SDK: the
 * logs view searches by severity and text; a record opens its span in the waterfall, whose
 * detail lists the span's logs and links back to the trace's logs; a span link opens the
 * linked trace at the linked span; IDs copy to the clipboard.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { context as otelContext, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider, BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';

let serve: ServeProcess;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const traceIds: string[] = [];
const readSpanIds: string[] = [];
let consumerTraceId = '';
const T0 = Date.now() - 10 * 60_000;

before(async () => {
  serve = await startServe(path.join(tempDir(), 'logs.db'));
  const base = `http://127.0.0.1:${serve.ports.otlpHttp}`;
  const resource = resourceFromAttributes({ 'service.name': 'ranker' });
  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces` }))] });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${base}/v1/logs` }) })],
  });
  const tracer = tracerProvider.getTracer('e2e');
  const logger = loggerProvider.getLogger('e2e');
  for (let i = 0; i < 4; i++) {
    const start = T0 + i * 1000;
    const root = tracer.startSpan('rank', { startTime: start });
    const read = tracer.startSpan('feature-store.read', { startTime: start + 1 }, trace.setSpan(ROOT_CONTEXT, root));
    const inRead = trace.setSpan(otelContext.active(), read);
    if (i < 3)
      logger.emit({
        timestamp: start + 2,
        severityNumber: SeverityNumber.WARN,
        severityText: 'WARN',
        body: 'feature read fell back to defaults',
        attributes: { 'feature.count': 12 },
        context: inRead,
      });
    else logger.emit({ timestamp: start + 2, severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'timeout reading features', context: inRead });
    read.end(start + 40);
    logger.emit({
      timestamp: start + 45,
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: 'request served',
      context: trace.setSpan(otelContext.active(), root),
    });
    root.end(start + 50);
    traceIds.push(root.spanContext().traceId);
    readSpanIds.push(read.spanContext().spanId);
  }
  // A consumer span that links to the read of the last request.
  const consumer = tracer.startSpan('consume', {
    startTime: T0 + 10_000,
    links: [{ context: { traceId: traceIds[3]!, spanId: readSpanIds[3]!, traceFlags: 1 }, attributes: { 'link.reason': 'retry of' } }],
  });
  consumer.end(T0 + 10_020);
  consumerTraceId = consumer.spanContext().traceId;
  logger.emit({ timestamp: T0 - 1000, severityNumber: SeverityNumber.DEBUG, severityText: 'DEBUG', body: 'startup complete' });
  await tracerProvider.forceFlush();
  await loggerProvider.forceFlush();
  await tracerProvider.shutdown();
  await loggerProvider.shutdown();
  browser = await launchChromium();
  ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${serve.ports.ui}` });
  page = await ctx.newPage();
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

const ui = (p: string): string => `http://127.0.0.1:${serve.ports.ui}${p}`;

test('the logs view searches by severity and text, newest first', async () => {
  await page.goto(ui('/logs'));
  await page.getByTestId('logs-count-label').filter({ hasText: '9 matching records' }).waitFor();
  const bodies = await page.locator('[data-testid="logs-row"] .log-body').allTextContents();
  assert.equal(bodies[0], 'request served', 'newest first');
  assert.equal(bodies.at(-1), 'startup complete');
  await page.getByTestId('logs-severity-select').selectOption({ label: 'WARN and above' });
  await page.getByTestId('logs-count-label').filter({ hasText: '4 matching records' }).waitFor();
  assert.match(page.url(), /sev=13/);
  await page.getByTestId('logs-search-input').fill('TIMEOUT');
  await page.getByTestId('logs-search-button').click();
  await page.getByTestId('logs-count-label').filter({ hasText: '1 matching record' }).waitFor();
  assert.equal(await page.locator('[data-testid="logs-row"] .severity').textContent(), 'ERROR');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'logs-search.png') });
  await page.goto(ui('/logs?q=feature.count'));
  await page.getByTestId('logs-count-label').filter({ hasText: '3 matching records' }).waitFor();
});

test('a log record opens its span; the span lists its logs and links back to the trace logs', async () => {
  await page.goto(ui('/logs?q=timeout'));
  await page.getByTestId('logs-span-link').click();
  await page.getByTestId('span-detail-panel').waitFor();
  assert.ok(page.url().includes(`/trace/${traceIds[3]}`) && page.url().includes(`span=${readSpanIds[3]}`), page.url());
  assert.equal(await page.getByTestId('span-detail-title').textContent(), 'feature-store.read');
  await page.getByTestId('span-detail-log-item').first().waitFor();
  assert.match((await page.getByTestId('span-detail-logs-list').textContent())!, /ERROR timeout reading features/);
  assert.doesNotMatch((await page.getByTestId('span-detail-logs-list').textContent())!, /request served/, 'only this span’s records');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'span-detail-logs.png') });

  await page.getByTestId('span-detail-copy-span-id-button').click();
  await page.getByTestId('span-detail-copy-span-id-button').filter({ hasText: 'copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), readSpanIds[3]);

  await page.getByTestId('span-detail-trace-logs-link').click();
  await page.getByTestId('logs-trace-chip').waitFor();
  await page.getByTestId('logs-count-label').filter({ hasText: '2 matching records' }).waitFor();
  assert.deepEqual(await page.locator('[data-testid="logs-row"] .log-body').allTextContents(), ['request served', 'timeout reading features']);
});

test('a span link opens the linked trace at the linked span', async () => {
  await page.goto(ui(`/trace/${consumerTraceId}`));
  await page.getByTestId('waterfall-span-row').first().click();
  await page.getByTestId('span-detail-link-anchor').click();
  await page.waitForURL((u) => u.pathname === `/trace/${traceIds[3]}`);
  await page.getByTestId('span-detail-title').filter({ hasText: 'feature-store.read' }).waitFor();
  assert.ok(page.url().includes(`span=${readSpanIds[3]}`));
});
