/**
 * Secrets never reach the disk: spans and logs carrying a password, an e-mail address, a
 * bearer token, a card number and an IP address are sent with the OpenTelemetry SDK over
 * OTLP; the SQLite file and its WAL are searched byte by byte, and so are an export and a
 * report (which lists the rules and counts, never the values). A custom rule added later
 * applies to new data at once and to older data at export.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { cliJson, runCli, startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';

const SECRETS = ['hunter2-SECRET', 'alice.smith@example.com', 'sk-live-51HxQ2', '4111 1111 1111 1111', '203.0.113.77'];
let serve: ServeProcess;
let dir: string;
let dbPath: string;

before(async () => {
  dir = tempDir();
  dbPath = path.join(dir, 'redact.db');
  serve = await startServe(dbPath);
});
after(async () => serve?.stop());

async function send(attrs: Record<string, string>, body: string): Promise<void> {
  const base = `http://127.0.0.1:${serve.ports.otlpHttp}`;
  const resource = resourceFromAttributes({ 'service.name': 'checkout', 'host.name': 'node-1' });
  const tracer = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces` }))] });
  const span = tracer.getTracer('t').startSpan('POST /pay', { attributes: attrs });
  span.addEvent('login', { 'user.email': 'alice.smith@example.com' });
  span.setStatus({ code: SpanStatusCode.ERROR, message: `card 4111 1111 1111 1111 declined for alice.smith@example.com` });
  span.end();
  await tracer.forceFlush();
  const logs = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${base}/v1/logs` }) })] });
  logs.getLogger('t').emit({ body, attributes: { 'client.address': '203.0.113.77' } });
  await logs.forceFlush();
}

function storeBytes(): Buffer {
  return Buffer.concat([dbPath, `${dbPath}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

test('planted secrets are in neither the SQLite file, nor an export, nor a report', async () => {
  await send(
    {
      'db.password': 'hunter2-SECRET',
      'enduser.email': 'alice.smith@example.com',
      'http.request.header.authorization': 'Bearer sk-live-51HxQ2',
      note: 'patient-0042 seen',
      amount: '12.50',
    },
    'charged 4111 1111 1111 1111 from 203.0.113.77',
  );
  let stats = await cliJson<{ spans: number; logRecords: number }>(['stats', '--db', dbPath, '--json']);
  for (let i = 0; i < 50 && (stats.spans < 1 || stats.logRecords < 1); i++) {
    await new Promise((r) => setTimeout(r, 100));
    stats = await cliJson(['stats', '--db', dbPath, '--json']);
  }
  assert.equal(stats.spans, 1);
  assert.equal(stats.logRecords, 1);
  const bytes = storeBytes();
  for (const secret of SECRETS) assert.equal(bytes.indexOf(secret), -1, `"${secret}" reached the store`);
  assert.ok(bytes.indexOf('[REDACTED') >= 0, 'the redaction markers are stored instead');
  assert.ok(bytes.indexOf('12.50') >= 0, 'ordinary values are kept');
  assert.match(bytes.toString('latin1'), /"client\.address":"ip:[0-9a-f]{12}"/, 'the peer address is pseudonymised, not erased');
  const keyFile = path.join(dir, 'keys', 'redaction-pseudonym.key');
  if (process.platform !== 'win32') assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600, 'the pseudonym key beside the store is owner-only');

  const exported = path.join(dir, 'out.jsonl');
  assert.equal((await runCli(['export', '--db', dbPath, '--out', exported])).code, 0);
  const text = fs.readFileSync(exported, 'utf8');
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `"${secret}" in the export`);
  assert.match(text, /"key":"db\.password","value":\{"stringValue":"\[REDACTED\]"\}/);

  const report = path.join(dir, 'r.html');
  assert.equal((await runCli(['report', '--db', dbPath, '--out', report, '--key-dir', path.join(dir, 'keys')])).code, 0);
  const html = fs.readFileSync(report, 'utf8');
  for (const secret of SECRETS) assert.ok(!html.includes(secret), `"${secret}" in the report`);
  assert.match(
    html,
    /<td>e-mail addresses<\/td><td>value<\/td><td>erased<\/td><td class="mono">[^<]*<\/td><td class="num">3<\/td>/,
    'the report counts the e-mail redactions (attribute, event, status)',
  );
  assert.match(html, /<td>password keys<\/td><td>key<\/td><td>erased<\/td><td class="mono">\*passw\*<\/td><td class="num">1<\/td>/);
  assert.match(
    html,
    /<td>IPv4 addresses<\/td><td>value<\/td><td>pseudonymised<\/td><td class="mono">[^<]*<\/td><td class="num">2<\/td>/,
    'the report says which rules pseudonymise (log body and attribute)',
  );
  assert.ok(!/ip:[0-9a-f]{12}/.test(html), 'nor does it show pseudonyms');
});

test('a custom rule applies to new data at once and to older data at export', async () => {
  const api = `http://127.0.0.1:${serve.ports.ui}/api`;
  const current = (
    (await (await fetch(`${api}/getRedaction`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json()) as {
      result: { rules: object[] };
    }
  ).result.rules;
  const bad = await fetch(`${api}/saveRedaction`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ rules: [{ name: 'broken', kind: 'value', pattern: '(' }] }),
  });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /valid regular expression/);
  const backtracking = await fetch(`${api}/saveRedaction`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ rules: [...current, { name: 'doubled words', kind: 'value', pattern: '\\b(\\w+) \\1\\b' }] }),
  });
  assert.equal(backtracking.status, 400, 'a pattern with a backreference is refused');
  assert.match(((await backtracking.json()) as { error: string }).error, /redaction rule "doubled words".*linear time/);
  const ok = await fetch(`${api}/saveRedaction`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ rules: [...current, { name: 'patient ids', kind: 'value', pattern: 'patient-\\d+' }] }),
  });
  assert.equal(ok.status, 200);
  await send({ note: 'patient-0077 admitted' }, 'ok');
  const bytes = storeBytes();
  assert.equal(bytes.indexOf('patient-0077'), -1, 'new data is redacted by the new rule');
  assert.ok(bytes.indexOf('patient-0042') >= 0, 'data stored before the rule is as it was…');
  const exported = path.join(dir, 'later.jsonl');
  assert.equal((await runCli(['export', '--db', dbPath, '--out', exported])).code, 0);
  assert.ok(!fs.readFileSync(exported, 'utf8').includes('patient-00'), '…but the export applies the rule again');
});

test('an imported archive is redacted before its transactions with the same rules and the same pseudonyms as live data', async () => {
  const file = path.join(dir, 'archive.json');
  const span = {
    traceId: '5af7651916cd43dd8448eb211c80319c',
    spanId: '00000000000000c1',
    name: 'GET /',
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000100000000',
    attributes: [
      { key: 'client.address', value: { stringValue: '203.0.113.77' } },
      { key: 'note', value: { stringValue: 'token ghp_' + 'a'.repeat(36) + ' for alice.smith@example.com' } },
    ],
  };
  fs.writeFileSync(
    file,
    JSON.stringify({
      resourceSpans: [
        { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'archived' } }] }, scopeSpans: [{ scope: { name: 'lib' }, spans: [span] }] },
      ],
    }),
  );
  assert.equal((await runCli(['import', file, '--db', dbPath, '--dataset', 'archived'])).code, 0);
  const text = storeBytes().toString('latin1');
  assert.equal(text.indexOf('ghp_aaaa'), -1, 'the GitHub token did not reach the store');
  const pseudonyms = new Set(text.match(/"client\.address":"ip:[0-9a-f]{12}"/g));
  assert.equal(pseudonyms.size, 1, 'the same peer has the same pseudonym, live and imported');
});
