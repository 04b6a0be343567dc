/**
 * Alerts end to end: rules saved through the API; the OpenTelemetry SDK sends feature-store
 * reads over OTLP in stages (normal, slow, slow for longer, normal again, with explicit data
 * times); the rules go inactive → pending → firing → resolved as in Prometheus, the robust
 * anomaly rule fires on the slowdown, the history records each change, and the UI shows the
 * firing alert as a notification and on the Alerts page. Bad rules are refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';
import type { AlertEvent, AlertRule, AlertStatus } from '../../shared/model/alerts.js';
import { seededRandom } from '../../electron/core/stats/significance.js';

const random = seededRandom(2026);

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let provider: BasicTracerProvider;
const T0 = Date.now() - 2 * 3600_000;
const MINUTE = 60_000;

before(async () => {
  serve = await startServe(path.join(tempDir(), 'alerts.db'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'ranker-api', 'host.name': 'node-1' }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces` }), {
        maxQueueSize: 10_000,
        maxExportBatchSize: 1000,
      }),
    ],
  });
});
after(async () => {
  await provider?.shutdown();
  await browser?.close();
  await serve?.stop();
});

async function api<T>(method: string, body: object): Promise<{ status: number; json: T }> {
  const r = await fetch(`http://127.0.0.1:${serve.ports.ui}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const reply = (await r.json()) as { result?: T; error?: string };
  return { status: r.status, json: (reply.result ?? reply) as T };
}

/** Requests every 2 s of data time from `fromMin` to `toMin` after T0, each with one feature read. */
async function sendReads(fromMin: number, toMin: number, readMs: () => number, failed = false): Promise<void> {
  const tracer = provider.getTracer('alerts-test');
  for (let t = T0 + fromMin * MINUTE; t < T0 + toMin * MINUTE; t += 2000) {
    const root = tracer.startSpan('POST /rank', { kind: SpanKind.SERVER, startTime: t });
    const ms = readMs();
    const read = tracer.startSpan(
      'feature-store.read',
      { kind: SpanKind.CLIENT, startTime: t + 1, attributes: { 'rpc.service': 'S3' } },
      trace.setSpan(ROOT_CONTEXT, root),
    );
    if (failed) read.setStatus({ code: SpanStatusCode.ERROR, message: 'timeout' });
    read.end(t + 1 + ms);
    root.end(t + 2 + ms);
  }
  await provider.forceFlush();
}

/** Waits until every rule was evaluated at data time ≥ `afterMin` (minutes after T0) and the states are as expected. */
async function waitForStates(afterMin: number, expected: Record<string, AlertStatus['state']>): Promise<AlertStatus[]> {
  let last: AlertStatus[] = [];
  for (let i = 0; i < 100; i++) {
    last = (await api<{ statuses: AlertStatus[] }>('listAlerts', {})).json.statuses;
    const evaluated = last.every((s) => (s.evaluatedAtMs ?? 0) >= T0 + afterMin * MINUTE - 3000);
    if (evaluated && Object.entries(expected).every(([name, state]) => last.find((s) => s.rule.name === name)?.state === state)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`states ${JSON.stringify(last.map((s) => [s.rule.name, s.state, s.value]))}, expected ${JSON.stringify(expected)}`);
}

const RULES: AlertRule[] = [
  { name: 'slow reads', kind: 'latency_p95', span: 'feature-store.read', service: 'ranker-api', threshold: 300, forSeconds: 180, windowSeconds: 120 },
  { name: 'read anomaly', kind: 'latency_anomaly', span: 'feature-store.read', threshold: 3.5, forSeconds: 0, windowSeconds: 120 },
  { name: 'read errors', kind: 'error_rate', span: 'feature-store.read', threshold: 0.5, forSeconds: 0, windowSeconds: 120 },
];

test('bad rules are refused with the reason', async () => {
  const r = await api<{ error: string }>('saveAlertRules', { rules: [{ name: 'x', kind: 'drift', threshold: 1 }] });
  assert.equal(r.status, 400);
  assert.match(r.json.error, /a drift rule names its model/);
  const dup = await api<{ error: string }>('saveAlertRules', { rules: [RULES[0], RULES[0]] });
  assert.equal(dup.status, 400);
  assert.match(dup.json.error, /unique/);
});

test('rules move through pending, firing and resolved with the data, and the history says so', async () => {
  const saved = await api<{ statuses: AlertStatus[] }>('saveAlertRules', { rules: RULES });
  assert.equal(saved.status, 200);
  assert.deepEqual(
    saved.json.statuses.map((s) => s.state),
    ['inactive', 'inactive', 'inactive'],
  );
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/alerts`);
  await page.getByTestId('alerts-rules-table').waitFor();

  await sendReads(0, 10, () => 20 + 20 * random());
  let s = await waitForStates(10, { 'slow reads': 'inactive', 'read anomaly': 'inactive' });
  assert.ok(s[0]!.value! < 45 && s[0]!.evaluatedAtMs !== null, `p95 of normal reads: ${s[0]!.value}`);

  await sendReads(10, 12, () => 800 + 50 * random());
  s = await waitForStates(12, { 'slow reads': 'pending', 'read anomaly': 'firing', 'read errors': 'inactive' });
  assert.ok(s[0]!.value! > 700);
  assert.ok(s[1]!.value! > 3.5, `anomaly score ${s[1]!.value}`);

  // The notification appears in the open window, and the header counts firing alerts.
  await page.getByTestId('app-alert-notice').waitFor();
  assert.match(await page.getByTestId('app-alert-notice').innerText(), /read anomaly: latency anomaly of feature-store\.read/);

  await sendReads(12, 16, () => 800 + 50 * random(), true);
  await waitForStates(16, { 'slow reads': 'firing', 'read errors': 'firing' });
  await page.locator('[data-testid="alerts-rule-row"][data-state="firing"]').nth(2).waitFor();
  // The header counts again on each alert event, apart from the table's own refresh: it may say so a moment later.
  await page
    .getByTestId('app-alerts-firing-badge')
    .filter({ hasText: /3 firing/ })
    .waitFor({ timeout: 10_000 });
  assert.match(await page.getByTestId('app-alerts-firing-badge').innerText(), /3 firing/);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'alerts-firing.png'), fullPage: true });

  await sendReads(16, 20, () => 20 + 20 * random());
  await waitForStates(20, { 'slow reads': 'inactive', 'read anomaly': 'inactive', 'read errors': 'inactive' });
  const history = (await api<{ history: AlertEvent[] }>('listAlerts', {})).json.history;
  const slow = history
    .filter((h) => h.rule === 'slow reads')
    .map((h) => h.state)
    .reverse();
  assert.deepEqual(slow, ['pending', 'firing', 'resolved']);
  const firing = history.find((h) => h.rule === 'slow reads' && h.state === 'firing')!;
  assert.ok(firing.atMs - (T0 + 12 * MINUTE) >= 3 * MINUTE - 5000, 'fired only after the for-duration (in data time)');
  await page.getByTestId('alerts-history-row').nth(6).waitFor();
});

test('rules round-trip as a file: what is exported imports unchanged', async () => {
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/alerts`);
  await page.locator('.rules-file summary').click();
  const download = page.waitForEvent('download');
  await page.getByTestId('alerts-rules-export').click();
  const file = await (await download).path();
  await api('saveAlertRules', { rules: [] });
  await page.reload();
  await page.getByTestId('alerts-empty').waitFor();
  await page.locator('.rules-file summary').click();
  await page.getByTestId('alerts-rules-import-input').setInputFiles(file);
  await page.getByTestId('alerts-rules-apply').click();
  await page.getByText('Saved 3 rule(s).').waitFor();
  const statuses = (await api<{ statuses: AlertStatus[] }>('listAlerts', {})).json.statuses;
  assert.deepEqual(
    statuses.map((s) => s.rule),
    RULES,
  );
});

test('a rule made in the form is checked as it is typed and previewed on the stored data', async () => {
  await page.goto(`http://127.0.0.1:${serve.ports.ui}/alerts`);
  await page.getByTestId('alerts-new-rule-button').click();
  await page.getByTestId('alerts-form-kind').selectOption('error_rate');
  await page.getByTestId('alerts-form-threshold').fill('2');
  await page.getByTestId('alerts-form-save-button').click();
  assert.match(await page.getByTestId('alerts-form-problem-name').innerText(), /needs a name/);
  assert.match(await page.getByTestId('alerts-form-problem-threshold').innerText(), /between 0 and 1/);
  await page.getByTestId('alerts-form-name').fill(RULES[0]!.name);
  assert.match(await page.getByTestId('alerts-form-problem-name').innerText(), /another rule has this name/);

  // The slow reads stored by the test above: a p95 rule at 500 ms would have fired once.
  await page.getByTestId('alerts-form-name').fill('p95 of reads');
  await page.getByTestId('alerts-form-kind').selectOption('latency_p95');
  await page.getByTestId('alerts-form-span').fill('feature-store.read');
  await page.getByTestId('alerts-form-threshold').fill('500');
  await page.getByTestId('alerts-form-window').fill('300');
  await page.getByTestId('alerts-form-for').fill('60');
  await page.getByTestId('alerts-form-preview-button').click();
  await page.getByTestId('alerts-preview-chart').waitFor();
  assert.match(await page.getByTestId('alerts-preview-summary').innerText(), /Would have fired 1 time, first .*; peak 8\d\d\.\d ms against 500\.0 ms/);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'alerts-rule-form.png'), fullPage: true });
  await page.getByTestId('alerts-form-threshold').fill('5000');
  await page.getByTestId('alerts-form-preview-button').click();
  await page.getByText(/Would not have fired: peak 8\d\d\.\d ms against 5000\.0 ms/).waitFor();

  await page.getByTestId('alerts-form-threshold').fill('500');
  await page.getByTestId('alerts-form-save-button').click();
  await page.locator('[data-testid="alerts-rule-row"]', { hasText: 'p95 of reads' }).waitFor();
  page.once('dialog', (d) => void d.accept());
  await page.locator('[data-testid="alerts-rule-row"]', { hasText: 'p95 of reads' }).getByTestId('alerts-delete-button').click();
  await page.getByText('Deleted p95 of reads.').waitFor();
  assert.deepEqual(
    (await api<{ statuses: AlertStatus[] }>('listAlerts', {})).json.statuses.map((s) => s.rule),
    RULES,
  );
});
