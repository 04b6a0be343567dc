/**
 * Remote senders over TLS with a token: `serve --tls-cert --tls-key --token` answers OTLP over
 * HTTPS and gRPC with TLS; without the token nothing is stored. The certificate is made by
 * openssl in the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as grpc from '@grpc/grpc-js';
import { cliJson, startServe, tempDir } from '../helpers/serve-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';
import type { StoreStats } from '../../shared/model/telemetry.js';

test('OTLP over HTTPS and gRPC+TLS, with a bearer token', async () => {
  const dir = tempDir('sightline-tls-');
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const ca = fs.readFileSync(cert);
  const dbPath = path.join(dir, 'tls.db');
  const serve = await startServe(dbPath, ['--tls-cert', cert, '--tls-key', key, '--token', 'sekrit']);
  try {
    const post = (auth: string | null): Promise<number> =>
      new Promise((resolve, reject) => {
        const body = syntheticTraceRequest('f'.repeat(31) + '1', 3);
        const req = https.request(
          {
            host: '127.0.0.1',
            port: serve.ports.otlpHttp,
            path: '/v1/traces',
            method: 'POST',
            ca,
            headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: auth } : {}) },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    assert.equal(await post(null), 401);
    assert.equal((await cliJson<StoreStats>(['stats', '--db', dbPath, '--json'])).spans, 0);
    assert.equal(await post('Bearer sekrit'), 200);

    // Plain HTTP to the TLS port does not get through.
    await assert.rejects(fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, { method: 'POST', body: '{}' }));

    const client = new grpc.Client(`localhost:${serve.ports.otlpGrpc}`, grpc.credentials.createSsl(ca));
    const meta = new grpc.Metadata();
    meta.set('authorization', 'Bearer sekrit');
    const call = (m: grpc.Metadata): Promise<grpc.ServiceError | null> =>
      new Promise((resolve) =>
        client.makeUnaryRequest(
          '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.alloc(0),
          m,
          (err) => resolve(err),
        ),
      );
    assert.equal((await call(new grpc.Metadata()))?.code, grpc.status.UNAUTHENTICATED);
    assert.equal(await call(meta), null);
    client.close();
    assert.equal((await cliJson<StoreStats>(['stats', '--db', dbPath, '--json'])).spans, 3);
  } finally {
    await serve.stop();
  }
});
