/**
 * Browser mode's transport: the contract over POST /api/<method>, requests validated at the
 * boundary, live events over SSE, deep links served, foreign Host headers refused, and the
 * Content-Security-Policy on every page.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';

let serve: ServeProcess;
before(async () => {
  serve = await startServe(path.join(tempDir(), 'ui.db'));
});
after(async () => serve.stop());

const api = (method: string, body: unknown): Promise<Response> =>
  fetch(`http://127.0.0.1:${serve.ports.ui}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

test('requests are validated against the contract', async () => {
  const bad = await api('getTrace', { traceId: 'xyz' });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /traceId: a trace ID is 32 hex characters/);
  const extra = await api('searchTraces', { limit: 5, nope: 1 });
  assert.equal(extra.status, 400);
  const unknown = await api('dropTables', {});
  assert.equal(unknown.status, 404);
  const info = (await (await api('getServerInfo', {})).json()) as { result: { mode: string; otlpHttpPort: number } };
  assert.equal(info.result.mode, 'browser');
  assert.equal(info.result.otlpHttpPort, serve.ports.otlpHttp);
});

test('live events arrive over Server-Sent Events when data is committed', async () => {
  const controller = new AbortController();
  const res = await fetch(`http://127.0.0.1:${serve.ports.ui}/api/events`, { signal: controller.signal });
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const reader = res.body!.getReader();
  const traceId = 'e'.repeat(32);
  await fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: syntheticTraceRequest(traceId, 5),
  });
  let text = '';
  while (!text.includes('data:')) text += new TextDecoder().decode((await reader.read()).value);
  const event = JSON.parse(text.slice(text.indexOf('data:') + 5).split('\n')[0]!) as { type: string; spans: number; traces: number };
  assert.deepEqual([event.type, event.spans, event.traces], ['ingest', 5, 1]);
  controller.abort();
  const found = (await (await api('getTrace', { traceId })).json()) as { result: { spans: unknown[] } };
  assert.equal(found.result.spans.length, 5);
});

test('pages carry a strict CSP, deep links get the app shell, foreign hosts are refused', async () => {
  const page = await fetch(`http://127.0.0.1:${serve.ports.ui}/trace/${'a'.repeat(32)}`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy')!, /default-src 'self'.*connect-src 'self'/);
  const html = await page.text();
  assert.match(html, /<base href="\/">/);
  assert.doesNotMatch(html, /https?:\/\/(?!localhost)/, 'no external URL in the page');
  const missing = await fetch(`http://127.0.0.1:${serve.ports.ui}/assets/nope.js`);
  assert.equal(missing.status, 404);
  const status = await new Promise<number>((resolve) =>
    http.get({ host: '127.0.0.1', port: serve.ports.ui, path: '/', headers: { Host: 'evil.example:80' } }, (r) => {
      r.resume();
      resolve(r.statusCode!);
    }),
  );
  assert.equal(status, 421);
});
