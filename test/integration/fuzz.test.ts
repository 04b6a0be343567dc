/**
 * Mutation fuzzing (issue #11): SDK-made OTLP requests of every signal, mutated byte-wise and
 * structurally with a fixed seed, sent to both receivers (HTTP protobuf and JSON, plain and
 * gzip; gRPC), and archive files of every format mutated and imported. After each case: the
 * server still answers, a valid request is still accepted and stored, and every so often
 * SQLite's `PRAGMA integrity_check` says ok. Bounded by FUZZ_SECONDS per target (default 40);
 * FUZZ_SEED picks another sequence (the seed is printed, so a failure can be replayed).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import http from 'node:http';
import * as grpc from '@grpc/grpc-js';
import Database from 'better-sqlite3';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { otlpCorpus, type CorpusEntry, type CorpusSignal } from '../helpers/otlp-corpus.js';
import { mutateBytes, mutateJson, prng } from '../helpers/mutate.js';
import { openWriter } from '../../electron/core/store/open-store.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { ensureDataset } from '../../electron/core/store/datasets.js';
import { importFile } from '../../electron/core/importers/import-file.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261202);
const SECONDS = Number(process.env['FUZZ_SECONDS'] ?? 40);
const MAX_BODY_BYTES = 4 * 1048576;
const PATHS: Record<CorpusSignal, string> = { traces: '/v1/traces', metrics: '/v1/metrics', logs: '/v1/logs' };
const GRPC_PATHS: Record<CorpusSignal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

let serve: ServeProcess;
let dbPath: string;
let corpus: CorpusEntry[];
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

before(async () => {
  process.stderr.write(`fuzz: seed ${SEED} (FUZZ_SEED=${SEED} replays it), ${SECONDS} s per target\n`);
  corpus = await otlpCorpus();
  dbPath = path.join(tempDir('sightline-fuzz-'), 'fuzz.db');
  serve = await startServe(dbPath, ['--max-body-mb', String(MAX_BODY_BYTES / 1048576)]);
});
after(async () => {
  agent.destroy();
  await serve.stop();
});

/** POSTs a body; a server that refuses an oversized body may close the connection before the client has written it all (status 0 then). */
function post(port: number, pathname: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      { host: '127.0.0.1', port, path: pathname, method: 'POST', agent, headers: { ...headers, 'Content-Length': String(body.length) } },
      (res) => {
        answered = true;
        let text = '';
        res.setEncoding('latin1');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ECONNRESET') reject(e);
    });
    req.on('close', () => {
      if (!answered) resolve({ status: 0, body: 'connection closed before an answer' });
    });
    req.end(body);
  });
}

const spansStored = async (): Promise<number> => {
  const r = await fetch(`http://127.0.0.1:${serve.ports.ui}/api/getStats`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  return ((await r.json()) as { result: { spans: number } }).result.spans;
};

function integrityOk(file: string): void {
  const db = new Database(file, { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    db.close();
  }
}

/** The server still answers, and a fresh valid request is accepted and stored. */
async function liveAndStoring(label: string): Promise<void> {
  assert.equal(serve.proc.exitCode, null, `${label}: the server exited`);
  const before = await spansStored();
  const seed = corpus[0]!;
  const fresh = Buffer.from(
    seed.json.toString('utf8').replace(/"traceId":"[0-9a-f]{32}"/g, `"traceId":"${Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32)}"`),
  );
  const r = await post(serve.ports.otlpHttp, '/v1/traces', fresh, { 'Content-Type': 'application/json' });
  assert.equal(r.status, 200, `${label}: a valid request after it got ${r.status} ${r.body}`);
  assert.ok((await spansStored()) > before, `${label}: the valid request was stored`);
}

/** Statuses a receiver may answer malformed input with; never 5xx (which SDKs retry forever). */
const ACCEPTABLE = new Set([200, 400, 413, 415]);

test('fuzz: both receivers, every signal, protobuf and JSON, plain and gzip', async () => {
  const random = prng(SEED);
  const client = new grpc.Client(`127.0.0.1:${serve.ports.otlpGrpc}`, grpc.credentials.createInsecure());
  const grpcCall = (signal: CorpusSignal, body: Buffer): Promise<grpc.status> =>
    new Promise((resolve) => {
      client.makeUnaryRequest(
        GRPC_PATHS[signal],
        (b: Buffer) => b,
        (b: Buffer) => b,
        body,
        (err) => resolve(err ? (err.code ?? grpc.status.UNKNOWN) : grpc.status.OK),
      );
    });
  const deadline = Date.now() + SECONDS * 1000;
  let cases = 0;
  const statuses = new Map<string, number>();
  try {
    while (Date.now() < deadline) {
      const seed = corpus[Math.floor(random() * corpus.length)]!;
      const useJson = random() < 0.5;
      const body = useJson
        ? mutateJson(seed.json, random)
        : mutateBytes(
            seed.protobuf,
            random,
            corpus.map((c) => c.protobuf),
          );
      const label = `case ${cases} (${seed.signal}, ${useJson ? 'json' : 'protobuf'})`;
      if (!useJson && random() < 0.25) {
        const code = await grpcCall(seed.signal, body);
        assert.ok([grpc.status.OK, grpc.status.INVALID_ARGUMENT, grpc.status.RESOURCE_EXHAUSTED].includes(code), `${label} over gRPC: status ${code}`);
        statuses.set(`grpc ${code}`, (statuses.get(`grpc ${code}`) ?? 0) + 1);
      } else {
        const gzip = random() < 0.2;
        const r = await post(serve.ports.otlpHttp, PATHS[seed.signal], gzip ? zlib.gzipSync(body) : body, {
          'Content-Type': useJson ? 'application/json' : 'application/x-protobuf',
          ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
        });
        const closedOnOversize = r.status === 0 && body.length > MAX_BODY_BYTES;
        assert.ok(ACCEPTABLE.has(r.status) || closedOnOversize, `${label}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
        statuses.set(`http ${r.status}`, (statuses.get(`http ${r.status}`) ?? 0) + 1);
      }
      cases++;
      if (cases % 10 === 0) await liveAndStoring(label);
      if (cases % 200 === 0) integrityOk(dbPath);
    }
    await liveAndStoring('after the last case');
    integrityOk(dbPath);
  } finally {
    client.close();
  }
  process.stderr.write(`fuzz: ${cases} receiver cases: ${[...statuses].map(([k, v]) => `${k} ×${v}`).join(', ')}\n`);
  assert.ok(cases > 100, `only ${cases} cases ran`);
});

test('fuzz: archive files of every format, mutated, imported', async () => {
  const random = prng(SEED + 1);
  const dir = tempDir('sightline-fuzz-archives-');
  const store = path.join(dir, 'archives.db');
  const db = openWriter(store, { cacheMb: 8 });
  const writer = new IngestWriter(db);
  const dataset = ensureDataset(db, 'fuzz', 'import', 'fuzz');
  const traces = corpus.find((c) => c.signal === 'traces')!;
  const frame = (m: Buffer): Buffer =>
    Buffer.concat([Buffer.from([(m.length >>> 24) & 255, (m.length >>> 16) & 255, (m.length >>> 8) & 255, m.length & 255]), m]);
  const jaeger = Buffer.from(
    JSON.stringify({
      data: [
        {
          traceID: 'abc',
          spans: [
            {
              traceID: 'abc',
              spanID: '1',
              operationName: 'op',
              references: [],
              startTime: 1_700_000_000_000_000,
              duration: 10,
              tags: [{ key: 'k', type: 'string', value: 'v' }],
              logs: [],
              processID: 'p1',
            },
          ],
          processes: { p1: { serviceName: 'svc', tags: [] } },
        },
      ],
    }),
  );
  const zipkin = Buffer.from(
    JSON.stringify([
      { traceId: '5af7183fb1d4cf5f', id: '6b221d5bc9e6496c', name: 'get', timestamp: 1_700_000_000_000_000, duration: 5, localEndpoint: { serviceName: 'a' } },
    ]),
  );
  const seeds: Buffer[] = [
    Buffer.concat(corpus.map((c) => Buffer.concat([c.json, Buffer.from('\n')]))),
    traces.protobuf,
    Buffer.concat(corpus.map((c) => frame(c.protobuf))),
    jaeger,
    zipkin,
  ];
  const deadline = Date.now() + SECONDS * 1000;
  let cases = 0;
  try {
    while (Date.now() < deadline) {
      const seed = seeds[Math.floor(random() * seeds.length)]!;
      const isJson = seed[0] === 0x7b || seed[0] === 0x5b;
      let data = isJson && random() < 0.6 ? mutateJson(seed, random) : mutateBytes(seed, random, seeds);
      if (random() < 0.2) data = zlib.gzipSync(data);
      if (random() < 0.1) data = data.subarray(0, Math.floor(random() * data.length)); // cut after compression
      const file = path.join(dir, `case-${cases}.bin`);
      fs.writeFileSync(file, data);
      const summary = await importFile(file, writer, { dataset });
      assert.ok(
        summary.spans >= 0 && summary.issues.every((i) => typeof i.reason === 'string' && i.reason.length > 0),
        `case ${cases}: every problem has a reason`,
      );
      fs.rmSync(file);
      cases++;
      if (cases % 100 === 0) integrityOk(store);
    }
    // After all that, a valid file still imports in full.
    const good = path.join(dir, 'good.jsonl');
    fs.writeFileSync(good, traces.json.toString('utf8').replace(/"traceId":"[0-9a-f]{32}"/g, '"traceId":"0123456789abcdef0123456789abcdef"') + '\n');
    const summary = await importFile(good, writer, { dataset });
    assert.ok(summary.spans + summary.duplicateSpans > 0 && summary.badRecords === 0);
    integrityOk(store);
  } finally {
    db.close();
  }
  process.stderr.write(`fuzz: ${cases} archive cases\n`);
  assert.ok(cases > 50, `only ${cases} cases ran`);
});
