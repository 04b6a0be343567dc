/**
 * Issue #11, tried as an attacker and as a careless client would, against a real `sightline
 * serve`: malformed request targets, values nested thousands of levels deep, SQL-like search
 * keys, times outside int64 beside valid traffic, cross-site uploads, foreign Host headers.
 * After each, the server must still answer and keep what it accepted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { cliJson, runCli, startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { deepKvlist, keyValue, anyString, traceRequest, type ProtoSpan } from '../helpers/otlp-proto-writer.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';
import type { StoreStats, TraceSummary } from '../../shared/model/telemetry.js';

let serve: ServeProcess;
let dbPath: string;

before(async () => {
  dbPath = path.join(tempDir(), 'hostile.db');
  serve = await startServe(dbPath);
});
after(async () => serve.stop());

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = options.body ?? '';
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { ...options.headers, 'Content-Length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends raw bytes (a request line Node's client would refuse to send) and returns the status line. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
    let got = '';
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

const api = async <T>(method: string, body: unknown): Promise<{ status: number; result?: T; error?: string }> => {
  const r = await request(serve.ports.ui, {
    method: 'POST',
    path: `/api/${method}`,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, ...(JSON.parse(r.body) as { result?: T; error?: string }) };
};

const stats = (): Promise<StoreStats> => cliJson<StoreStats>(['stats', '--db', dbPath, '--json']);
const hex = (n: number): Buffer => randomBytes(n);
const MS = 1_000_000n;
const now = BigInt(Date.now()) * MS;

async function alive(): Promise<void> {
  const r = await request(serve.ports.ui, { path: '/' });
  assert.equal(r.status, 200, 'the UI still answers');
  const o = await request(serve.ports.otlpHttp, { method: 'POST', path: '/v1/traces', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(o.status, 200, 'the receiver still answers');
  assert.equal(serve.proc.exitCode, null, 'the process is still running');
}

const postProto = (body: Buffer, headers: Record<string, string> = {}): Promise<Reply> =>
  request(serve.ports.otlpHttp, { method: 'POST', path: '/v1/traces', headers: { 'Content-Type': 'application/x-protobuf', ...headers }, body });
const postJson = (body: unknown): Promise<Reply> =>
  request(serve.ports.otlpHttp, { method: 'POST', path: '/v1/traces', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

test('(1) malformed request targets are answered 400 on every port, and the process keeps serving', async () => {
  for (const port of [serve.ports.ui, serve.ports.otlpHttp]) {
    const escaped = await request(port, { path: '/%zz' });
    assert.ok(escaped.status >= 400 && escaped.status < 500, `GET /%zz → ${escaped.status}`);
    for (const target of ['http://[', '/%E0%A4%A', '*']) {
      const line = await rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
      assert.match(line, /^HTTP\/1\.1 4\d\d/, `GET ${target} on ${port}: ${line}`);
    }
  }
  const traversal = await request(serve.ports.ui, { path: '/..%2f..%2f..%2fetc%2fpasswd' });
  assert.ok(
    traversal.status === 403 || traversal.status === 404 || traversal.status === 400 || (traversal.status === 200 && !traversal.body.includes('root:')),
  );
  await alive();
});

test('(2) a value nested 5,000 levels deep is rejected alone, by protobuf and by JSON; its neighbours are stored and readable', async () => {
  const traceId = hex(16);
  const good: ProtoSpan = {
    traceId,
    spanId: hex(8),
    name: 'neighbour',
    startTimeUnixNano: now,
    endTimeUnixNano: now + 5n * MS,
    attributes: [keyValue('ok', anyString('yes'))],
  };
  const deep: ProtoSpan = {
    traceId,
    spanId: hex(8),
    name: 'deep',
    startTimeUnixNano: now,
    endTimeUnixNano: now + MS,
    attributes: [keyValue('bomb', deepKvlist(5000))],
  };
  const r = await postProto(traceRequest('nesting', [good, deep]));
  assert.equal(r.status, 200);
  assert.ok(r.body.length > 0, 'a partial_success names the rejected span');

  // JSON: the same bomb as OTLP JSON (built as text: JSON.stringify itself overflows at this depth).
  const bomb = '{"kvlistValue":{"values":[{"key":"k","value":'.repeat(5000) + '{"stringValue":"bottom"}' + '}]}}'.repeat(5000);
  const jsonTrace = hex(16).toString('hex');
  const span = (name: string, attributes: string): string =>
    `{"traceId":"${jsonTrace}","spanId":"${hex(8).toString('hex')}","name":"${name}","startTimeUnixNano":"${now}","endTimeUnixNano":"${now + MS}","attributes":${attributes}}`;
  const j = await request(serve.ports.otlpHttp, {
    method: 'POST',
    path: '/v1/traces',
    headers: { 'Content-Type': 'application/json' },
    body: `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"nesting-json"}}]},"scopeSpans":[{"spans":[${span('deep', `[{"key":"bomb","value":${bomb}}]`)},${span('neighbour', '[]')}]}]}]}`,
  });
  assert.equal(j.status, 200);
  assert.match(j.body, /"rejectedSpans":"1".*nested more than 32 levels/);

  // The trace opens (CLI and API), searches that read attributes work, export works.
  const shown = await runCli(['trace', traceId.toString('hex'), '--db', dbPath, '--json']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /neighbour/);
  assert.doesNotMatch(shown.stdout, /bomb/);
  const opened = await api<{ spans: unknown[] }>('getTrace', { traceId: traceId.toString('hex') });
  assert.equal(opened.status, 200, opened.error);
  for (const attributes of [[{ key: 'ok', op: 'exists' }], [{ key: 'ok', op: 'ne', value: 'no' }], [{ key: 'ok', op: 'gt', value: 1 }]]) {
    const found = await api<TraceSummary[]>('searchTraces', { attributes });
    assert.equal(found.status, 200, found.error);
  }
  const exported = await runCli(['export', '--db', dbPath, '--out', path.join(tempDir(), 'x.jsonl')]);
  assert.equal(exported.code, 0, exported.stderr);
  await alive();
});

test('(3) search keys and values are data, never SQL: quotes, %, _, backslashes and non-ASCII text are found, injections find nothing', async () => {
  const traceId = hex(16);
  const keys: [string, string][] = [
    ["it's", "o'brien"],
    ['say "hi"', 'a "quoted" value'],
    ['100%_sure', '50%_off'],
    ['C:\\path\\key', 'C:\\Users\\Ünïcode'],
    ['ключ', 'ΣΊΣΥΦΟΣ'],
  ];
  const span: ProtoSpan = {
    traceId,
    spanId: hex(8),
    name: 'Grüße aus Köln',
    startTimeUnixNano: now,
    endTimeUnixNano: now + MS,
    attributes: keys.map(([k, v]) => keyValue(k, anyString(v))),
  };
  assert.equal((await postProto(traceRequest('search-me', [span]))).status, 200);
  const id = traceId.toString('hex');
  for (const [key, value] of keys) {
    const eq = await api<TraceSummary[]>('searchTraces', { attributes: [{ key, op: 'eq', value }] });
    assert.equal(eq.status, 200, `${key}: ${eq.error}`);
    assert.ok(
      eq.result!.some((t) => t.traceId === id),
      `key=${key} value=${value} is found`,
    );
    const exists = await api<TraceSummary[]>('searchTraces', { attributes: [{ key, op: 'exists' }] });
    assert.ok(
      exists.result!.some((t) => t.traceId === id),
      `${key}? is found`,
    );
  }
  // Free text, case-insensitively, beyond ASCII.
  for (const text of ['GRÜSSE'.toLowerCase().replace('ss', 'ß'), 'KÖLN', 'σίσυφος', 'ünïcode', '50%_OFF', 'c:\\users']) {
    const found = await api<TraceSummary[]>('searchTraces', { text });
    assert.equal(found.status, 200, found.error);
    assert.ok(
      found.result!.some((t) => t.traceId === id),
      `text "${text}" is found`,
    );
  }
  // What used to run as SQL is now a key nobody has.
  for (const key of ["x'||(SELECT group_concat(name) FROM sqlite_master)||'", "'", '"', "') OR 1=1 --", '$.a[0]']) {
    const r = await api<TraceSummary[]>('searchTraces', { attributes: [{ key, op: 'exists' }] });
    assert.equal(r.status, 200, `${key}: ${r.error}`);
    assert.deepEqual(r.result, [], `${key} matches nothing`);
  }
  await alive();
});

test('(5) times outside int64 are rejected item by item; valid requests sent at the same moment are all stored', async () => {
  const before = await stats();
  const valid = (i: number): Promise<Reply> => {
    const traceId = hex(16);
    return postProto(traceRequest('steady', [{ traceId, spanId: hex(8), name: `ok-${i}`, startTimeUnixNano: now, endTimeUnixNano: now + MS }]));
  };
  const badTimes = [2n ** 63n, 2n ** 64n - 1n];
  const badProto = badTimes.map((t) =>
    postProto(traceRequest('bad-time', [{ traceId: hex(16), spanId: hex(8), name: 'future', startTimeUnixNano: t, endTimeUnixNano: t }])),
  );
  const badJson = ['9223372036854775808', 1e30, '-9223372036854775809', '-1'].map((t) =>
    postJson({
      resourceSpans: [
        {
          scopeSpans: [
            { spans: [{ traceId: hex(16).toString('hex'), spanId: hex(8).toString('hex'), name: 'bad', startTimeUnixNano: t, endTimeUnixNano: t }] },
          ],
        },
      ],
    }),
  );
  const replies = await Promise.all([...Array.from({ length: 60 }, (_, i) => valid(i)), ...badProto, ...badJson]);
  const validReplies = replies.slice(0, 60);
  assert.deepEqual(
    validReplies.map((r) => r.status),
    validReplies.map(() => 200),
    'no valid request failed beside the bad ones',
  );
  for (const r of replies.slice(60)) {
    assert.equal(r.status, 200, 'a bad time is an item problem, not a retryable failure');
    assert.ok(r.body.length > 0, 'and is reported in partial_success');
  }
  const after = await stats();
  assert.equal(after.spans - before.spans, 60, 'exactly the 60 valid spans were stored');
  await alive();
});

test('(7) cross-site uploads and foreign Host headers are refused; nothing is created', async () => {
  const datasets = async (): Promise<string[]> => (await api<{ name: string }[]>('listDatasets', {})).result!.map((d) => d.name);
  const before = await datasets();
  const upload = (headers: Record<string, string>): Promise<Reply> =>
    request(serve.ports.ui, { method: 'POST', path: '/api/upload?name=evil.json', headers, body: '{"resourceSpans":[]}' });
  assert.equal((await upload({ 'Content-Type': 'text/plain' })).status, 415, 'a simple (unpreflighted) content type is refused');
  assert.equal((await upload({ 'Content-Type': 'application/octet-stream', Origin: 'https://evil.example' })).status, 403);
  assert.equal((await upload({ 'Content-Type': 'application/octet-stream', 'Sec-Fetch-Site': 'cross-site' })).status, 403);
  assert.equal((await upload({ 'Content-Type': 'application/octet-stream', Host: `evil.example:${serve.ports.ui}` })).status, 421);
  const api403 = await request(serve.ports.ui, {
    method: 'POST',
    path: '/api/listDatasets',
    headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
    body: '{}',
  });
  assert.equal(api403.status, 403, 'the API refuses other sites too');
  assert.deepEqual(await datasets(), before, 'no dataset was created');

  const rebinding = await request(serve.ports.otlpHttp, {
    method: 'POST',
    path: '/v1/traces',
    headers: { 'Content-Type': 'application/json', Host: `attacker.example:${serve.ports.otlpHttp}` },
    body: JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: hex(16).toString('hex'), spanId: hex(8).toString('hex'), name: 'rebound' }] }] }],
    }),
  });
  assert.equal(rebinding.status, 421, 'a loopback receiver refuses a foreign Host (DNS rebinding)');
  for (const host of [`localhost:${serve.ports.otlpHttp}`, `127.0.0.1:${serve.ports.otlpHttp}`]) {
    const ok = await request(serve.ports.otlpHttp, {
      method: 'POST',
      path: '/v1/traces',
      headers: { 'Content-Type': 'application/json', Host: host },
      body: '{}',
    });
    assert.equal(ok.status, 200, host);
  }
  // Our own page may upload.
  const own = await upload({ 'Content-Type': 'application/octet-stream', Origin: `http://127.0.0.1:${serve.ports.ui}`, 'Sec-Fetch-Site': 'same-origin' });
  assert.equal(own.status, 200, own.body);
  await alive();
});

test('(7) the bearer scheme is case-insensitive', async () => {
  const tokenServe = await startServe(path.join(tempDir(), 'token.db'), ['--token', 'sekrit-token-1']);
  try {
    const send = (authorization: string): Promise<Reply> =>
      request(tokenServe.ports.otlpHttp, {
        method: 'POST',
        path: '/v1/traces',
        headers: { 'Content-Type': 'application/json', Authorization: authorization },
        body: '{}',
      });
    for (const auth of ['Bearer sekrit-token-1', 'bearer sekrit-token-1', 'BEARER  sekrit-token-1']) assert.equal((await send(auth)).status, 200, auth);
    for (const auth of ['Bearer wrong', 'sekrit-token-1', 'Basic sekrit-token-1', 'bearer sekrit-token-']) assert.equal((await send(auth)).status, 401, auth);
  } finally {
    await tokenServe.stop();
  }
});

test('(4) ordinary requests beside a pathological one (16 MiB of e-mail addresses to redact) are answered before it', { timeout: 180_000 }, async () => {
  const value = 'someone@example.com '.repeat(800_000);
  const big = traceRequest('pathological', [
    { traceId: hex(16), spanId: hex(8), name: 'huge', startTimeUnixNano: now, endTimeUnixNano: now + MS, attributes: [keyValue('text', anyString(value))] },
  ]);
  let bigDoneAt = 0;
  const bigReply = postProto(big).then((r) => ((bigDoneAt = performance.now()), r));
  await new Promise((r) => setTimeout(r, 300)); // the big one is received and being redacted
  const smallDoneAt: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await postProto(
      traceRequest('beside', [{ traceId: hex(16), spanId: hex(8), name: `small-${i}`, startTimeUnixNano: now, endTimeUnixNano: now + MS }]),
    );
    assert.equal(r.status, 200, r.body);
    smallDoneAt.push(performance.now());
  }
  assert.equal((await bigReply).status, 200);
  assert.ok(
    smallDoneAt.every((t) => t < bigDoneAt),
    'each ordinary request was answered while the pathological one was still being processed, not after it',
  );
  const stored = await api<TraceSummary[]>('searchTraces', { text: 'someone@example.com' });
  assert.deepEqual(stored.result, [], 'and every address in it was redacted');
});

test(
  '(6) over capacity the receiver refuses at once with Retry-After (gRPC: RESOURCE_EXHAUSTED + RetryInfo) and loses nothing it acknowledged',
  { timeout: 180_000 },
  async () => {
    const db = path.join(tempDir(), 'tight.db');
    const tight = await startServe(db, ['--max-queue-mb', '1', '--max-queue-wait-ms', '20']);
    try {
      const attrs = Array.from({ length: 40 }, (_, k) => keyValue(`attr.${k}`, anyString('x'.repeat(200))));
      const body = (): Buffer =>
        traceRequest(
          'burst',
          Array.from({ length: 50 }, (_, k) => ({
            traceId: hex(16),
            spanId: hex(8),
            name: `s${k}`,
            startTimeUnixNano: now,
            endTimeUnixNano: now + MS,
            attributes: attrs,
          })),
        );
      const replies = await Promise.all(
        Array.from({ length: 120 }, () =>
          request(tight.ports.otlpHttp, { method: 'POST', path: '/v1/traces', headers: { 'Content-Type': 'application/x-protobuf' }, body: body() }),
        ),
      );
      const refused = replies.filter((r) => r.status === 503);
      const accepted = replies.filter((r) => r.status === 200);
      assert.ok(refused.length > 0, 'the burst is more than a 1 MiB queue holds');
      assert.ok(accepted.length > 0);
      assert.deepEqual([...new Set(replies.map((r) => r.status))].sort(), [200, 503]);
      for (const r of refused) assert.ok(Number(r.headers['retry-after']) >= 1, `Retry-After: ${r.headers['retry-after']}`);
      const stats = await cliJson<StoreStats>(['stats', '--db', db, '--json']);
      assert.equal(stats.spans, accepted.length * 50, 'every acknowledged span is stored, nothing else');

      // gRPC: the throttling answer the OTLP specification asks for.
      const { Client, credentials, Metadata, status } = await import('@grpc/grpc-js');
      const client = new Client(`127.0.0.1:${tight.ports.otlpGrpc}`, credentials.createInsecure());
      const codes = await Promise.all(
        Array.from(
          { length: 120 },
          () =>
            new Promise<{ code: number; details: Buffer | undefined }>((resolve) =>
              client.makeUnaryRequest(
                '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
                (b: Buffer) => b,
                (b: Buffer) => b,
                body(),
                new Metadata(),
                (err) => resolve({ code: err?.code ?? 0, details: err?.metadata?.get('grpc-status-details-bin')[0] as Buffer | undefined }),
              ),
            ),
        ),
      );
      client.close();
      const exhausted = codes.filter((c) => c.code === status.RESOURCE_EXHAUSTED);
      assert.ok(exhausted.length > 0, `codes ${[...new Set(codes.map((c) => c.code))]}`);
      for (const c of exhausted) assert.ok(c.details && c.details.includes('type.googleapis.com/google.rpc.RetryInfo'), 'with a RetryInfo detail');
    } finally {
      await tight.stop();
    }
  },
);

test(
  '(6) a request that exhausts a decoder thread is refused alone (400); a new decoder takes over and nothing else is lost',
  { timeout: 120_000 },
  async () => {
    // A tight decoder heap stands in for a hostile body: the 1 MiB request below (340,000 empty
    // values in one array) takes far more than that to parse.
    const db = path.join(tempDir(), 'heap.db');
    const tight = await startServe(db, ['--decoder-heap-mb', '16']);
    try {
      const send = (body: string): Promise<Reply> =>
        request(tight.ports.otlpHttp, { method: 'POST', path: '/v1/traces', headers: { 'Content-Type': 'application/json' }, body });
      assert.equal((await send(syntheticTraceRequest('a'.repeat(32), 3))).status, 200);
      const values = `[${new Array(340_000).fill('{}').join(',')}]`;
      const heavy = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${'b'.repeat(32)}","spanId":"${'c'.repeat(16)}","name":"heavy","startTimeUnixNano":"1","endTimeUnixNano":"2","attributes":[{"key":"many","value":{"arrayValue":{"values":${values}}}}]}]}]}]}`;
      assert.ok(heavy.length < 1024 * 1024, 'small enough for the fast lane');
      const refused = await send(heavy);
      assert.equal(refused.status, 400, refused.body);
      assert.match(refused.body, /stopped the fast decoder.*not stored/);
      for (let i = 1; i <= 3; i++)
        assert.equal((await send(syntheticTraceRequest(String(i).repeat(32), 3))).status, 200, 'the next requests are served by a new decoder');
      const stats = await cliJson<StoreStats>(['stats', '--db', db, '--json']);
      assert.equal(stats.spans, 12, 'the four small requests are stored, the refused one is not');
      assert.match(tight.stderr(), /a new one takes over/);
    } finally {
      await tight.stop();
    }
  },
);
