/**
 * Metric lanes under the waterfall, in Chromium. A ranker trace and a DCGM GPU gauge of the
 * same host are sent with the OpenTelemetry SDK; the gauge is read before (40), during (97) and
 * after (41) the trace, so its lane starts at 40 and rises to 97 inside the trace. A storage
 * latency histogram of the ranker carries an exemplar pointing at another trace (sent as OTLP
 * JSON: the JS SDK does not record exemplars); clicking it opens that trace. The choice of
 * lanes is adjustable and kept in the URL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let traceId = '';
const OTHER_TRACE = 'feedfacefeedfacefeedfacefeedface';

before(async () => {
  serve = await startServe(path.join(tempDir(), 'lanes.db'));
  const base = `http://127.0.0.1:${serve.ports.otlpHttp}`;
  const tracerProvider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'ranker', 'host.name': 'gpu-host-1' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces` }))],
  });
  const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics` }), exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'dcgm-exporter', 'host.name': 'gpu-host-1' }),
    readers: [reader],
  });
  let gpuUtil = 40;
  meterProvider
    .getMeter('dcgm')
    .createObservableGauge('DCGM_FI_DEV_GPU_UTIL', { unit: '%' })
    .addCallback((r) => r.observe(gpuUtil, { gpu: '0' }));
  await meterProvider.forceFlush(); // 40, before the trace
  await sleep(20);
  const tracer = tracerProvider.getTracer('e2e');
  const start = Date.now();
  const root = tracer.startSpan('rank', { startTime: start });
  const infer = tracer.startSpan('gpu.infer', { startTime: start + 1 }, trace.setSpan(ROOT_CONTEXT, root));
  await sleep(60);
  gpuUtil = 97;
  await meterProvider.forceFlush(); // 97, during the trace
  await sleep(60);
  const end = Date.now();
  infer.end(end - 1);
  root.end(end);
  traceId = root.spanContext().traceId;
  await sleep(20);
  gpuUtil = 41;
  await meterProvider.forceFlush(); // 41, after it
  await meterProvider.shutdown();
  await tracerProvider.shutdown();

  // A storage latency histogram of the ranker's host with an exemplar of another (slow) trace.
  const ns = (ms: number): string => `${BigInt(ms) * 1_000_000n}`;
  const res = await fetch(`${base}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceMetrics: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'ranker' } },
              { key: 'host.name', value: { stringValue: 'gpu-host-1' } },
            ],
          },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'storage.read.duration',
                  unit: 'ms',
                  histogram: {
                    aggregationTemporality: 1,
                    dataPoints: [
                      {
                        startTimeUnixNano: ns(start - 60_000),
                        timeUnixNano: ns(start + 30),
                        count: '4',
                        sum: 1200,
                        bucketCounts: ['1', '3'],
                        explicitBounds: [100],
                        exemplars: [{ timeUnixNano: ns(start + 25), asDouble: 950, traceId: OTHER_TRACE, spanId: 'aaaaaaaaaaaaaaaa' }],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    }),
  });
  assert.equal(res.status, 200);
  await fetch(`${base}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'ranker' } }] },
          scopeSpans: [
            {
              spans: [{ traceId: OTHER_TRACE, spanId: 'aaaaaaaaaaaaaaaa', name: 'slow read', startTimeUnixNano: ns(start), endTimeUnixNano: ns(start + 950) }],
            },
          ],
        },
      ],
    }),
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

test('the trace shows its host’s GPU gauge and storage histogram on the waterfall’s time axis', async () => {
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${traceId}`);
  await page.getByTestId('metric-lanes-panel').waitFor();
  const lanes = await page.getByTestId('metric-lane-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-lane')));
  assert.deepEqual(lanes.sort(), ['DCGM_FI_DEV_GPU_UTIL', 'storage.read.duration']);
  const gpu = page.locator('[data-testid="metric-lane-row"][data-lane="DCGM_FI_DEV_GPU_UTIL"]');
  assert.match((await gpu.getByTestId('metric-lane-value').textContent())!, /^40\.0 % · gpu-host-1/, 'the value when the trace started');
  assert.equal(await gpu.locator('.lane-range').textContent(), '97.0', 'it rose to 97 during the trace');
  // The step rises inside the trace: a vertical move strictly between 0% and 100%.
  const d = (await gpu.locator('path.lane-line').getAttribute('d'))!;
  const rise = /H([\d.]+) V/.exec(d);
  assert.ok(rise && Number(rise[1]) > 0 && Number(rise[1]) < 100, d);
  const storage = page.locator('[data-testid="metric-lane-row"][data-lane="storage.read.duration"]');
  assert.match((await storage.getByTestId('metric-lane-value').textContent())!, /^300 ms/, 'a histogram lane shows its interval mean (1200 / 4)');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'metric-lanes.png') });

  await storage.getByTestId('metric-lane-exemplar').click();
  await page.waitForURL((u) => u.pathname === `/trace/${OTHER_TRACE}`);
  await page.getByTestId('trace-page-title').filter({ hasText: 'slow read' }).waitFor();
});

test('the lanes follow the waterfall’s zoom', async () => {
  // The last 5 ms of the trace: after the gauge rose to 97, so the lane starts there.
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${traceId}`);
  const durationMs = Number(/([\d.]+) ms/.exec((await page.getByTestId('waterfall-ruler-tick').last().textContent())!)![1]);
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${traceId}?zoom=${durationMs - 5}-${durationMs}`);
  const gpu = page.locator('[data-testid="metric-lane-row"][data-lane="DCGM_FI_DEV_GPU_UTIL"]');
  await gpu.waitFor();
  assert.match((await gpu.getByTestId('metric-lane-value').textContent())!, /^97\.0 % · gpu-host-1/, 'the value at the zoom window’s start');
  assert.doesNotMatch((await gpu.locator('path.lane-line').getAttribute('d'))!, /H([1-9]\d?(\.\d+)?) V/, 'no step inside the window: the rise was before it');
});

test('lanes can be chosen, and the choice stays in the URL', async () => {
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${traceId}`);
  await page.getByTestId('metric-lanes-choose-button').click();
  await page.locator('[data-testid="metric-lanes-choice-checkbox"][data-lane="DCGM_FI_DEV_GPU_UTIL"]').uncheck();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="metric-lane-row"]').length === 1);
  assert.match(page.url(), /lanes=/);
  await page.reload();
  await page.getByTestId('metric-lanes-panel').waitFor();
  assert.deepEqual(await page.getByTestId('metric-lane-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-lane'))), ['storage.read.duration']);
});
