/**
 * End to end in Chromium: a first-time user loads the incident demo from the empty state
 * (an archive made by the scenario generator), lands on the Models page, sees the drift and
 * its ranked causes with the counterfactual, opens an exemplar trace, brushes a period for a
 * BubbleUp comparison (kept in the URL), the recommender's GPU incident in dark mode, and the
 * RAG assistant whose answers lost their grounding when its vector store timed out.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let base: string;

before(async () => {
  serve = await startServe(path.join(tempDir(), 'models.db'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1500 } });
  base = `http://127.0.0.1:${serve.ports.ui}`;
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

test('the Models page explains how to send predictions when there are none', async () => {
  await page.goto(`${base}/models`);
  const empty = page.getByTestId('models-empty-state');
  await empty.waitFor();
  assert.match(await empty.innerText(), /ml\.model\.name/);
  assert.ok(await page.getByTestId('models-load-demo-button').isVisible());
});

test('loading the demo from the empty trace list shows the storage incident with its cause', async () => {
  await page.goto(`${base}/`);
  await page.getByTestId('empty-state-demo-button').click();
  await page.waitForURL(/\/models\?dataset=2/, { timeout: 60_000 });
  await page.getByTestId('models-list-item').nth(3).waitFor({ timeout: 60_000 });
  const names = await page.getByTestId('models-list-item').locator('.model-name').allInnerTexts();
  assert.deepEqual(names.sort(), ['bge-small-en', 'llama-3.1-8b-instruct', 'ranker', 'recommender']);
  // By its name: the dataset line of every item says "demo: ranker incident".
  await page
    .getByTestId('models-list-item')
    .filter({ has: page.locator('.model-name', { hasText: /^ranker$/ }) })
    .click();
  await page.waitForURL(/model=ranker/);
  assert.equal(await page.getByTestId('models-title').innerText(), 'ranker');
  assert.equal(await page.getByTestId('models-finding-band').count(), 1, 'one drifted period is marked on the score chart');
  assert.ok((await page.locator('[data-testid="models-drift-heatmap"] rect[data-drifted="true"]').count()) >= 5, 'drifted cells in the heatmap');
  const note = await page.getByTestId('cause-panel-note').innerText();
  assert.match(
    note,
    /ranker: score drifted from .*% of the drift goes away when requests .*feature-store\.read.* are replaced by requests of the same minutes/,
  );
  assert.match(
    await page.getByTestId('cause-panel-chain').innerText(),
    /feature-store\.read duration > [\d.]+ ms → feature-store\.read error → event features\.default_used → score/,
  );
  const firstCause = page.getByTestId('cause-panel-row').first();
  assert.match(await firstCause.innerText(), /storage\s+feature-store\.read/);
  const cf = await page.getByTestId('cause-panel-counterfactual').innerText();
  assert.match(cf, /as it was[\s\S]*hit requests replaced by others of the same minutes/);
  await page.getByTestId('cause-panel-chart').waitFor();
  // One crosshair for every chart: pointing at the drifted period reads the window out.
  const band = (await page.getByTestId('models-finding-band').locator('rect').boundingBox())!;
  await page.mouse.move(band.x + band.width / 2, band.y + 40);
  assert.match(await page.getByTestId('models-readout').innerText(), /\d{4}-\d{2}-\d{2} .* · [\d,]+ predictions · score median .* · drifted: /);
  for (const chart of ['models-score-chart', 'models-drift-heatmap', 'cause-panel-chart'])
    assert.equal(await page.getByTestId(chart).locator('.chart-crosshair').count(), 1, `${chart} shows the crosshair`);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'models-1-storage-incident.png'), fullPage: true });
  await page.mouse.move(0, 0);

  // An exemplar is one click away, and its waterfall shows the slow read.
  await page.getByTestId('cause-panel-exemplar').first().click();
  await page.waitForURL(/\/trace\/[0-9a-f]{32}\?dataset=2/);
  await page.locator('[data-testid="waterfall-span-row"]', { hasText: 'feature-store.read' }).first().waitFor();
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'models-2-exemplar-trace.png') });
  await page.goBack();
  await page.getByTestId('cause-panel').waitFor();
});

test('brushing a period compares it with the baseline, and the selection survives a reload', async () => {
  await page.goto(`${base}/models?dataset=2&model=ranker`);
  const chart = page.getByTestId('models-score-chart');
  await chart.waitFor();
  const band = await page.getByTestId('models-finding-band').locator('rect').boundingBox();
  assert.ok(band);
  const y = band.y + band.height / 2;
  await page.mouse.move(band.x + band.width * 0.2, y);
  await page.mouse.down();
  await page.mouse.move(band.x + band.width * 0.8, y, { steps: 8 });
  await page.mouse.up();
  await page.waitForURL(/sfrom=\d+&sto=\d+/);
  const panel = page.getByTestId('selection-panel');
  await page.getByTestId('selection-panel-note').waitFor({ timeout: 30_000 });
  assert.match(
    await page.getByTestId('selection-panel-note').innerText(),
    /drifted in the selection; \d+% of it goes away when the requests .*feature-store\.read.* are replaced by requests of the same minutes/,
  );
  assert.match(await page.getByTestId('selection-panel-factor').first().innerText(), /storage|other/);
  await panel.screenshot({ path: path.join(SCREENSHOT_DIR, 'models-3-selection-bubbleup.png') });
  await page.reload();
  await page.getByTestId('selection-panel-note').waitFor({ timeout: 30_000 });
  await page.getByTestId('selection-panel-close').click();
  await page.waitForURL((u) => !u.search.includes('sfrom='));
  assert.equal(await page.getByTestId('selection-panel').count(), 0);
});

test('the recommender: GPU throttling and the fallback to the lite model, in dark mode', async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${base}/models?dataset=2&model=recommender`);
  await page.getByTestId('cause-panel-row').first().waitFor();
  assert.match(await page.getByTestId('cause-panel-row').first().innerText(), /gpu/);
  assert.match(
    await page.getByTestId('cause-panel-chain').innerText(),
    /gpu\.inference .* → event model\.fallback → served version lite → score/,
    'the lite model served is a step of the GPU chain',
  );
  assert.match(await page.getByTestId('models-volume-chart').innerHTML(), /lite/);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'models-4-gpu-incident-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
});

test('the RAG assistant: answers lost their grounding while vector-store searches timed out', async () => {
  await page.goto(`${base}/models?dataset=2&model=llama-3.1-8b-instruct`);
  await page.getByTestId('cause-panel-row').first().waitFor();
  assert.match(await page.getByTestId('cause-panel-note').innerText(), /quality:eval\.groundedness drifted .*search docs/);
  assert.match(await page.getByTestId('cause-panel-row').first().innerText(), /storage\s+search docs/);
  assert.match(await page.getByTestId('cause-panel-signals').innerText(), /quality:empty_retrieval/);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'models-5-rag-assistant.png'), fullPage: true });
});

test('another version as the baseline: the lite model against v1', async () => {
  await page.goto(`${base}/models?dataset=2&model=recommender`);
  await page.getByTestId('models-baseline-select').selectOption('version:v1');
  await page.waitForURL(/bver=v1/);
  await page.getByText(/^Analysing…$/).waitFor({ state: 'detached' });
  await page.getByTestId('cause-panel-note').waitFor();
  assert.match(await page.getByTestId('cause-panel-signals').innerText(), /score\s+all\s+wasserstein/);
  assert.equal(await page.getByTestId('models-baseline-select').inputValue(), 'version:v1');
  // The volume chart now holds the other versions only.
  assert.doesNotMatch(await page.getByTestId('models-volume-chart').innerHTML(), /v1: \d/);
  await page.getByTestId('models-baseline-select').selectOption('earliest');
  await page.waitForURL((u) => !u.search.includes('bver'));
});

test('drift thresholds are adjustable and kept in the URL', async () => {
  await page.goto(`${base}/models?dataset=2&model=ranker`);
  await page.getByTestId('cause-panel').waitFor();
  const distance = page.getByTestId('models-distance-input');
  await distance.fill('2');
  await distance.blur();
  await page.waitForURL(/dist=2/);
  await page.getByTestId('models-no-findings').waitFor({ timeout: 30_000 });
  await page.reload();
  await page.getByTestId('models-no-findings').waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('models-distance-input').inputValue(), '2');
});
