/**
 * The service graph and trace comparison in Chromium, on traces sent with the OpenTelemetry
 * SDK by three services: frontend → ranker → feature-store. Half of the requests read the
 * feature store (some of those reads fail); one in ten is slow because its read takes 300 ms
 * and is retried (50 ms). The graph shows the services and calls with counts and errors, and an edge
 * opens the traces with that call; "Compare slow with fast" names the slow read as the
 * difference; two ticked traces compare side by side, down to the extra retry span.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
const TRACES = 60;
const T0 = Date.now() - 40 * 60_000;
const isSlow = (i: number): boolean => i % 10 === 0;
const readsStore = (i: number): boolean => i % 2 === 0;
const storeFails = (i: number): boolean => i % 4 === 2;
const slowIds: string[] = [];
const fastIds: string[] = [];

before(async () => {
  serve = await startServe(path.join(tempDir(), 'services.db'));
  const exporter = (): OTLPTraceExporter => new OTLPTraceExporter({ url: `http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces` });
  const providers = ['frontend', 'ranker', 'feature-store'].map(
    (service) =>
      new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        spanProcessors: [new BatchSpanProcessor(exporter(), { maxQueueSize: 10_000 })],
      }),
  );
  const [frontend, ranker, store] = providers.map((p) => p.getTracer('e2e')) as [
    ReturnType<BasicTracerProvider['getTracer']>,
    ReturnType<BasicTracerProvider['getTracer']>,
    ReturnType<BasicTracerProvider['getTracer']>,
  ];
  const under = (parent: Span) => trace.setSpan(ROOT_CONTEXT, parent);
  for (let i = 0; i < TRACES; i++) {
    const start = T0 + i * 30_000;
    const readMs = isSlow(i) ? 300 : 4;
    const root = frontend.startSpan('GET /feed', { kind: SpanKind.SERVER, startTime: start });
    const call = frontend.startSpan('POST ranker/rank', { kind: SpanKind.CLIENT, startTime: start + 1 }, under(root));
    const rank = ranker.startSpan('rank', { kind: SpanKind.SERVER, startTime: start + 2 }, under(call));
    let t = start + 3;
    if (readsStore(i)) {
      const reads = isSlow(i) ? ['feature-store.read', 'feature-store.retry'] : ['feature-store.read'];
      for (const name of reads) {
        const read = store.startSpan(name, { kind: SpanKind.SERVER, startTime: t }, under(rank));
        if (storeFails(i) && name === 'feature-store.read') read.setStatus({ code: SpanStatusCode.ERROR, message: 'timeout' });
        const ms = name === 'feature-store.retry' ? 50 : readMs; // the retry answers quickly
        read.end(t + ms);
        t += ms + 1;
      }
    }
    const score = ranker.startSpan('score', { startTime: t }, under(rank));
    score.end(t + 8);
    rank.end(t + 9);
    call.end(t + 10);
    root.end(t + 11);
    (isSlow(i) ? slowIds : fastIds).push(root.spanContext().traceId);
  }
  for (const p of providers) {
    await p.forceFlush();
    await p.shutdown();
  }
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

test('the service graph shows who calls whom, how often, with errors; an edge opens those traces', async () => {
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/services`);
  await page.getByTestId('services-graph-svg').waitFor();
  assert.deepEqual((await page.getByTestId('services-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-service')))).sort(), [
    'feature-store',
    'frontend',
    'ranker',
  ]);
  assert.match((await page.getByTestId('services-summary-label').textContent())!, /3 services · 2 call paths · from 60 traces/);
  const edges = page.getByTestId('services-edge');
  assert.deepEqual((await edges.evaluateAll((els) => els.map((e) => e.getAttribute('data-edge')))).sort(), ['frontend>ranker', 'ranker>feature-store']);
  // 30 requests read the store, the 6 slow ones twice (read, retry): 36 calls; the reads of i % 4 == 2 fail: 15 of 36.
  const storeEdge = page.locator('[data-edge="ranker>feature-store"]');
  assert.match((await storeEdge.getByTestId('services-edge-label').textContent())!, /^36 calls · 42% err · p95 300/);
  assert.match((await page.locator('[data-edge="frontend>ranker"]').getByTestId('services-edge-label').textContent())!, /^60 calls · 0% err/);
  assert.equal(await storeEdge.evaluate((e) => e.classList.contains('has-errors')), true);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'service-graph.png') });

  await storeEdge.getByTestId('services-edge-label').click(); // the label is part of the edge; a flat path has no height for Playwright
  await page.getByTestId('trace-list-call-chip').waitFor();
  assert.match(page.url(), /call=ranker%3Efeature-store/);
  assert.match((await page.getByTestId('trace-list-call-chip').textContent())!, /ranker calls feature-store/);
  await page.getByTestId('trace-list-count').filter({ hasText: '30 matching traces' }).waitFor();
  assert.equal(await page.getByTestId('trace-list-row').count(), 30, 'the traces whose ranker called the feature store');
  await page.reload();
  await page.getByTestId('trace-list-count').filter({ hasText: '30 matching traces' }).waitFor();
});

test('compare slow with fast names the slow read, its retry, and what it costs per trace', async () => {
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/`);
  await page
    .getByTestId('trace-list-count')
    .filter({ hasText: `${TRACES} matching traces` })
    .waitFor();
  await page.getByTestId('trace-list-compare-slow-button').click();
  await page.getByTestId('compare-headline').waitFor();
  assert.match((await page.getByTestId('compare-title').textContent())!, /Two groups of traces: slow \(≥ [\d.]+ ms\) against fast \(< [\d.]+ ms\)/);
  assert.match((await page.getByTestId('compare-a-summary').textContent())!, /^6 traces/);
  assert.match((await page.getByTestId('compare-b-summary').textContent())!, /^54 traces/);
  const headline = (await page.getByTestId('compare-headline').textContent())!;
  assert.match(headline, /The biggest difference is feature-store: feature-store\.read \(p95 300 ms against 4\.00 ms\)/, headline);
  const first = page.getByTestId('compare-operation-row').first();
  assert.deepEqual((await first.locator('td').allTextContents()).slice(0, 3), ['feature-store', 'feature-store.read', '+298 ms']);
  assert.ok((await page.getByTestId('compare-delta-bar').count()) >= 2, 'the chart shows the read and the retry');
  const paths = await page.getByTestId('compare-path-row').allTextContents();
  assert.ok(
    paths.some((p) => /ranker: rank › feature-store: feature-store\.retry\s*10/.test(p)),
    paths.join('\n'),
  );
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'compare-slow-fast.png'), fullPage: true });
});

test('two ticked traces compare side by side, structure included', async () => {
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/`);
  await page
    .getByTestId('trace-list-count')
    .filter({ hasText: `${TRACES} matching traces` })
    .waitFor();
  const two = page.getByTestId('trace-list-compare-two-button');
  assert.equal(await two.isDisabled(), true);
  await page.locator(`[data-trace-id="${slowIds[1]}"]`).getByTestId('trace-list-compare-checkbox').check();
  await page.locator(`[data-trace-id="${fastIds[0]}"]`).getByTestId('trace-list-compare-checkbox').check();
  assert.equal(page.url().includes('/trace/'), false, 'ticking does not open the trace');
  await two.click();
  await page.getByTestId('compare-headline').waitFor();
  assert.match((await page.getByTestId('compare-title').textContent())!, /^Two traces: first against second/);
  const paths = await page.getByTestId('compare-path-row').allTextContents();
  assert.ok(
    paths.some((p) => /feature-store\.retry\s*10$/.test(p)),
    `the slow trace's retry, absent from the fast one: ${paths.join(' | ')}`,
  );
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'compare-two-traces.png'), fullPage: true });
});
