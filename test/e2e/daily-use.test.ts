/**
 * Issue #14, the everyday explorer in real Chromium: an archive opened in the window becomes
 * the data context of every page; the trace list covers the whole range (server sort, paging,
 * total, a heatmap that brushes the range); an empty range says where the data is; times
 * switch between local and UTC; and every page passes axe's WCAG 2 A/AA rules, with a title,
 * one h1 and the current page marked in the nav.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';

const dir = tempDir('sightline-daily-');
const T0_MS = Date.UTC(2026, 9, 14, 12, 0, 0);
const TRACES = 1500;
/** The slowest trace is among the oldest: a list of the newest few hundred would never show it. */
const SLOWEST_MS = 4321;

function archiveLines(): string[] {
  const lines: string[] = [];
  let s = 42;
  const rand = (): number => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < TRACES; i++) {
    const startMs = T0_MS + Math.floor((i / TRACES) * 2 * 3600_000);
    const durationMs = i === 3 ? SLOWEST_MS : 5 + Math.floor(rand() * 300);
    const traceId = (0xd000000 + i).toString(16).padStart(32, '0');
    const service = ['checkout', 'ranker', 'feature-store'][i % 3]!;
    const ns = (ms: number): string => String(BigInt(ms) * 1_000_000n);
    lines.push(
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId,
                    spanId: '00000000000000a1',
                    name: `GET /${service}`,
                    startTimeUnixNano: ns(startMs),
                    endTimeUnixNano: ns(startMs + durationMs),
                    status: i % 50 === 7 ? { code: 2 } : {},
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    if (i % 100 === 0)
      lines.push(
        JSON.stringify({
          resourceLogs: [
            {
              resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
              scopeLogs: [
                {
                  logRecords: [
                    {
                      timeUnixNano: ns(startMs),
                      severityNumber: 13,
                      severityText: 'WARN',
                      body: { stringValue: `archived log ${i}` },
                      traceId,
                      spanId: '00000000000000a1',
                    },
                  ],
                },
              ],
            },
          ],
        }),
      );
  }
  return lines;
}

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let base: string;
const archive = path.join(dir, 'incident-2h.jsonl');

before(async () => {
  fs.writeFileSync(archive, archiveLines().join('\n') + '\n');
  serve = await startServe(path.join(dir, 'daily.db'));
  base = `http://127.0.0.1:${serve.ports.ui}`;
  // Something live too, so "all" and the archive differ.
  await fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: syntheticTraceRequest('e'.repeat(32), 3, { service: 'live-svc', startTimeUnixNano: BigInt(Date.now()) * 1_000_000n }),
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});
after(async () => {
  await browser?.close();
  await serve?.stop();
});

const contextValue = (): Promise<string> => page.getByTestId('context-dataset-select').inputValue();

test('an archive opened in the window is the data context of every page, kept in the URL', async () => {
  await page.goto(base);
  await page.getByTestId('app-open-input').setInputFiles(archive);
  await page.waitForURL(/\?dataset=2$/, { timeout: 60_000 });
  await page.getByText(`100 of ${TRACES.toLocaleString('en-US')} matching traces`).waitFor({ timeout: 20_000 });
  for (const [link, url] of [
    ['app-services-link', /\/services\?dataset=2$/],
    ['app-logs-link', /\/logs\?dataset=2$/],
    ['app-models-link', /\/models\?dataset=2$/],
    ['app-reports-link', /\/reports\?dataset=2$/],
    ['app-traces-link', /\/\?dataset=2$/],
  ] as const) {
    await page.getByTestId(link).click();
    await page.waitForURL(url);
    assert.equal(
      await contextValue(),
      '2',
      `${link}: the archive stays chosen (${(await page.getByTestId('context-dataset-select').locator('option').allInnerTexts()).join(', ')})`,
    );
    assert.equal(await page.getByTestId(link).getAttribute('aria-current'), 'page');
  }
  await page.getByTestId('app-logs-link').click();
  await page.getByTestId('logs-row').first().waitFor();
  assert.ok(
    (await page.getByTestId('logs-row').allInnerTexts()).every((t) => /archived log/.test(t)),
    'Logs shows the archive, not live',
  );
  await page.getByTestId('app-reports-link').click();
  assert.match(await page.getByTestId('reports-scope').innerText(), /incident-2h\.jsonl/);
});

test('the trace list sorts, pages and counts the whole range; the heatmap brushes it', async () => {
  await page.goto(`${base}/?dataset=2`);
  await page.getByTestId('trace-list-sort-duration').locator('button').click();
  await page.waitForURL(/sort=duration/);
  await page.waitForFunction(
    (slowest) => document.querySelector('[data-testid="trace-list-row"]')?.textContent?.includes(slowest),
    `${(SLOWEST_MS / 1000).toFixed(2)} s`,
  );
  assert.equal(await page.getByTestId('trace-list-row').count(), 100);
  await page.getByTestId('trace-list-more-button').click();
  await page.getByText(`200 of ${TRACES.toLocaleString('en-US')} matching traces`).waitFor();
  const durations = (await page.locator('[data-testid="trace-list-row"] td:nth-child(5)').allInnerTexts()).map((t) =>
    t.endsWith(' s') ? parseFloat(t) * 1000 : parseFloat(t),
  );
  assert.equal(durations.length, 200);
  assert.ok(
    durations.every((d, i) => i === 0 || d <= durations[i - 1]!),
    'both pages in one descending order',
  );
  assert.match((await page.getByTestId('trace-list-heatmap').getAttribute('aria-label'))!, /Heatmap of 1,500 traces/);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'daily-trace-list.png') });

  // Brush the first half hour: the range joins the data context and other pages follow it.
  await page.getByTestId('trace-list-heatmap').scrollIntoViewIfNeeded();
  const box = (await page.getByTestId('trace-list-heatmap').boundingBox())!;
  const plotLeft = box.x + (62 / 960) * box.width;
  const plotWidth = ((960 - 12 - 62) / 960) * box.width;
  await page.mouse.move(plotLeft + 2, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(plotLeft + plotWidth / 4, box.y + box.height * 0.5, { steps: 6 });
  await page.mouse.up();
  await page.waitForURL(/from=\d+&to=\d+/);
  await page.waitForFunction(() => /^100 of 3\d\d matching traces$/.test(document.querySelector('[data-testid="trace-list-count"]')?.textContent ?? ''));
  await page.getByTestId('app-logs-link').click();
  await page.waitForURL(/\/logs\?.*from=\d+&to=\d+/);
  assert.match(await page.getByTestId('context-range-select').locator('option:checked').innerText(), /2026-10-14 .* – /);
  await page.getByTestId('context-range-clear').click();
  await page.waitForURL((u) => !u.search.includes('from='));
});

test('an empty range says where the data is and leads back to it; times switch to UTC', async () => {
  await page.goto(`${base}/?dataset=2&range=15m`);
  const elsewhere = page.getByTestId('trace-list-elsewhere');
  await elsewhere.waitFor();
  assert.match(await elsewhere.innerText(), /1,500 traces match outside it, between 2026-10-14/);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'daily-empty-range.png') });
  await page.getByTestId('trace-list-whole-range-button').click();
  await page.getByText(`100 of ${TRACES.toLocaleString('en-US')} matching traces`).waitFor();

  await page.getByTestId('app-time-zone-button').click();
  await page.getByText('Start (UTC)').waitFor();
  const firstStart = await page.locator('[data-testid="trace-list-row"] td:nth-child(4)').first().innerText();
  assert.match(firstStart, /^2026-10-14 1[34]:\d{2}:\d{2}\.\d{3}$/, 'the newest trace of the archive, in UTC');
  await page.reload();
  await page.getByText('Start (UTC)').waitFor({ timeout: 10_000 });

  // `?` lists the shortcuts; Escape closes the list.
  await page.keyboard.press('?');
  await page.getByTestId('shortcuts-overlay').waitFor();
  assert.match(await page.getByTestId('shortcuts-overlay').innerText(), /search the spans/);
  await page.keyboard.press('Escape');
  await page.getByTestId('shortcuts-overlay').waitFor({ state: 'detached' });
});

test('compare says what its groups are in words and when one hit the cap; services without calls say so; remote fields are labelled', async () => {
  // 1,500 traces against a few: the whole dataset is more than a group reads.
  await page.goto(`${base}/compare?dataset=2&a=dmin%3D300&b=&la=slowest&lb=all`);
  await page.getByTestId('compare-b-summary').waitFor({ timeout: 20_000 });
  assert.match(await page.getByTestId('compare-b-limit').innerText(), /the newest 1,000 matching traces: a group is capped at 1,000/);
  assert.equal(await page.getByTestId('compare-a-limit').count(), 0, 'the small group is whole');
  const groups = await page.locator('.compare-groups').innerText();
  assert.match(groups, /duration at least 300 ms/);
  assert.match(groups, /all traces/);
  assert.doesNotMatch(groups, /dmin=/);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'daily-compare-cap.png') });

  // Each archived trace is one span: three services, no call between them.
  await page.goto(`${base}/services?dataset=2`);
  await page.getByTestId('services-no-calls').waitFor();
  assert.deepEqual((await page.getByTestId('services-no-calls-link').allInnerTexts()).sort(), [
    'The traces of checkout',
    'The traces of feature-store',
    'The traces of ranker',
  ]);
  await page.getByTestId('services-no-calls-link').first().click();
  await page.waitForURL(/\/\?service=/);

  await page.goto(`${base}/remote`);
  // A select's name also holds its chosen option ("Kind Jaeger (api/v3, OTLP)").
  for (const label of ['Name', 'Kind', 'Base URL', 'Bearer token']) assert.equal(await page.getByLabel(label).count(), 1, label);
  assert.deepEqual(await page.locator('h1, h2').allInnerTexts(), ['Remote sources', 'Add a source']);
});

test('every page passes axe (WCAG 2 A and AA), with a title, one h1 and the nav marked', async () => {
  const traceId = (0xd000000 + 3).toString(16).padStart(32, '0');
  const pages: [string, string][] = [
    ['/?dataset=2', 'Traces'],
    ['/services?dataset=2', 'Services'],
    ['/logs?dataset=2', 'Logs'],
    ['/models?dataset=2', 'Models'],
    ['/alerts', 'Alerts'],
    ['/reports?dataset=2', 'Reports'],
    ['/compare?dataset=2&a=dmin%3D300&b=&la=slowest&lb=all', 'Compare'],
    ['/remote', 'Remote sources'],
    ['/settings', 'Settings'],
    [`/trace/${traceId}?dataset=2`, 'Trace'],
  ];
  const problems: string[] = [];
  // axe is injected as a script: this window lets it past the app's Content-Security-Policy.
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, bypassCSP: true });
  const page = await ctx.newPage();
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    for (const [url, title] of pages) {
      await page.goto(base + url);
      await page.waitForFunction(() => !document.querySelector('.loading') && document.querySelector('h1'));
      await page.waitForTimeout(300);
      assert.equal(await page.title(), `${title} · Sightline`);
      assert.equal(await page.locator('h1').count(), 1, `${url}: one h1`);
      const violations = await axeViolations(page);
      for (const v of violations) problems.push(`${theme} ${url} ${v}`);
    }
  }
  await ctx.close();
  assert.deepEqual(problems, []);
});
