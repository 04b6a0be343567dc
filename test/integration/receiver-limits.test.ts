/**
 * Backpressure and authentication: a full write queue answers 503 with Retry-After (and
 * loses nothing it accepted); a receiver with a token refuses requests without it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { cliJson, startServe, tempDir } from '../helpers/serve-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';
import type { StoreStats } from '../../shared/model/telemetry.js';

function bigRequest(seed: number, spans: number): string {
  return syntheticTraceRequest((seed + 1).toString(16).padStart(32, 'a'), spans, { service: 'load', attributesPerSpan: 10 });
}

test('a full write queue answers 503 with Retry-After and keeps every accepted span', async () => {
  const dbPath = path.join(tempDir(), 'queue.db');
  const serve = await startServe(dbPath, ['--max-queue-mb', '1', '--max-body-mb', '4']);
  try {
    const SPANS = 1500;
    const bodies = Array.from({ length: 24 }, (_, i) => bigRequest(i, SPANS));
    const replies = await Promise.all(
      bodies.map((body) =>
        fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).then(
          async (r) => ({
            status: r.status,
            retryAfter: r.headers.get('retry-after'),
            text: await r.text(),
          }),
        ),
      ),
    );
    const ok = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 503);
    assert.equal(ok.length + refused.length, replies.length, JSON.stringify(replies.map((r) => r.status)));
    assert.ok(refused.length > 0, 'some requests were refused while the queue was full');
    for (const r of refused) {
      assert.ok(Number(r.retryAfter) >= 1, `Retry-After: ${r.retryAfter}`);
      assert.match(r.text, /write queue is full.*retry later/);
    }
    const stats = await cliJson<StoreStats>(['stats', '--db', dbPath, '--json']);
    assert.equal(stats.spans, ok.length * SPANS, 'every acknowledged span is stored, nothing else');
  } finally {
    await serve.stop();
  }
});

test('a request the full queue would refuse is answered 503 from its headers, before its body is read', async () => {
  // A big request fills the bulk lane (over 1 MiB, and the queue is 1 MiB); while it is decoded
  // and committed, a second one declaring 3 MB is refused on its Content-Length alone: it sends
  // no body at all and still gets its answer. If the first was already committed when the second
  // arrived (a fast machine), the round is tried again with a bigger first request.
  const dbPath = path.join(tempDir(), 'early-refusal.db');
  const serve = await startServe(dbPath, ['--max-queue-mb', '1', '--max-body-mb', '32']);
  try {
    let answer: { status: number; retryAfter: string | undefined; text: string } | null = null;
    let accepted = 0;
    for (let round = 0; round < 4 && answer === null; round++) {
      const spans = 6000 * 2 ** round;
      const first = fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: bigRequest(100 + round, spans),
      });
      await new Promise((r) => setTimeout(r, 150));
      answer = await new Promise((resolve) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: serve.ports.otlpHttp,
            path: '/v1/traces',
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'Content-Length': 3_000_000 },
          },
          (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () => {
              clearTimeout(timer);
              req.destroy();
              resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], text });
            });
          },
        );
        req.on('error', () => undefined);
        req.flushHeaders(); // headers only: the body is never written
        const timer = setTimeout(() => {
          req.destroy();
          resolve(null);
        }, 3000);
      });
      if ((await first).status === 200) accepted += spans;
    }
    assert.ok(answer, 'the request without a body was answered');
    assert.equal(answer.status, 503);
    assert.ok(Number(answer.retryAfter) >= 1, `Retry-After: ${answer.retryAfter}`);
    assert.match(answer.text, /write queue is full.*retry later/);
    const stats = await cliJson<StoreStats>(['stats', '--db', dbPath, '--json']);
    assert.equal(stats.spans, accepted, 'the big requests were stored, nothing of the refused one');
  } finally {
    await serve.stop();
  }
});

test('with a token, requests without it get 401 and store nothing', async () => {
  const dbPath = path.join(tempDir(), 'token.db');
  const serve = await startServe(dbPath, ['--token', 's3cret-token']);
  try {
    const url = `http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`;
    const body = bigRequest(1, 2);
    const denied = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    assert.equal(denied.status, 401);
    const wrong = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer nope' }, body });
    assert.equal(wrong.status, 401);
    assert.equal((await cliJson<StoreStats>(['stats', '--db', dbPath, '--json'])).spans, 0);
    const allowed = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer s3cret-token' }, body });
    assert.equal(allowed.status, 200);
    assert.equal((await cliJson<StoreStats>(['stats', '--db', dbPath, '--json'])).spans, 2);
  } finally {
    await serve.stop();
  }
});

test('gRPC: a full write queue answers RESOURCE_EXHAUSTED (with RetryInfo) and keeps every accepted span', async () => {
  const { makeSpans, encodeRequest, ReplayableBody } = await import('../bench/realistic-traces.js');
  const grpc = await import('@grpc/grpc-js');
  const dbPath = path.join(tempDir(), 'grpc-queue.db');
  const serve = await startServe(dbPath, ['--max-queue-mb', '1']);
  const client = new grpc.Client(`127.0.0.1:${serve.ports.otlpGrpc}`, grpc.credentials.createInsecure());
  try {
    const spans = await makeSpans(400, 7);
    const body = new ReplayableBody(encodeRequest(spans), spans);
    const call = (payload: Buffer): Promise<number> =>
      new Promise((resolve) =>
        client.makeUnaryRequest(
          '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
          (b: Buffer) => b,
          (b: Buffer) => b,
          payload,
          (err) => resolve(err ? err.code : grpc.status.OK),
        ),
      );
    const codes = await Promise.all(Array.from({ length: 24 }, (_, i) => call(body.replay(i + 1))));
    const ok = codes.filter((c) => c === grpc.status.OK).length;
    assert.ok(
      codes.every((c) => c === grpc.status.OK || c === grpc.status.RESOURCE_EXHAUSTED),
      JSON.stringify(codes),
    );
    assert.ok(ok < codes.length, 'some calls were refused while the queue was full');
    const stats = await cliJson<StoreStats>(['stats', '--db', dbPath, '--json']);
    assert.equal(stats.spans, ok * body.spanCount);
  } finally {
    client.close();
    await serve.stop();
  }
});
