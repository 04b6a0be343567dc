/**
 * A table of malformed requests against a running receiver: each gets its documented status
 * and a readable message, nothing reaches the store, and the server keeps serving.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import zlib from 'node:zlib';
import http from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { cliJson, startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import type { StoreStats } from '../../shared/model/telemetry.js';

let serve: ServeProcess;
let dbPath: string;
const MAX_BODY_MB = 1;

before(async () => {
  dbPath = path.join(tempDir(), 'bad.db');
  serve = await startServe(dbPath, ['--max-body-mb', String(MAX_BODY_MB)]);
});
after(async () => serve.stop());

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function post(pathname: string, body: Buffer | string, headers: Record<string, string>, method = 'POST', agent?: http.Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: serve.ports.otlpHttp,
        path: pathname,
        method,
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        ...(agent ? { agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    let answered = false;
    req.on('response', () => (answered = true));
    // A refused upload may lose its pipe while still writing; the answer can still come. If the
    // connection closes without one, that is a failure, not a wait without end.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    req.on('close', () => {
      if (!answered) reject(new Error(`the connection closed before any answer to ${method} ${pathname}`));
    });
    req.end(body);
  });
}

const PB = { 'Content-Type': 'application/x-protobuf' };
const JSON_CT = { 'Content-Type': 'application/json' };
const validJson = JSON.stringify({
  resourceSpans: [
    {
      scopeSpans: [
        { spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'ok', startTimeUnixNano: '1', endTimeUnixNano: '2' }] },
      ],
    },
  ],
});

/** A protobuf body that decodes but carries a span ID of the wrong length. */
function shortIdProtobuf(): Buffer {
  const span = Buffer.from([0x0a, 16, ...Buffer.alloc(16, 1), 0x12, 4, 1, 2, 3, 4, 0x2a, 1, 0x78]);
  const scopeSpans = Buffer.concat([Buffer.from([0x12, span.length]), span]);
  const resourceSpans = Buffer.concat([Buffer.from([0x12, scopeSpans.length]), scopeSpans]);
  return Buffer.concat([Buffer.from([0x0a, resourceSpans.length]), resourceSpans]);
}

interface Case {
  name: string;
  path?: string;
  method?: string;
  body: Buffer | string;
  headers: Record<string, string>;
  status: number;
  message: RegExp;
}

const CASES: Case[] = [
  { name: 'truncated protobuf', body: shortIdProtobuf().subarray(0, 20), headers: PB, status: 400, message: /invalid protobuf traces payload: .*at byte \d+/ },
  { name: 'wrong wire type', body: Buffer.from([0x0d, 1, 2, 3, 4]), headers: PB, status: 400, message: /resource_spans has wire type fixed32/ },
  { name: 'invalid JSON', body: '{"resourceSpans": [', headers: JSON_CT, status: 400, message: /invalid JSON/ },
  { name: 'JSON of the wrong shape', body: '{"resourceSpans": 7}', headers: JSON_CT, status: 400, message: /resourceSpans must be an array/ },
  { name: 'empty JSON body', body: '', headers: JSON_CT, status: 400, message: /invalid JSON/ },
  { name: 'IDs of the wrong length (protobuf)', body: shortIdProtobuf(), headers: PB, status: 200, message: /span_id has 4 bytes, expected 8/ },
  {
    name: 'IDs of the wrong length (JSON)',
    body: validJson.replace('b7ad6b7169203331', 'b7ad6b71'),
    headers: JSON_CT,
    status: 200,
    message: /rejectedSpans=1: .*spanId "b7ad6b71" is neither 16 hex characters/,
  },
  {
    name: 'gzip bomb',
    body: zlib.gzipSync(Buffer.alloc(MAX_BODY_MB * 1048576 * 20)),
    headers: { ...PB, 'Content-Encoding': 'gzip' },
    status: 413,
    message: /decompressed body is over the 1048576-byte limit/,
  },
  { name: 'invalid gzip', body: Buffer.from('not gzip at all'), headers: { ...PB, 'Content-Encoding': 'gzip' }, status: 400, message: /invalid gzip body/ },
  { name: 'oversized body', body: Buffer.alloc(MAX_BODY_MB * 1048576 + 1), headers: PB, status: 413, message: /over the 1048576-byte limit/ },
  { name: 'wrong content type', body: validJson, headers: { 'Content-Type': 'text/plain' }, status: 415, message: /unsupported Content-Type "text\/plain"/ },
  {
    name: 'unknown content encoding',
    body: validJson,
    headers: { ...JSON_CT, 'Content-Encoding': 'br' },
    status: 415,
    message: /unsupported Content-Encoding "br"/,
  },
  { name: 'wrong method', method: 'GET', body: '', headers: JSON_CT, status: 405, message: /GET is not allowed/ },
  { name: 'unknown path', path: '/v1/profiles', body: validJson, headers: JSON_CT, status: 404, message: /no OTLP endpoint at \/v1\/profiles/ },
];

/** Reads the message of a google.rpc.Status (protobuf) or of a JSON error/response body. */
function messageOf(r: Reply): string {
  if (String(r.headers['content-type']).includes('protobuf')) {
    return r.body.toString('latin1');
  }
  const text = r.body.toString('utf8');
  try {
    const v = JSON.parse(text) as { message?: string; partialSuccess?: { rejectedSpans?: string; errorMessage?: string } };
    if (v.partialSuccess) return `rejectedSpans=${v.partialSuccess.rejectedSpans}: ${v.partialSuccess.errorMessage}`;
    return v.message ?? text;
  } catch {
    return text;
  }
}

for (const c of CASES) {
  test(`bad input: ${c.name} → ${c.status}`, async () => {
    const before = await cliJson<StoreStats>(['stats', '--db', dbPath, '--json']);
    const r = await post(c.path ?? '/v1/traces', c.body, c.headers, c.method);
    assert.equal(r.status, c.status, messageOf(r));
    assert.match(messageOf(r), c.message);
    const after = await cliJson<StoreStats>(['stats', '--db', dbPath, '--json']);
    assert.equal(after.spans, before.spans, 'nothing from a bad request is stored');
  });
}

test('an upload far over the limit gets its 413 answer every time, not a reset', async () => {
  // The server reads and drops the rest: closing with unread bytes resets the connection, and
  // a client still writing lost the answer to it (19 of 30 here before). One keep-alive socket,
  // so each valid request after a refused one goes over the same connection.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < 8; i++) {
      const r = await post('/v1/traces', Buffer.alloc(8 * MAX_BODY_MB * 1048576), PB, 'POST', agent);
      assert.equal(r.status, 413, `upload ${i + 1}`);
      assert.match(messageOf(r), /over the 1048576-byte limit/);
      const next = await post('/v1/traces', validJson, JSON_CT, 'POST', agent);
      assert.equal(next.status, 200, `the request after upload ${i + 1}`);
    }
  } finally {
    agent.destroy();
  }
});

test('after all that, the server still accepts a valid request', async () => {
  const r = await post('/v1/traces', validJson, JSON_CT);
  assert.equal(r.status, 200);
  assert.equal(r.body.toString(), '{}');
  const stats = await cliJson<StoreStats>(['stats', '--db', dbPath, '--json']);
  assert.equal(stats.spans, 1);
});

test('gRPC: an undecodable payload gets INVALID_ARGUMENT, and a valid one is accepted', async () => {
  const client = new grpc.Client(`127.0.0.1:${serve.ports.otlpGrpc}`, grpc.credentials.createInsecure());
  const call = (body: Buffer): Promise<Buffer> =>
    new Promise((resolve, reject) =>
      client.makeUnaryRequest(
        '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        (b: Buffer) => b,
        (b: Buffer) => b,
        body,
        (err, res) => (err ? reject(err) : resolve(res!)),
      ),
    );
  await assert.rejects(
    call(Buffer.from([0x0d, 1, 2, 3, 4])),
    (e: grpc.ServiceError) => e.code === grpc.status.INVALID_ARGUMENT && /wire type fixed32/.test(e.details),
  );
  const partial = await call(shortIdProtobuf());
  assert.match(partial.toString('latin1'), /span_id has 4 bytes/);
  client.close();
});
