/**
 * Issue #14, redaction rules as a form in real Chromium: a pattern the core would refuse (not a
 * regular expression, or one RE2 cannot run in linear time) and a repeated name are flagged at
 * the field as they are typed, with Save disabled; a valid rule saved through the form removes
 * its matches from a span sent afterwards, and Settings counts it. Editing and deleting go
 * through the same form and list.
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
  serve = await startServe(path.join(tempDir(), 'redaction-form.db'));
  base = `http://127.0.0.1:${serve.ports.ui}`;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('dialog', (d) => void d.accept());
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

const TRACE_ID = 'ab'.repeat(16);

function spanWithOrder(): string {
  const start = BigInt(Date.now() - 60_000) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: TRACE_ID,
                spanId: '00000000000000c1',
                name: 'ship order',
                startTimeUnixNano: String(start),
                endTimeUnixNano: String(start + 2_000_000n),
                attributes: [
                  { key: 'order.note', value: { stringValue: 'order ORD-123456 shipped' } },
                  { key: 'order.kind', value: { stringValue: 'express' } },
                ],
              },
            ],
          },
        ],
      },
    ],
  });
}

const problem = (field: string): ReturnType<Page['getByTestId']> => page.getByTestId(`redaction-form-problem-${field}`);
const save = (): ReturnType<Page['getByTestId']> => page.getByTestId('redaction-form-save-button');

test('a pattern the core would refuse is flagged at the field and cannot be saved', async () => {
  await page.goto(`${base}/settings`);
  await page.getByTestId('settings-redaction-new').click();
  await page.getByTestId('redaction-form-name').fill('order numbers');
  await page.getByTestId('redaction-form-pattern').fill('ORD-(\\d+');
  assert.match(await problem('pattern').innerText(), /the value pattern must be a valid regular expression .*Unterminated group/);
  assert.equal(await save().isDisabled(), true);

  // Valid for JavaScript, refused by the core's linear-time engine: the core's own words.
  await page.getByTestId('redaction-form-pattern').fill('ORD-(?=\\d)\\d+');
  assert.match(await problem('pattern').innerText(), /redaction rule "order numbers": its pattern cannot run in linear time/);
  assert.equal(await save().isDisabled(), true);

  await page.getByTestId('redaction-form-pattern').fill('\\bORD-\\d{6}\\b');
  await problem('pattern').waitFor({ state: 'detached' });
  await page.getByTestId('redaction-form-name').fill('e-mail addresses');
  assert.match(await problem('name').innerText(), /another rule has this name/);
  assert.equal(await save().isDisabled(), true);
  await page.getByTestId('redaction-rule-form').screenshot({ path: path.join(SCREENSHOT_DIR, 'redaction-form-problem.png') });
});

test('a rule saved through the form redacts a span sent afterwards, and is counted', async () => {
  await page.getByTestId('redaction-form-name').fill('order numbers');
  assert.equal(await save().isDisabled(), false);
  assert.match(await page.getByTestId('redaction-form-replacement').innerText(), /\[REDACTED:order numbers\]/);
  await save().click();
  await page.getByTestId('redaction-rule-form').waitFor({ state: 'detached' });
  await page.locator('[data-testid="settings-redaction-row"][data-rule="order numbers"]').waitFor();

  const r = await fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: spanWithOrder(),
  });
  assert.equal(r.status, 200);
  await page.goto(`${base}/trace/${TRACE_ID}?span=00000000000000c1`);
  const attributes = page.getByTestId('span-detail-attributes-table');
  await attributes.waitFor({ timeout: 20_000 });
  const text = await attributes.innerText();
  assert.match(text, /order \[REDACTED:order numbers\] shipped/);
  assert.doesNotMatch(text, /123456/);

  await page.goto(`${base}/settings`);
  const row = page.locator('[data-testid="settings-redaction-row"][data-rule="order numbers"]');
  assert.equal(await row.getByTestId('settings-redaction-count').innerText(), '1');
});

test('a rule is edited (now a pseudonym, its label checked) and deleted through the list', async () => {
  const row = page.locator('[data-testid="settings-redaction-row"][data-rule="order numbers"]');
  await row.getByTestId('settings-redaction-edit').click();
  await page.getByTestId('redaction-form-action').selectOption('pseudonymise');
  await page.getByTestId('redaction-form-label').fill('Order');
  assert.match(await problem('label').innerText(), /a pseudonym label is 1-16 lower-case letters/);
  assert.equal(await save().isDisabled(), true);
  await page.getByTestId('redaction-form-label').fill('order');
  await save().click();
  await page.getByTestId('redaction-rule-form').waitFor({ state: 'detached' });
  assert.match(await row.innerText(), /order:<12 hex digits>/);

  await row.getByTestId('settings-redaction-delete').click();
  await row.waitFor({ state: 'detached' });
  assert.match(await page.getByTestId('settings-redaction-message').innerText(), /Deleted order numbers/);
});
