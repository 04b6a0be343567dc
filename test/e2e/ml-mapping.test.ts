/**
 * End to end: a service names its predictions its own way (svc.model, risk_score). Nothing is
 * recognised until the user maps those names in Settings; saving re-extracts the stored
 * spans, and the model appears on the Models page. The mapping is edited with a field per
 * meaning, checked as typed with the core's schema; a malformed file is refused with the
 * reason and changes nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';

let serve: ServeProcess;
let browser: Browser;

before(async () => {
  serve = await startServe(path.join(tempDir(), 'mapping.db'));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

// One start for both sends: the second repeats the first 250 spans exactly (as an exporter
// retry would) and adds 10.
const t0 = BigInt(Date.now() - 3600_000) * 1_000_000n;

function fraudSpans(count: number): string {
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId: (i + 1).toString(16).padStart(32, 'f'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: 'fraud.score',
    startTimeUnixNano: String(t0 + BigInt(i) * 1_000_000_000n),
    endTimeUnixNano: String(t0 + BigInt(i) * 1_000_000_000n + 3_000_000n),
    attributes: [
      { key: 'svc.model', value: { stringValue: 'fraud' } },
      { key: 'risk_score', value: { doubleValue: (i % 100) / 100 } },
    ],
  }));
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'payments' } }] }, scopeSpans: [{ scope: { name: 't' }, spans }] }],
  });
}

test('mapping custom attribute names in Settings brings their predictions to the Models page', async () => {
  const r = await fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: fraudSpans(250),
  });
  assert.equal(r.status, 200);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const base = `http://127.0.0.1:${serve.ports.ui}`;
  await page.goto(`${base}/models`);
  await page.getByTestId('models-empty-state').waitFor();

  await page.goto(`${base}/settings`);
  const field = (f: string): ReturnType<typeof page.getByTestId> => page.getByTestId(`settings-mapping-field-${f}`);
  const save = page.getByTestId('settings-mapping-save');
  // A name the core would refuse is flagged at its field, with the core's words, and not saved.
  await field('score').fill(`risk_score, ${'x'.repeat(201)}`);
  assert.match(await page.getByTestId('settings-mapping-problem-score').innerText(), /an attribute name is at most 200 characters/);
  assert.equal(await save.isDisabled(), true);
  // The file (JSON) is checked by the same schema before it reaches the form.
  await page.getByText('Mapping as a file').click();
  await page.getByTestId('settings-mapping-file-input').fill('{"score": "risk_score"}');
  await page.getByTestId('settings-mapping-file-apply').click();
  assert.match(await page.getByTestId('settings-mapping-message').innerText(), /score: .*expected array/i);

  await field('modelName').fill('svc.model');
  await field('score').fill('risk_score');
  assert.equal(await page.getByTestId('settings-mapping-problem-score').count(), 0);
  assert.equal(
    await page.getByTestId('settings-mapping-file-input').inputValue(),
    JSON.stringify({ modelName: ['svc.model'], score: ['risk_score'] }, null, 2),
    'the file follows the form',
  );
  await save.click();
  await page.getByText(/Re-extracted 250 predictions/).waitFor({ timeout: 30_000 });
  assert.equal(await field('modelName').inputValue(), 'svc.model', 'the stored mapping is back in the form');
  assert.match(await page.locator('[data-field="modelName"]').innerText(), /then ml\.model\.name, model\.name/);
  await page.getByTestId('settings-mapping').screenshot({ path: path.join(SCREENSHOT_DIR, 'settings-ml-mapping.png') });

  await page.goto(`${base}/models`);
  await page.getByTestId('models-title').waitFor();
  assert.equal(await page.getByTestId('models-title').innerText(), 'fraud');
  assert.match(await page.getByTestId('models-list-item').innerText(), /250 predictions/);

  // New spans with the mapped names are recognised at ingest, without another re-extraction.
  const more = await fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: fraudSpans(260),
  });
  assert.equal(more.status, 200);
  await page.getByTestId('models-refresh-button').click();
  await page.getByTestId('models-list-item').filter({ hasText: '260 predictions' }).waitFor();
});
