/**
 * Issue #11 (12): imports never drop a span silently, and a failed import leaves no empty
 * dataset behind, through the CLI and through the running app's import worker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { makeSpans } from '../bench/realistic-traces.js';
import { cliJson, runCli, startServe, tempDir } from '../helpers/serve-process.js';
import type { ImportFilesResult } from '../../shared/model/imports.js';
import { importFile } from '../../electron/core/importers/import-file.js';
import type { BatchSink } from '../../electron/core/importers/batch-sink.js';
import type { DatasetInfo } from '../../shared/model/telemetry.js';
import type { OtlpJsonTraces } from '../../shared/model/otlp-json.js';

const dir = tempDir('sightline-import-integrity-');
const write = (name: string, data: string | Buffer): string => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return p;
};

const T0 = 1_700_000_000_000_000;
const span = (spanID: string, operationName: string, parent: string | null, offsetUs: number, kind: string) => ({
  traceID: '0000000000000000000000000000beef',
  spanID,
  operationName,
  references: parent ? [{ refType: 'CHILD_OF', traceID: '0000000000000000000000000000beef', spanID: parent }] : [],
  startTime: T0 + offsetUs,
  duration: 10_000,
  tags: [{ key: 'span.kind', type: 'string', value: kind }],
  logs: [],
  processID: 'p1',
});
// Five spans; two different ones share span ID 3 (real Jaeger data has such collisions).
const jaeger = {
  data: [
    {
      traceID: '0000000000000000000000000000beef',
      spans: [
        span('1', 'GET /rank', null, 0, 'server'),
        span('2', 'load features', '1', 100, 'internal'),
        span('3', 'redis GET', '2', 200, 'client'),
        span('3', 'redis GET (retry)', '2', 5_000, 'client'),
        span('4', 'score', '1', 9_000, 'internal'),
      ],
      processes: { p1: { serviceName: 'ranker', tags: [] } },
    },
  ],
};

type ImportOutput = ImportFilesResult;

test('spans sharing a span ID are all kept, the later one marked; a re-import is still recognised as duplicates', async () => {
  const db = path.join(dir, 'collide.db');
  const file = write('collide.json', JSON.stringify(jaeger));
  const first = await cliJson<ImportOutput>(['import', file, '--db', db, '--dataset', 'collide', '--json']);
  assert.equal(first.files[0]!.spans, 5, 'all five spans stored');
  assert.equal(first.files[0]!.renamedSpans, 1);
  const human = await runCli(['import', file, '--db', db, '--dataset', 'again']);
  assert.match(human.stdout, /1 spans shared a span ID/);

  const trace = await cliJson<OtlpJsonTraces>(['trace', '0000000000000000000000000000beef', '--db', db, '--dataset', 'collide', '--json']);
  const spans = trace.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  assert.equal(spans.length, 5);
  const retry = spans.find((s) => s.name === 'redis GET (retry)')!;
  assert.notEqual(retry.spanId, '0000000000000003');
  assert.deepEqual(retry.attributes.find((a) => a.key === 'sightline.original_span_id')?.value, { stringValue: '0000000000000003' });
  assert.equal(retry.parentSpanId, '0000000000000002', 'it keeps its place in the tree');

  const again = await cliJson<ImportOutput>(['import', file, '--db', db, '--dataset', 'collide', '--json']);
  assert.equal(again.files[0]!.spans, 0, 'nothing new: the same file again');
  assert.equal(again.files[0]!.duplicateSpans, 5);
});

test('a failed import leaves no empty dataset, from the CLI and from the app', async () => {
  const db = path.join(dir, 'failed.db');
  const garbage = write('garbage.bin', Buffer.from('\x01\x02\x03 not telemetry \xff\xfe'));
  const r = await runCli(['import', garbage, '--db', db, '--dataset', 'garbage', '--json']);
  assert.equal(r.code, 1);
  const names = async (): Promise<string[]> => (await cliJson<DatasetInfo[]>(['datasets', '--db', db, '--json'])).map((d) => d.name);
  assert.deepEqual(await names(), ['live']);

  const serve = await startServe(db);
  try {
    const call = async <T>(method: string, body: unknown): Promise<T> => {
      const res = await fetch(`http://127.0.0.1:${serve.ports.ui}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { result?: T; error?: string };
      if (!res.ok) throw new Error(json.error);
      return json.result!;
    };
    // A browser opens a file by uploading it; reading a path is for the desktop app and the CLI.
    const refused = await fetch(`http://127.0.0.1:${serve.ports.ui}/api/startImport`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ path: garbage }),
    });
    assert.equal(refused.status, 403, 'the HTTP API does not read paths it is given');
    const upload = await fetch(`http://127.0.0.1:${serve.ports.ui}/api/upload?name=garbage.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: fs.readFileSync(garbage),
    });
    assert.equal(upload.status, 200, await upload.clone().text());
    const started = ((await upload.json()) as { result: { importId: string; datasetName: string } }).result;
    // Wait for the worker to finish, then the dataset it made must be gone.
    const deadline = Date.now() + 20_000;
    let listed: string[] = [];
    for (;;) {
      listed = (await call<DatasetInfo[]>('listDatasets', {})).map((d) => d.name);
      if (!listed.includes(started.datasetName) || Date.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    assert.deepEqual(listed, ['live'], `the app's failed import of ${started.datasetName} left nothing behind`);
  } finally {
    await serve.stop();
  }
});

test('a cancelled import stops between groups, keeps what it committed whole, and the store takes the next import', async () => {
  // Two stages run an import (the parse thread and its writer thread): a cancel must stop both,
  // with every committed group intact and nothing left holding the store's write lock.
  const lines: string[] = [];
  for (let i = 0; i < 8; i++)
    lines.push(JSON.stringify(JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest(await makeSpans(60, i + 1))!).toString('utf8'))));
  let body = '';
  let totalSpans = 0;
  /** Spans of each trace in the file (its own span only carries the trace ID: no links here). */
  const spansOfTrace = new Map<string, number>();
  for (let n = 0; body.length < 48 * 1024 * 1024; n++) {
    const suffix = n.toString(16).padStart(8, '0');
    const line = lines[n % lines.length]!.replace(/"traceId":"([0-9a-f]{24})[0-9a-f]{8}"/g, `"traceId":"$1${suffix}"`);
    totalSpans += (line.match(/"spanId"/g) ?? []).length;
    for (const m of line.matchAll(/"traceId":"([0-9a-f]{32})"/g)) spansOfTrace.set(m[1]!, (spansOfTrace.get(m[1]!) ?? 0) + 1);
    body += line + '\n';
  }
  const big = write('big.jsonl', body);
  const serve = await startServe(path.join(dir, 'cancel.db'));
  try {
    const call = async <T>(method: string, params: unknown): Promise<T> => {
      const res = await fetch(`http://127.0.0.1:${serve.ports.ui}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(params),
      });
      const json = (await res.json()) as { result?: T; error?: string };
      if (!res.ok) throw new Error(json.error);
      return json.result!;
    };
    const upload = async (name: string, file: string): Promise<{ importId: string; datasetName: string }> => {
      const res = await fetch(`http://127.0.0.1:${serve.ports.ui}/api/upload?name=${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream' },
        body: fs.readFileSync(file),
      });
      assert.equal(res.status, 200, await res.clone().text());
      return ((await res.json()) as { result: { importId: string; datasetName: string } }).result;
    };
    const dataset = async (name: string): Promise<DatasetInfo | undefined> => (await call<DatasetInfo[]>('listDatasets', {})).find((d) => d.name === name);
    const started = await upload('big.jsonl', big);
    const deadline = Date.now() + 60_000;
    while (((await dataset(started.datasetName))?.spans ?? 0) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await call('cancelImport', { importId: started.importId }), { cancelled: true });
    // Settled: the count stops moving.
    let before = -1;
    let now = (await dataset(started.datasetName))?.spans ?? 0;
    while (now !== before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      before = now;
      now = (await dataset(started.datasetName))?.spans ?? 0;
    }
    assert.ok(now > 0 && now < totalSpans, `cancelled part way: ${now} of ${totalSpans} spans kept`);
    let listed = 0;
    let partial = 0;
    let after: unknown = undefined;
    do {
      const page: { traces: { traceId: string; spanCount: number }[]; next: unknown } = await call('listTraces', {
        datasetId: (await dataset(started.datasetName))!.id,
        limit: 1000,
        ...(after ? { after } : {}),
      });
      listed += page.traces.reduce((n, t) => n + t.spanCount, 0);
      partial += page.traces.filter((t) => t.spanCount !== spansOfTrace.get(t.traceId)).length;
      after = page.next;
    } while (after);
    assert.equal(partial, 0, 'every committed trace holds all its spans: groups are committed whole');
    assert.equal(listed, now, 'the dataset counts and the rows agree');
    const small = write('small.jsonl', lines.slice(0, 2).join('\n') + '\n');
    const next = await upload('small.jsonl', small);
    while (((await dataset(next.datasetName))?.spans ?? 0) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(((await dataset(next.datasetName))?.spans ?? 0) > 0, 'the next import is committed: nothing kept the write lock');
  } finally {
    await serve.stop();
  }
});

test('a hand-over that fails (the writer stage gone) fails the import; it is not a bad record', async () => {
  // Three good JSON Lines; the sink refuses the second batch, as a writer thread that died would.
  const lines = await Promise.all([31, 32, 33].map(async (seed) => Buffer.from(JsonTraceSerializer.serializeRequest(await makeSpans(3, seed))!).toString()));
  const file = write('hand-over.jsonl', lines.join('\n') + '\n');
  let added = 0;
  const sink: BatchSink = {
    add: () => {
      if (++added === 2) throw new Error("the import's writer thread stopped");
    },
    submit: (done) => done({ spans: 0, traces: 0, metricPoints: 0, logRecords: 0, duplicateSpans: 0, renamedSpans: 0 }),
    ready: () => Promise.resolve(),
    finish: () => Promise.resolve(),
  };
  await assert.rejects(importFile(file, sink, { dataset: { id: 1, name: 'x' } }), /writer thread stopped/);
  assert.equal(added, 2, 'nothing was handed over after the failure');
});
