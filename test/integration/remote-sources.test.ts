/**
 * Remote query sources against an HTTP server inside the test that answers as Jaeger api/v3,
 * Jaeger api/traces, Tempo and Zipkin v2 document: search there, pull traces into a local
 * dataset, and clear errors for refused credentials, timeouts and unreachable servers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { cliJson, runCli, tempDir } from '../helpers/serve-process.js';
import type { OtlpJsonTraces } from '../../electron/core/store/otlp-trace-export.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const T0_NS = 1_700_000_000_000_000_000n;
const otlpTrace = (traceId: string, spanId: string, childId: string) => ({
  resource: { attributes: [{ key: 'service.name', value: { stringValue: 'ranker' } }] },
  scopeSpans: [
    {
      scope: { name: 'remote' },
      spans: [
        { traceId, spanId, name: 'POST /rank', kind: 2, startTimeUnixNano: String(T0_NS), endTimeUnixNano: String(T0_NS + 50_000_000n) },
        {
          traceId,
          spanId: childId,
          parentSpanId: spanId,
          name: 'gpu.infer',
          kind: 1,
          startTimeUnixNano: String(T0_NS + 1_000_000n),
          endTimeUnixNano: String(T0_NS + 40_000_000n),
        },
      ],
    },
  ],
});
const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
const jaegerTrace = {
  traceID: TRACE,
  spans: [
    {
      traceID: TRACE,
      spanID: '00f067aa0ba902b7',
      operationName: 'POST /rank',
      references: [],
      startTime: 1_700_000_000_000_000,
      duration: 50_000,
      tags: [],
      logs: [],
      processID: 'p1',
    },
    {
      traceID: TRACE,
      spanID: '00f067aa0ba902b8',
      operationName: 'gpu.infer',
      references: [{ refType: 'CHILD_OF', traceID: TRACE, spanID: '00f067aa0ba902b7' }],
      startTime: 1_700_000_000_001_000,
      duration: 39_000,
      tags: [],
      logs: [],
      processID: 'p1',
    },
  ],
  processes: { p1: { serviceName: 'ranker', tags: [] } },
};
const zipkinTrace = [
  {
    traceId: TRACE,
    id: '00f067aa0ba902b7',
    name: 'post /rank',
    kind: 'SERVER',
    timestamp: 1_700_000_000_000_000,
    duration: 50_000,
    localEndpoint: { serviceName: 'ranker' },
  },
  {
    traceId: TRACE,
    id: '00f067aa0ba902b8',
    parentId: '00f067aa0ba902b7',
    name: 'gpu.infer',
    timestamp: 1_700_000_000_001_000,
    duration: 39_000,
    localEndpoint: { serviceName: 'ranker' },
  },
];

let server: http.Server;
let base: string;
const seen: string[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    seen.push(url.pathname + url.search);
    const json = (v: unknown): void => void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(v));
    const p = url.pathname;
    if (p.startsWith('/slow/')) return; // never answers
    if (p.startsWith('/jv3/')) {
      if (req.headers.authorization !== 'Bearer t0k3n') return void res.writeHead(401).end('unauthorized');
      if (p === '/jv3/api/v3/traces' && url.searchParams.get('query.service_name') === 'ranker')
        return json({ result: { resourceSpans: [otlpTrace(TRACE, '00f067aa0ba902b7', '00f067aa0ba902b8')] } });
      if (p === `/jv3/api/v3/traces/${TRACE}`) return json({ result: { resourceSpans: [otlpTrace(TRACE, '00f067aa0ba902b7', '00f067aa0ba902b8')] } });
    }
    if (p === '/j/api/traces' && url.searchParams.get('service') === 'ranker')
      return json({ data: [jaegerTrace], total: 0, limit: 0, offset: 0, errors: null });
    if (p === `/j/api/traces/${TRACE}`) return json({ data: [jaegerTrace] });
    if (p === '/tempo/api/search')
      return json({
        traces: [
          { traceID: TRACE.replace(/^0+/, ''), rootServiceName: 'ranker', rootTraceName: 'POST /rank', startTimeUnixNano: String(T0_NS), durationMs: 50 },
        ],
        metrics: { inspectedTraces: 1 },
      });
    if (p === `/tempo/api/traces/${TRACE}`) return json({ batches: [otlpTrace(b64(TRACE), b64('00f067aa0ba902b7'), b64('00f067aa0ba902b8'))] });
    if (p === '/zipkin/api/v2/traces') return json([zipkinTrace]);
    if (p === `/zipkin/api/v2/trace/${TRACE}`) return json(zipkinTrace);
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const SOURCES: [string, string, string[]][] = [
  ['jaeger-v3', '/jv3', ['--token', 't0k3n']],
  ['jaeger', '/j', []],
  ['tempo', '/tempo', []],
  ['zipkin', '/zipkin', []],
];

for (const [kind, prefix, auth] of SOURCES) {
  test(`${kind}: search, then pull a trace into a local dataset`, async () => {
    const found = await cliJson<{ traceId: string; rootServiceName?: string; rootSpanName?: string; durationMs?: number }[]>([
      'remote',
      'search',
      '--kind',
      kind,
      '--url',
      base + prefix,
      ...auth,
      '--service',
      'ranker',
      '--json',
    ]);
    assert.equal(found.length, 1);
    assert.equal(found[0]!.traceId, TRACE);
    assert.equal(found[0]!.rootServiceName, 'ranker');
    assert.match(found[0]!.rootSpanName!, /post \/rank/i);
    assert.equal(found[0]!.durationMs, 50);

    const db = path.join(tempDir(), `${kind}.db`);
    const pulled = await cliJson<{ datasetName: string; pulled: { spans: number }[]; failed: unknown[] }>([
      'remote',
      'pull',
      '--kind',
      kind,
      '--url',
      base + prefix,
      ...auth,
      '--db',
      db,
      '--dataset',
      `team-${kind}`,
      TRACE,
      '--json',
    ]);
    assert.deepEqual(pulled.failed, []);
    assert.equal(pulled.pulled[0]!.spans, 2);
    const t = await cliJson<OtlpJsonTraces>(['trace', '--db', db, '--dataset', `team-${kind}`, TRACE, '--json']);
    const spans = t.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const root = spans.find((s) => !s.parentSpanId)!;
    assert.equal(spans.length, 2);
    assert.equal(spans.find((s) => s.parentSpanId)!.parentSpanId, root.spanId);
    assert.equal(root.startTimeUnixNano, String(T0_NS));
    const datasets = await cliJson<{ name: string; kind: string; source: string }[]>(['datasets', '--db', db, '--json']);
    assert.equal(datasets[1]!.name, `team-${kind}`);
    assert.equal(datasets[1]!.kind, 'remote');
    assert.equal(datasets[1]!.source, `${kind} ${base}${prefix}`);
  });
}

test('remote errors say what happened', async () => {
  const wrongToken = await runCli(['remote', 'search', '--kind', 'jaeger-v3', '--url', base + '/jv3', '--token', 'nope', '--service', 'ranker']);
  assert.equal(wrongToken.code, 1);
  assert.match(wrongToken.stderr, /refused the credentials \(HTTP 401\)/);
  const slow = await runCli(['remote', 'search', '--kind', 'tempo', '--url', base + '/slow', '--timeout-ms', '300']);
  assert.match(slow.stderr, /no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.3 s/);
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
  const port = (closed.address() as { port: number }).port;
  closed.close();
  const unreachable = await runCli(['remote', 'search', '--kind', 'zipkin', '--url', `http://127.0.0.1:${port}`]);
  assert.match(unreachable.stderr, /cannot reach http:\/\/127\.0\.0\.1:\d+ \(connection refused\)/);
  const wrongPlace = await runCli(['remote', 'search', '--kind', 'tempo', '--url', base + '/nothing-here']);
  assert.match(wrongPlace.stderr, /not found .*is this a tempo server/);
  const missing = await runCli([
    'remote',
    'pull',
    '--kind',
    'zipkin',
    '--url',
    base + '/zipkin',
    '--db',
    path.join(tempDir(), 'm.db'),
    'f'.repeat(32),
    '--json',
  ]);
  assert.equal(missing.code, 1);
  assert.match(missing.stdout, /"failed":\[\{"traceId":"f{32}","error":"[^"]*not found/);
});
