/**
 * Metric lanes under the waterfall, in Chromium. Two traces of a ranker on host gpu-host-1:
 * one sent with the OpenTelemetry SDK that spends its time in GPU inference (gpu.infer), while
 * a DCGM exporter on the same host reports GPU utilisation before (40), during (97) and after
 * (41) it; and one (OTLP JSON) that spends its time in a feature-store read from S3, while the
 * ranker's storage read latency rose. The ranker also reports GPU temperature, memory and CPU,
 * and so does its other host gpu-host-2, which neither trace touched. The storage histogram
 * carries an exemplar pointing at another trace (the JS SDK records no exemplars, hence JSON).
 *
 * What a reader should see: the series of what the trace waited on, on its own host, shown by
 * default and saying why; gpu-host-2 only in the chooser; the trace in context with its
 * interval marked; y axes with units; a readout under the pointer; exemplars that open their
 * trace; the waterfall's zoom followed; the choice kept in the URL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Locator, Page } from 'playwright-core';
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
let gpuTraceId = '';
const STORAGE_TRACE = '5707a6e5707a6e5707a6e5707a6e5707';
const OTHER_TRACE = 'feedfacefeedfacefeedfacefeedface';
const ns = (ms: number): string => `${BigInt(Math.round(ms)) * 1_000_000n}`;
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });

async function post(base: string, signal: 'traces' | 'metrics', body: object): Promise<void> {
  const res = await fetch(`${base}/v1/${signal}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
}

/** A gauge every 10 s over the six minutes around `at`. */
function gauge(name: string, unit: string, at: number, value: (t: number) => number): object {
  const dataPoints = [];
  for (let t = at - 180_000; t <= at + 180_000; t += 10_000) dataPoints.push({ timeUnixNano: ns(t), asDouble: value(t) });
  return { name, unit, gauge: { dataPoints } };
}

/**
 * Storage read latency, a delta histogram every 10 s: 20 ms as a rule, 900 ms around the storage
 * trace, and 300 ms (1200 / 4) in the interval that ends 30 ms into the GPU trace, with an
 * exemplar of another (slow) trace.
 */
function storageLatency(gpuAt: number, storageAt: number, withExemplar: boolean): object {
  const dataPoints = [];
  for (let k = -18; k <= 18; k++) {
    const t = gpuAt + 30 + k * 10_000;
    const slow = Math.abs(t - storageAt) < 15_000;
    const [count, sum] = k === 0 ? [4, 1200] : [10, slow ? 9000 : 200];
    dataPoints.push({
      startTimeUnixNano: ns(t - 10_000),
      timeUnixNano: ns(t),
      count: String(count),
      sum,
      bucketCounts: [String(count - 1), '1'],
      explicitBounds: [100],
      ...(k === 0 && withExemplar ? { exemplars: [{ timeUnixNano: ns(gpuAt + 25), asDouble: 950, traceId: OTHER_TRACE, spanId: 'aaaaaaaaaaaaaaaa' }] } : {}),
    });
  }
  return { name: 'storage.read.duration', unit: 'ms', histogram: { aggregationTemporality: 1, dataPoints } };
}

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
  gpuTraceId = root.spanContext().traceId;
  await sleep(20);
  gpuUtil = 41;
  await meterProvider.forceFlush(); // 41, after it
  await meterProvider.shutdown();
  await tracerProvider.shutdown();

  // The storage trace, 100 s earlier on the same host: 460 of its 500 ms in an S3 read.
  const storageAt = start - 100_000;
  await post(base, 'traces', {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'ranker'), str('host.name', 'gpu-host-1')] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: STORAGE_TRACE,
                spanId: 'b000000000000001',
                name: 'rank',
                kind: 2,
                startTimeUnixNano: ns(storageAt),
                endTimeUnixNano: ns(storageAt + 500),
              },
              {
                traceId: STORAGE_TRACE,
                spanId: 'b000000000000002',
                parentSpanId: 'b000000000000001',
                name: 'feature-store.read',
                kind: 3,
                startTimeUnixNano: ns(storageAt + 10),
                endTimeUnixNano: ns(storageAt + 470),
                attributes: [str('rpc.service', 'S3'), str('aws.s3.bucket', 'ranker-features')],
              },
              {
                traceId: STORAGE_TRACE,
                spanId: 'b000000000000003',
                parentSpanId: 'b000000000000001',
                name: 'gpu.infer',
                startTimeUnixNano: ns(storageAt + 475),
                endTimeUnixNano: ns(storageAt + 490),
              },
            ],
          },
        ],
      },
    ],
  });
  // The ranker's own series on its host, and on its other host that no trace touched.
  const hostMetrics = (host: string) => ({
    resource: { attributes: [str('service.name', 'ranker'), str('host.name', host)] },
    scopeMetrics: [
      {
        metrics: [
          storageLatency(start, storageAt, host === 'gpu-host-1'),
          gauge('DCGM_FI_DEV_GPU_TEMP', 'Cel', start, (t) => 66 + Math.sin(t / 40_000)),
          gauge('process.memory.usage', 'By', start, (t) => 1.5e9 + 2e8 * Math.sin(t / 60_000)),
          gauge('system.cpu.utilization', '1', start, (t) => 0.4 + 0.05 * Math.sin(t / 30_000)),
        ],
      },
    ],
  });
  await post(base, 'metrics', { resourceMetrics: [hostMetrics('gpu-host-1'), hostMetrics('gpu-host-2')] });
  await post(base, 'traces', {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'ranker')] },
        scopeSpans: [
          { spans: [{ traceId: OTHER_TRACE, spanId: 'aaaaaaaaaaaaaaaa', name: 'slow read', startTimeUnixNano: ns(start), endTimeUnixNano: ns(start + 950) }] },
        ],
      },
    ],
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

const lane = (name: string, host = 'gpu-host-1'): Locator => page.locator(`[data-testid="metric-lane-row"][data-lane="${name}"][data-host="${host}"]`);

async function shownLanes(): Promise<string[]> {
  await page.getByTestId('metric-lane-row').first().waitFor();
  return page.getByTestId('metric-lane-row').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-lane')}@${e.getAttribute('data-host')}`));
}

/** x (percent of the plot) of each vertical move in a lane's path. */
async function stepsX(l: Locator): Promise<number[]> {
  const d = (await l.locator('path.lane-line').getAttribute('d'))!;
  return [...d.matchAll(/H([\d.]+) V/g)].map((m) => Number(m[1]));
}

test('a trace that waited on GPU inference shows its host’s GPU series first, in context, with axes, units and a readout', async () => {
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${gpuTraceId}`);
  await page.getByTestId('metric-lanes-panel').waitFor();
  const shown = await shownLanes();
  assert.ok(shown.length <= 4, shown.join(', '));
  assert.deepEqual(shown.slice(0, 2).sort(), ['DCGM_FI_DEV_GPU_TEMP@gpu-host-1', 'DCGM_FI_DEV_GPU_UTIL@gpu-host-1'], shown.join(', '));
  assert.ok(!shown.some((s) => s.endsWith('@gpu-host-2')), 'a host the trace did not touch is not shown by default');
  const gpu = lane('DCGM_FI_DEV_GPU_UTIL');
  assert.match((await gpu.getByTestId('metric-lane-why').textContent())!, /host gpu-host-1 of the slow span gpu\.infer/);
  assert.match((await gpu.getByTestId('metric-lane-value').textContent())!, /^40\.0 %$/, 'the value when the trace started');

  // Context: the trace is a marked band inside a minute or more of time, and the gauge's rise to 97 is inside it.
  const band = gpu.getByTestId('metric-lane-trace-band');
  const bandLeft = await band.evaluate((e) => parseFloat((e as HTMLElement).style.left));
  assert.ok(bandLeft > 30 && bandLeft < 70, `the band sits mid-lane: ${bandLeft}%`);
  assert.match((await page.getByTestId('metric-lanes-trace-label').textContent())!, /^trace \d+ ms$/);
  assert.ok((await page.getByTestId('metric-lanes-time-tick').count()) >= 2, 'the lanes have a time axis');
  const steps = await stepsX(gpu);
  assert.ok(
    steps.some((x) => Math.abs(x - bandLeft) < 1),
    `the gauge steps inside the trace's band (${bandLeft}%): ${steps.join(', ')}`,
  );

  // Every lane has a y axis of 2–3 ticks in its unit.
  for (const row of await page.getByTestId('metric-lane-row').all()) assert.ok([2, 3].includes(await row.getByTestId('metric-lane-y-tick').count()));
  for (const t of await gpu.getByTestId('metric-lane-y-tick').allTextContents()) assert.match(t, /^\d+ %$/);
  for (const t of await lane('DCGM_FI_DEV_GPU_TEMP').getByTestId('metric-lane-y-tick').allTextContents()) assert.match(t, /^[\d.]+ °C$/);
  const storage = lane('storage.read.duration');
  await page.getByTestId('metric-lanes-choose-button').click();
  if (!(await storage.count()))
    await page.locator('[data-testid="metric-lanes-choice-checkbox"][data-lane="storage.read.duration"][data-host="gpu-host-1"]').check();
  await page.getByTestId('metric-lanes-choose-button').click();
  assert.match((await storage.getByTestId('metric-lane-value').textContent())!, /^300 ms$/, 'a histogram lane shows its interval mean (1200 / 4)');
  for (const t of await storage.getByTestId('metric-lane-y-tick').allTextContents()) assert.match(t, /^[\d,.]+ m?s$/);

  // Hovering reads the time and the value with its unit, in every lane at once.
  const plot = gpu.getByTestId('metric-lane-plot');
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + (box.width * bandLeft) / 100 + 1, box.y + box.height / 2);
  assert.match((await gpu.getByTestId('metric-lane-readout').textContent())!, /^\d\d:\d\d:\d\d\.\d{3} · (40|97|41)\.0 %$/);
  assert.match(
    (await storage.getByTestId('metric-lane-readout').textContent())!,
    /^\d\d:\d\d:\d\d\.\d{3} · [\d.]+ ms \(mean, \d\d:\d\d:\d\d–\d\d:\d\d:\d\d\)$/,
  );
  assert.match((await page.getByTestId('metric-lanes-hover-label').textContent())!, /into the trace|before the trace|after the trace/);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'metric-lanes.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'metric-lanes-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.mouse.move(0, 0);

  await storage.getByTestId('metric-lane-exemplar').click();
  await page.waitForURL((u) => u.pathname === `/trace/${OTHER_TRACE}`);
  await page.getByTestId('trace-page-title').filter({ hasText: 'slow read' }).waitFor();
});

test('a trace that waited on a storage read shows its host’s storage series first; the other host is in the chooser', async () => {
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${STORAGE_TRACE}`);
  const shown = await shownLanes();
  assert.equal(shown[0], 'storage.read.duration@gpu-host-1', shown.join(', '));
  assert.ok(!shown.some((s) => s.endsWith('@gpu-host-2')), shown.join(', '));
  assert.match(
    (await lane('storage.read.duration').getByTestId('metric-lane-why').textContent())!,
    /host gpu-host-1 of the slow span feature-store\.read \(storage, 460 ms\); rose around the trace/,
  );
  for (const t of await lane('process.memory.usage').getByTestId('metric-lane-y-tick').allTextContents()) assert.match(t, /^[\d.]+ GB$/, 'bytes read as GB');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'metric-lanes-storage.png') });

  // The chooser: grouped by host, the trace's host first, filtered by a word.
  await page.getByTestId('metric-lanes-choose-button').click();
  const groups = await page.getByTestId('metric-lanes-choice-group').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  assert.deepEqual(groups, ['gpu-host-1', 'gpu-host-2']);
  await page.getByTestId('metric-lanes-filter-input').fill('host-2 storage');
  const offered = await page
    .getByTestId('metric-lanes-choice-checkbox')
    .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-lane')}@${e.getAttribute('data-host')}`));
  assert.deepEqual(offered, ['storage.read.duration@gpu-host-2']);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'metric-lanes-chooser.png') });
  await page.getByTestId('metric-lanes-choice-checkbox').check();
  await lane('storage.read.duration', 'gpu-host-2').waitFor();
  assert.match(page.url(), /lanes=/);
  assert.match((await lane('storage.read.duration', 'gpu-host-2').getByTestId('metric-lane-why').textContent())!, /another host of ranker/);
  await page.getByTestId('metric-lanes-suggested-button').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="metric-lane-row"][data-host="gpu-host-2"]'));
  assert.doesNotMatch(page.url(), /lanes=/);
});

test('the lanes follow the waterfall’s zoom, and can show the trace alone', async () => {
  // The last 5 ms of the trace: after the gauge rose to 97, so the lane starts there.
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${gpuTraceId}`);
  const durationMs = Number(/([\d.]+) ms/.exec((await page.getByTestId('waterfall-ruler-tick').last().textContent())!)![1]);
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${gpuTraceId}?zoom=${durationMs - 5}-${durationMs}`);
  const gpu = lane('DCGM_FI_DEV_GPU_UTIL');
  await gpu.waitFor();
  assert.match((await gpu.getByTestId('metric-lane-value').textContent())!, /^97\.0 %$/, 'the value at the zoom window’s start');
  assert.deepEqual(await stepsX(gpu), [], 'no step inside the window: the rise was before it');
  assert.equal(await page.getByTestId('metric-lane-trace-band').count(), 0, 'inside the trace, no band to mark');
  assert.equal(await page.getByTestId('metric-lanes-range-trace-button').getAttribute('aria-pressed'), 'true');
  const rulerTicks = await page.getByTestId('waterfall-ruler-tick').allTextContents();
  assert.deepEqual(await page.getByTestId('metric-lanes-time-tick').allTextContents(), rulerTicks, 'the lanes’ axis is the waterfall’s');

  // Unzoomed, "Trace only" puts the lanes on the waterfall's axis too.
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${gpuTraceId}`);
  await page.getByTestId('metric-lanes-range-trace-button').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="metric-lane-trace-band"]').length === 0);
  assert.match(page.url(), /lanesRange=trace/);
  const steps = await stepsX(gpu);
  assert.ok(
    steps.some((x) => x > 0 && x < 100),
    `the rise inside the trace: ${steps.join(', ')}`,
  );
});

test('lanes can be chosen, and the choice stays in the URL', async () => {
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/trace/${gpuTraceId}`);
  const before = await shownLanes();
  await page.getByTestId('metric-lanes-choose-button').click();
  await page.locator('[data-testid="metric-lanes-choice-checkbox"][data-lane="DCGM_FI_DEV_GPU_UTIL"]').uncheck();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="metric-lane-row"]').length === n, before.length - 1);
  assert.match(page.url(), /lanes=/);
  await page.reload();
  await page.getByTestId('metric-lanes-panel').waitFor();
  assert.deepEqual(
    await shownLanes(),
    before.filter((l) => l !== 'DCGM_FI_DEV_GPU_UTIL@gpu-host-1'),
  );
});
