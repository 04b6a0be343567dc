/**
 * End to end: configure a remote source in the UI (an in-test server answering as Grafana
 * Tempo documents), search it, pull the traces into a dataset and see them; an unreachable
 * source says so.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';

const TRACE = '5b8aa5a2d2c872e8321cf37308d69df2';
const T0 = 1_700_000_000_000_000_000n;
const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

let tempo: http.Server;
let tempoUrl: string;
let serve: ServeProcess;
let browser: Browser;

before(async () => {
  tempo = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const json = (v: unknown): void => void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(v));
    if (url.pathname === '/api/search')
      return json({ traces: [{ traceID: TRACE, rootServiceName: 'ranker', rootTraceName: 'POST /rank', startTimeUnixNano: String(T0), durationMs: 12 }] });
    if (url.pathname === `/api/traces/${TRACE}`)
      return json({
        batches: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'ranker' } }] },
            scopeSpans: [
              {
                scope: { name: 't' },
                spans: [
                  {
                    traceId: b64(TRACE),
                    spanId: b64('0000000000000001'),
                    name: 'POST /rank',
                    kind: 'SPAN_KIND_SERVER',
                    startTimeUnixNano: String(T0),
                    endTimeUnixNano: String(T0 + 12_000_000n),
                  },
                  {
                    traceId: b64(TRACE),
                    spanId: b64('0000000000000002'),
                    parentSpanId: b64('0000000000000001'),
                    name: 'tempo child',
                    startTimeUnixNano: String(T0 + 1_000_000n),
                    endTimeUnixNano: String(T0 + 9_000_000n),
                  },
                ],
              },
            ],
          },
        ],
      });
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => tempo.listen(0, '127.0.0.1', () => r()));
  tempoUrl = `http://127.0.0.1:${(tempo.address() as { port: number }).port}`;
  serve = await startServe(path.join(tempDir(), 'remote-ui.db'));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await serve?.stop();
  tempo.closeAllConnections();
  tempo.close();
});

test('add a Tempo source, search it, pull traces into a dataset', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 700 } });
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/remote`);
  await page.getByTestId('remote-name-input').fill('team tempo');
  await page.getByTestId('remote-kind-select').selectOption('tempo');
  await page.getByTestId('remote-url-input').fill(tempoUrl);
  await page.getByTestId('remote-add-button').click();
  await page.getByTestId('remote-source-row').waitFor();
  await page.getByTestId('remote-service-input').fill('ranker');
  await page.getByTestId('remote-search-button').click();
  const row = page.getByTestId('remote-result-row');
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`${TRACE}[\\s\\S]*ranker[\\s\\S]*POST /rank[\\s\\S]*12\\.0 ms`));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'e2e-8-remote-search.png') });
  await page.getByTestId('remote-pull-button').click();
  await page.waitForURL(/\?dataset=\d+$/);
  await page.locator(`[data-trace-id="${TRACE}"]`).click();
  await page.getByTestId('waterfall-span-row').nth(1).waitFor();
  assert.match((await page.getByTestId('waterfall-span-row').allInnerTexts()).join('\n'), /POST \/rank[\s\S]*tempo child/);
  await page.close();
});

test('a source that cannot be reached says so', async () => {
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
  const deadUrl = `http://127.0.0.1:${(closed.address() as { port: number }).port}`;
  closed.close();
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/remote`);
  await page.getByTestId('remote-name-input').fill('gone');
  await page.getByTestId('remote-kind-select').selectOption('zipkin');
  await page.getByTestId('remote-url-input').fill(deadUrl);
  await page.getByTestId('remote-add-button').click();
  await page.locator('[data-testid="remote-source-row"]', { hasText: 'gone' }).waitFor();
  await page.getByTestId('remote-source-select').selectOption({ label: 'gone' });
  await page.getByTestId('remote-search-button').click();
  const err = page.getByTestId('remote-error');
  await err.waitFor();
  assert.match(await err.innerText(), /cannot reach http:\/\/127\.0\.0\.1:\d+ \(connection refused\)/);
  await page.close();
});
