/**
 * `sightline import` on real files of every supported format and compression, detected from
 * content (file names lie here on purpose), and on broken files: the good records are kept,
 * the bad ones reported with line or byte offset, and nothing imported before is touched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { makeSpans } from '../bench/realistic-traces.js';
import { cliJson, runCli, tempDir } from '../helpers/serve-process.js';
import type { OtlpJsonTraces } from '../../electron/core/store/otlp-trace-export.js';
import type { StoreStats } from '../../shared/model/telemetry.js';
import type { ImportSummary } from '../../electron/core/importers/import-file.js';

const dir = tempDir('sightline-import-');
const write = (name: string, data: Buffer | string): string => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return p;
};
const zstd = (data: Buffer): Buffer => execFileSync('zstd', ['-q', '-c'], { input: data });
const be32Frame = (m: Uint8Array): Buffer => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(m.length);
  return Buffer.concat([len, m]);
};
const varintFrame = (m: Uint8Array): Buffer => {
  const bytes: number[] = [];
  let n = m.length;
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  bytes.push(n);
  return Buffer.concat([Buffer.from(bytes), m]);
};

interface ImportOutput {
  files: ImportSummary[];
  totals: { spans: number; rejected: number; badRecords: number };
}
async function importInto(db: string, file: string, dataset?: string): Promise<{ code: number; out: ImportOutput }> {
  const r = await runCli(['import', file, '--db', db, '--json', ...(dataset ? ['--dataset', dataset] : [])]);
  return { code: r.code, out: JSON.parse(r.stdout) as ImportOutput };
}

const spansA = await makeSpans(20, 11);
const spansB = await makeSpans(20, 12);
const jsonA = Buffer.from(JsonTraceSerializer.serializeRequest(spansA)!);
const jsonB = Buffer.from(JsonTraceSerializer.serializeRequest(spansB)!);
const protoA = Buffer.from(ProtobufTraceSerializer.serializeRequest(spansA)!);
const protoB = Buffer.from(ProtobufTraceSerializer.serializeRequest(spansB)!);
const both = spansA.length + spansB.length;

const jaeger = {
  data: [
    {
      traceID: '00000000000000000000000000abcdef',
      spans: [
        {
          traceID: 'abcdef',
          spanID: '1',
          operationName: 'GET /rank',
          references: [],
          startTime: 1_700_000_000_000_000,
          duration: 120_000,
          tags: [
            { key: 'span.kind', type: 'string', value: 'server' },
            { key: 'http.status_code', type: 'int64', value: 200 },
          ],
          logs: [],
          processID: 'p1',
        },
        {
          traceID: 'abcdef',
          spanID: '2',
          operationName: 's3.GetObject',
          references: [{ refType: 'CHILD_OF', traceID: 'abcdef', spanID: '1' }],
          startTime: 1_700_000_000_010_000,
          duration: 90_000,
          tags: [
            { key: 'span.kind', type: 'string', value: 'client' },
            { key: 'error', type: 'bool', value: true },
            { key: 'storage_latency_ms', type: 'float64', value: 90.5 },
          ],
          logs: [
            {
              timestamp: 1_700_000_000_050_000,
              fields: [
                { key: 'event', type: 'string', value: 'timeout' },
                { key: 'attempt', type: 'int64', value: 2 },
              ],
            },
          ],
          processID: 'p2',
        },
      ],
      processes: {
        p1: { serviceName: 'ranker', tags: [{ key: 'host.name', type: 'string', value: 'gpu-1' }] },
        p2: { serviceName: 'feature-store', tags: [] },
      },
    },
  ],
};

const zipkin = [
  {
    traceId: '5af7183fb1d4cf5f',
    id: '6b221d5bc9e6496c',
    kind: 'CLIENT',
    name: 'get /features',
    timestamp: 1_700_000_000_000_000,
    duration: 50_000,
    localEndpoint: { serviceName: 'ranker' },
    remoteEndpoint: { serviceName: 'feature-store', port: 8080 },
    tags: { 'http.path': '/features' },
  },
  {
    traceId: '5af7183fb1d4cf5f',
    id: '6b221d5bc9e6496c',
    kind: 'SERVER',
    shared: true,
    name: 'get /features',
    timestamp: 1_700_000_000_005_000,
    duration: 40_000,
    localEndpoint: { serviceName: 'feature-store' },
    tags: { error: 'read timeout' },
  },
  {
    traceId: '5af7183fb1d4cf5f',
    id: '7c331d5bc9e6496c',
    parentId: '6b221d5bc9e6496c',
    name: 's3 read',
    localEndpoint: { serviceName: 'feature-store' },
    annotations: [{ timestamp: 1_700_000_000_010_000, value: 'retry' }],
  },
  {
    traceId: '5af7183fb1d4cf5f',
    id: '8d441d5bc9e6496c',
    parentId: '6b221d5bc9e6496c',
    name: 'no timestamps at all',
    localEndpoint: { serviceName: 'feature-store' },
  },
];

test('every format and compression is detected from content and imported', async () => {
  const cases: [string, Buffer, number][] = [
    ['otlp.json', Buffer.from(JSON.stringify(JSON.parse(jsonA.toString()), null, 2)), spansA.length],
    ['otlp.jsonl', Buffer.concat([jsonA, Buffer.from('\n'), jsonB, Buffer.from('\n')]), both],
    ['otlp-single.pb', protoA, spansA.length],
    ['collector-stream.pb', Buffer.concat([be32Frame(protoA), be32Frame(protoB)]), both],
    ['delimited-stream.pb', Buffer.concat([varintFrame(protoA), varintFrame(protoB)]), both],
    ['collector-legacy-zstd.pb', Buffer.concat([be32Frame(zstd(protoA)), be32Frame(zstd(protoB))]), both],
    ['jaeger.json', Buffer.from(JSON.stringify(jaeger)), 2],
    ['jaeger-bare.json', Buffer.from(JSON.stringify(jaeger.data[0])), 2],
    ['zipkin.json', Buffer.from(JSON.stringify(zipkin)), 4],
    ['zipkin-single.json', Buffer.from(JSON.stringify(zipkin[0])), 1],
  ];
  for (const [name, data, spans] of cases) {
    for (const [compression, bytes] of [
      ['plain', data],
      ['gzip', zlib.gzipSync(data)],
      ['zstd', zstd(data)],
    ] as const) {
      const db = path.join(dir, `${name}-${compression}.db`);
      // Names lie on purpose: the content decides.
      const file = write(`${name}.${compression}.data`, bytes);
      const { code, out } = await importInto(db, file);
      const s = out.files[0]!;
      assert.equal(code, 0, `${name} ${compression}: ${JSON.stringify(s.issues)}`);
      assert.equal(s.spans, spans, `${name} ${compression}: ${s.format}`);
      assert.equal(s.compression, compression === 'plain' ? 'none' : compression);
      assert.equal(s.badRecords, 0);
      // The file's hash, taken as it was read, is the hash of its bytes, and the dataset records it.
      const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
      assert.equal(s.sha256, sha256, `${name} ${compression}`);
      const store = new Database(db, { readonly: true });
      assert.deepEqual(store.prepare('SELECT sha256, bytes FROM dataset_files').all(), [{ sha256, bytes: bytes.length }]);
      store.close();
    }
  }
});

test('JSON Lines longer than a read chunk: every line whole, plain and gzip, CRLF, no newline at the end, characters split across chunks', async () => {
  // Lines of several MiB cross the 1 MiB chunks the file is read and decompressed in: the
  // importer keeps the pieces of an unfinished line and joins them when its newline arrives.
  // Values full of multi-byte characters make chunk edges fall inside characters too.
  const request = JSON.parse(jsonA.toString().replace(/"value-/g, '"välue-🚀')) as { resourceSpans: unknown[] };
  const copies = 50; // about 3 MiB a line
  const line = (n: number): string => {
    const text = JSON.stringify({ resourceSpans: Array.from({ length: copies }, () => request.resourceSpans).flat() });
    let k = 0;
    // Every copy of every trace gets its own ID, so nothing counts as a duplicate.
    return text.replace(
      /"traceId":"([0-9a-f]{24})[0-9a-f]{8}"/g,
      (_m, head: string) => `"traceId":"${head}${(n * 1_000_000 + Math.floor(k++ / spansA.length)).toString(16).padStart(8, '0')}"`,
    );
  };
  const lines = [line(1), line(2), line(3)];
  assert.ok(lines[0]!.length > 2 * 1024 * 1024, `a line is ${lines[0]!.length} bytes`);
  const text = lines[0] + '\r\n' + lines[1] + '\n\n' + lines[2]; // CRLF, a blank line, no newline at the end
  for (const [compression, bytes] of [
    ['plain', Buffer.from(text)],
    ['gzip', zlib.gzipSync(text)],
  ] as const) {
    const { code, out } = await importInto(path.join(dir, `long-lines-${compression}.db`), write(`long-lines.${compression}`, bytes));
    const s = out.files[0]!;
    assert.equal(code, 0, JSON.stringify(s.issues));
    assert.equal(s.badRecords, 0, JSON.stringify(s.issues));
    assert.equal(s.spans, 3 * copies * spansA.length, compression);
    const db = new Database(path.join(dir, `long-lines-${compression}.db`), { readonly: true });
    const count = (pattern: string): number => db.prepare('SELECT count(*) FROM spans WHERE instr(attributes, ?) > 0').pluck().get(pattern) as number;
    assert.equal(count('\uFFFD'), 0, `${compression}: no character was cut in two`);
    assert.ok(count('välue-🚀') > 0, compression);
    db.close();
  }
});

test('Jaeger: parents, kinds, status from the error tag, logs as events, processes as resources', async () => {
  const db = path.join(dir, 'jaeger-check.db');
  await importInto(db, write('j.json', JSON.stringify(jaeger)));
  const t = await cliJson<OtlpJsonTraces>(['trace', '--db', db, '00000000000000000000000000abcdef', '--json']);
  const spans = t.resourceSpans.flatMap((r) =>
    r.scopeSpans.flatMap((s) => s.spans.map((sp) => ({ ...sp, service: r.resource.attributes.find((a) => a.key === 'service.name')!.value }))),
  );
  const root = spans.find((s) => s.name === 'GET /rank')!;
  const child = spans.find((s) => s.name === 's3.GetObject')!;
  assert.equal(root.spanId, '0000000000000001');
  assert.equal(root.kind, 2);
  assert.deepEqual(root.service, { stringValue: 'ranker' });
  assert.equal(child.parentSpanId, '0000000000000001');
  assert.equal(child.kind, 3);
  assert.equal(child.status.code, 2);
  assert.deepEqual(child.service, { stringValue: 'feature-store' });
  assert.deepEqual(child.attributes, [{ key: 'storage_latency_ms', value: { doubleValue: 90.5 } }]);
  assert.equal(child.events[0]!['name'], 'timeout');
  assert.equal(child.startTimeUnixNano, '1700000000010000000');
  assert.equal(child.endTimeUnixNano, '1700000000100000000');
});

test('Zipkin: shared client/server halves become parent and child; missing timestamps are tolerated', async () => {
  const db = path.join(dir, 'zipkin-check.db');
  await importInto(db, write('z.json', JSON.stringify(zipkin)));
  const t = await cliJson<OtlpJsonTraces>(['trace', '--db', db, '00000000000000005af7183fb1d4cf5f', '--json']);
  const spans = t.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  assert.equal(spans.length, 4);
  const client = spans.find((s) => s.kind === 3)!;
  const server = spans.find((s) => s.kind === 2)!;
  assert.equal(client.spanId, '6b221d5bc9e6496c');
  assert.notEqual(server.spanId, client.spanId);
  assert.equal(server.parentSpanId, client.spanId);
  assert.deepEqual(server.status, { code: 2, message: 'read timeout' });
  const s3 = spans.find((s) => s.name === 's3 read')!;
  assert.equal(s3.parentSpanId, server.spanId, "the server's child hangs under the server half");
  assert.equal(s3.startTimeUnixNano, '1700000000010000000', 'start from its annotation');
  const bare = spans.find((s) => s.name === 'no timestamps at all')!;
  assert.equal(bare.startTimeUnixNano, '1700000000005000000', "start from its parent's");
});

test('bad files: good records kept, bad ones named with line or byte offset, earlier imports untouched', async () => {
  const db = path.join(dir, 'bad.db');
  const first = await importInto(db, write('good.jsonl', Buffer.concat([jsonA, Buffer.from('\n')])), 'archive');
  assert.equal(first.out.files[0]!.spans, spansA.length);

  // JSON Lines with a broken line in the middle.
  const lines = [jsonB.toString(), '{"resourceSpans": [ oops', JSON.stringify({ hello: 'world' }), ''].join('\n');
  const mixed = await importInto(db, write('mixed.jsonl', lines), 'archive');
  assert.equal(mixed.code, 0);
  assert.equal(mixed.out.files[0]!.spans, spansB.length);
  assert.deepEqual(
    mixed.out.files[0]!.issues.map((i) => [i.line, /invalid JSON|not OTLP JSON/.test(i.reason)]),
    [
      [2, true],
      [3, true],
    ],
  );

  // A single JSON document cut short.
  const truncated = await importInto(db, write('cut.json', JSON.stringify(jaeger, null, 2).slice(0, 400)), 'archive');
  assert.equal(truncated.code, 1);
  assert.match(truncated.out.files[0]!.issues[0]!.reason, /invalid JSON \(truncated\?\)/);
  assert.ok(truncated.out.files[0]!.issues[0]!.line! > 1);

  // A protobuf stream whose last frame is cut.
  const stream = Buffer.concat([be32Frame(protoA), be32Frame(protoB)]);
  const cutStream = await importInto(db, write('cut.pb', stream.subarray(0, stream.length - 100)), 'archive');
  assert.equal(cutStream.out.files[0]!.duplicateSpans, spansA.length, 'first frame read (already stored: duplicates)');
  const issue = cutStream.out.files[0]!.issues[0]!;
  assert.equal(issue.byteOffset, 4 + protoA.length);
  assert.match(issue.reason, /ends inside a message/);

  // A gzip file cut short: what decompressed before the cut is imported.
  const gz = zlib.gzipSync(Buffer.concat([jsonA, Buffer.from('\n'), jsonB, Buffer.from('\n')]));
  const cutGz = await importInto(db, write('cut.jsonl.gz', gz.subarray(0, gz.length - 20)), 'archive');
  assert.match(cutGz.out.files[0]!.issues.map((i) => i.reason).join(' '), /gzip data is corrupt or truncated/);

  // Garbage and an empty file.
  const garbage = await importInto(db, write('garbage.bin', Buffer.from('\x01\x02\x03 this is not telemetry at all \xff\xfe')), 'archive');
  assert.equal(garbage.code, 1);
  assert.match(garbage.out.files[0]!.issues[0]!.reason, /not an OTLP protobuf message/);
  const empty = await importInto(db, write('empty.json', ''), 'archive');
  assert.equal(empty.code, 1);
  assert.match(empty.out.files[0]!.issues[0]!.reason, /empty/);

  const stats = await cliJson<StoreStats>(['stats', '--db', db, '--json']);
  assert.equal(stats.spans, both, 'the first import is intact and nothing bad was stored');
});

test('import works beside a running serve on the same store', async () => {
  const { startServe } = await import('../helpers/serve-process.js');
  const db = path.join(dir, 'shared.db');
  const serve = await startServe(db);
  try {
    const sent = fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: protoB,
    });
    const imported = await importInto(db, write('beside.jsonl', Buffer.concat([jsonA, Buffer.from('\n')])));
    assert.equal((await sent).status, 200);
    assert.equal(imported.out.files[0]!.spans, spansA.length);
    const stats = await cliJson<StoreStats>(['stats', '--db', db, '--json']);
    assert.equal(stats.spans, both);
    assert.equal(stats.traces, 40);
  } finally {
    await serve.stop();
  }
});

test('datasets: each import on its own, beside live data; listed, queried and deleted by name', async () => {
  const { startServe } = await import('../helpers/serve-process.js');
  const db = path.join(dir, 'datasets.db');
  const serve = await startServe(db);
  try {
    const live = await fetch(`http://127.0.0.1:${serve.ports.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: protoA,
    });
    assert.equal(live.status, 200);
    // The same archive twice, into two datasets: the same trace IDs live once per dataset.
    const file = write('archive-a.jsonl', Buffer.concat([jsonA, Buffer.from('\n')]));
    assert.equal((await importInto(db, file)).out.files[0]!.spans, spansA.length);
    assert.equal((await importInto(db, file, 'again')).out.files[0]!.spans, spansA.length);
    const list = await cliJson<{ name: string; kind: string; spans: number }[]>(['datasets', '--db', db, '--json']);
    assert.deepEqual(
      list.map((d) => [d.name, d.kind, d.spans]),
      [
        ['live', 'live', spansA.length],
        ['archive-a.jsonl', 'import', spansA.length],
        ['again', 'import', spansA.length],
      ],
    );
    const inArchive = await cliJson<{ datasetId: number }[]>(['traces', '--db', db, '--dataset', 'archive-a.jsonl', '--limit', '100', '--json']);
    assert.equal(inArchive.length, 20);
    // The UI sees the same through the API.
    const viaApi = (await (
      await fetch(`http://127.0.0.1:${serve.ports.ui}/api/searchTraces`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ datasetId: inArchive[0]!.datasetId, limit: 100 }),
      })
    ).json()) as { result: unknown[] };
    assert.equal(viaApi.result.length, 20);
    const del = await runCli(['datasets', 'delete', 'again', '--db', db]);
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, /deleted dataset "again": 20 traces/);
    const stats = await cliJson<StoreStats>(['stats', '--db', db, '--json']);
    assert.equal(stats.spans, 2 * spansA.length, 'live and the first import remain');
    const refused = await runCli(['datasets', 'delete', 'live', '--db', db]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /live dataset cannot be deleted/);
  } finally {
    await serve.stop();
  }
});
