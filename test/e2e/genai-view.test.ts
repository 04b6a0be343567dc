/**
 * The GenAI view (issue #17) end to end in Chromium: on an empty store it says which telemetry
 * it reads; after a RAG service made with the OpenTelemetry SDK sends two hours with a throttled
 * GPU (test/scenarios/genai-traffic.ts) it shows the chat and embedding models, the hour of cut
 * answers in the truncated-share chart (hover readout and text alternative), the drift finding,
 * and an exemplar that opens a trace whose chat span shows its tokens and evaluations. A range
 * without calls says where they are. Screenshots in both themes at 1280 and 1920; axe passes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { axeViolations, launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';
import { generateGenAiScenario, type GenAiScenarioTruth } from '../scenarios/genai-traffic.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let base: string;
let truth: GenAiScenarioTruth;

/** The chart's plot in its 960-unit box (chart-geometry: LABEL_WIDTH 150, PLOT_RIGHT 948). */
const PLOT = { left: 150, right: 948, width: 960 };

before(async () => {
  serve = await startServe(path.join(tempDir('sightline-genai-view-'), 'genai.db'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  base = `http://127.0.0.1:${serve.ports.ui}`;
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

test('an empty store: the GenAI page says which telemetry it reads', async () => {
  await page.goto(`${base}/genai?dataset=all`);
  const empty = page.getByTestId('genai-empty-state');
  await empty.waitFor();
  const text = await empty.innerText();
  assert.match(text, /gen_ai\.operation\.name/);
  assert.match(text, /llm\.\*/);
  assert.match(text, /gen_ai\.evaluation\.result/);
  assert.equal(await page.title(), 'GenAI · Sightline');
});

test('a throttled GPU: groups, the cut answers over time, the finding and an exemplar trace', async () => {
  const otlp = `http://127.0.0.1:${serve.ports.otlpHttp}`;
  truth = await generateGenAiScenario(
    { scenario: 'llm-gpu-throttle', requests: 1200, seed: 11 },
    {
      spans: new OTLPTraceExporter({ url: `${otlp}/v1/traces` }),
      metrics: new OTLPMetricExporter({ url: `${otlp}/v1/metrics` }),
      logs: new OTLPLogExporter({ url: `${otlp}/v1/logs` }),
    },
  );
  await page.goto(`${base}/genai?dataset=all`);
  await page.getByTestId('genai-group-item').nth(1).waitFor({ timeout: 30_000 });
  const groups = await page.getByTestId('genai-group-item').allInnerTexts();
  assert.equal(groups.length, 2, groups.join(' | '));
  assert.ok(
    groups.some((g) => g.includes(truth.model) && /chat/.test(g) && /1,200 calls/.test(g)),
    groups.join(' | '),
  );
  assert.ok(
    groups.some((g) => g.includes(truth.embedder) && /embeddings/.test(g)),
    groups.join(' | '),
  );
  // The chat model is chosen first (it answers); choosing it puts it in the URL.
  assert.match(await page.getByTestId('genai-title').innerText(), new RegExp(`${truth.model}\\s+chat`));
  await page.getByTestId('genai-group-item').filter({ hasText: truth.model }).filter({ hasText: 'chat' }).click();
  await page.waitForURL(/\/genai\?.*model=.*op=chat/);
  assert.match(await page.getByTestId('genai-stat-calls').innerText(), /1,200/);
  assert.match(await page.getByTestId('genai-stat-latency').innerText(), /p50 .*s · p95 .*s/);
  assert.match(await page.getByTestId('genai-stat-ttft').innerText(), /p50 .* · p95 /);
  assert.match(await page.getByTestId('genai-stat-speed').innerText(), /tok\/s/);
  assert.match(await page.getByTestId('genai-stat-tokens').innerText(), /per call/);
  assert.match(await page.getByTestId('genai-stat-finish').innerText(), /truncated \d+(\.\d)?%[\s\S]*stop \d+%, length \d+%/);
  assert.match(await page.getByTestId('genai-stat-eval-groundedness').innerText(), /mean 0\.\d\d[\s\S]*grounded/);
  assert.match(await page.getByTestId('genai-stat-retrieval').innerText(), /5\.0 documents · empty 0%/);

  // The truncated-share chart: its text alternative puts the peak in the incident, and the
  // readout under the pointer reads a high share there and a low one before it.
  const chart = page.getByTestId('genai-truncated-chart');
  await chart.scrollIntoViewIfNeeded();
  const label = (await chart.getAttribute('aria-label'))!;
  assert.match(label, /^Truncated answers \(share of answers\) in [\d.]+-minute buckets, .*: truncated from 0% to \d+%, highest at \d\d:\d\d\.$/);
  const box = (await chart.boundingBox())!;
  const xAt = (ms: number): number =>
    box.x + (box.width * (PLOT.left + ((ms - truth.startMs) / (truth.endMs - truth.startMs)) * (PLOT.right - PLOT.left))) / PLOT.width;
  const share = async (ms: number): Promise<number> => {
    await page.mouse.move(xAt(ms), box.y + box.height / 2);
    const text = (await page.getByTestId('genai-truncated-chart-readout').textContent()) ?? '';
    return Number(/([\d.]+)%$/.exec(text)![1]);
  };
  const incident = truth.incident!;
  // One GPU host of three throttles: about a third of the answers are cut, a few buckets at a time.
  const mean = async (fromMs: number, toMs: number, n: number): Promise<number> => {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += await share(fromMs + ((k + 0.5) / n) * (toMs - fromMs));
    return sum / n;
  };
  const during = await mean(incident.startMs, incident.endMs, 6);
  const beforeIt = await mean(truth.startMs, incident.startMs, 6);
  assert.ok(during > 10 && during > 4 * beforeIt, `truncated ${during}% in the incident, ${beforeIt}% before it`);
  assert.match(await page.getByTestId('genai-readout').innerText(), /\d+ calls .* · truncated \d+/);
  for (const id of ['genai-rate-chart', 'genai-latency-chart', 'genai-ttft-chart', 'genai-speed-chart', 'genai-evaluation-chart', 'genai-documents-chart'])
    assert.equal(await page.getByTestId(id).locator('.chart-crosshair').count(), 1, `${id} shares the crosshair`);
  await page.mouse.move(0, 0);

  // The drift the analysis found for this model, with a way to its causes on Models.
  const finding = page.getByTestId('genai-finding').first();
  await finding.waitFor({ timeout: 60_000 });
  assert.match(await finding.innerText(), /truncated/);
  assert.match((await page.getByTestId('genai-finding-link').first().getAttribute('href'))!, /\/models\?mds=\d+&model=/);

  for (const theme of ['light', 'dark'] as const)
    for (const width of [1280, 1920]) {
      await page.emulateMedia({ colorScheme: theme });
      // The page scrolls inside the app's main area: a tall window shows all of it.
      await page.setViewportSize({ width, height: 2000 });
      await page.evaluate(() => document.querySelector('.app-main')?.scrollTo(0, 0));
      await page.waitForTimeout(100);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `genai-${theme}-${width}.png`), fullPage: true });
    }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 1000 });

  // A cut answer opens as its trace; the chat span shows its tokens and both evaluations
  // (relevance as a span event, groundedness as a log record).
  await page.locator('[data-testid="genai-exemplar-link"][data-kind="truncated"]').first().click();
  await page.waitForURL(/\/trace\/[0-9a-f]{32}/);
  await page
    .locator('[data-testid="waterfall-span-row"]', { hasText: `chat ${truth.model}` })
    .first()
    .click();
  const facts = page.getByTestId('span-detail-genai');
  await facts.waitFor();
  assert.match(await page.getByTestId('span-detail-tokens').innerText(), /[\d,]+ prompt tokens\s*[\d,]+ completion tokens/);
  await page.getByTestId('span-detail-evaluation-row').nth(1).waitFor();
  const evaluations = await page.getByTestId('span-detail-evaluation-row').allInnerTexts();
  assert.ok(
    evaluations.some((e) => /^relevance\s+0\.\d+/.test(e)) && evaluations.some((e) => /^groundedness\s+[\d.]+\s+(grounded|ungrounded)/.test(e)),
    evaluations.join(' | '),
  );
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'genai-exemplar-trace.png') });
});

test('a range without calls says so, and where they are', async () => {
  await page.goto(`${base}/genai?dataset=all&from=1000&to=2000`);
  const none = page.getByTestId('genai-no-match');
  await none.waitFor();
  await page.getByTestId('genai-whole-range-button').waitFor();
  assert.match(await none.innerText(), /1,200 calls|2,400 calls/);
  await page.getByTestId('genai-whole-range-button').click();
  await page.getByTestId('genai-group-item').first().waitFor();
});

test('the GenAI page passes axe (WCAG 2 A and AA) in both themes', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, bypassCSP: true });
  const p = await ctx.newPage();
  const problems: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await p.emulateMedia({ colorScheme: theme });
    await p.goto(`${base}/genai?dataset=all`);
    await p.getByTestId('genai-finding').first().waitFor({ timeout: 60_000 });
    assert.equal(await p.locator('h1').count(), 1);
    const violations = await axeViolations(p);
    for (const v of violations) problems.push(`${theme} ${v}`);
  }
  await ctx.close();
  assert.deepEqual(problems, []);
});
