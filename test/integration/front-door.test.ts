/**
 * Issue #13: one front door. The CLI and the browser-mode HTTP API reach the core through the
 * same contract, so a request is validated and answered the same way by both; methods that
 * touch paths of the caller's choosing stay off HTTP; reading commands leave the store as it is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { undoMigrationsAfter } from '../helpers/older-store.js';
import { LOCAL_ONLY_METHODS } from '../../shared/api/methods.js';
import type { DatasetInfo } from '../../shared/model/telemetry.js';
import type { ImportFilesResult } from '../../shared/model/imports.js';
import { cliJson, runCli, startServe, tempDir } from '../helpers/serve-process.js';

const dir = tempDir('sightline-front-door-');
const TRACE = '0000000000000000000000000000f00d';
const otlp = (service: string): string =>
  JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            spans: [
              { traceId: TRACE, spanId: '00000000000000a1', name: 'GET /', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000050000000' },
            ],
          },
        ],
      },
    ],
  });
const write = (name: string, data: string): string => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return p;
};

test('the CLI and the HTTP API validate a request alike, and paths stay off HTTP', async () => {
  const db = path.join(dir, 'same.db');
  await cliJson<ImportFilesResult>(['import', write('same.json', otlp('same')), '--db', db, '--json']);
  const serve = await startServe(db);
  try {
    const post = (method: string, body: unknown): Promise<Response> =>
      fetch(`http://127.0.0.1:${serve.ports.ui}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    // A limit beyond the contract's: the same rule, from the same schema, both ways.
    const http = await post('searchTraces', { limit: 20_000 });
    assert.equal(http.status, 400);
    const httpError = ((await http.json()) as { error: string }).error;
    const cli = await runCli(['traces', '--db', db, '--limit', '20000']);
    assert.equal(cli.code, 1);
    assert.match(httpError, /limit: .*10000/);
    assert.match(cli.stderr, /^sightline: --limit: .*10000/m, 'the CLI names its flag for the same rule');
    // Every method that reads or writes a path of the caller's choosing is refused over HTTP.
    for (const method of LOCAL_ONLY_METHODS) {
      const r = await post(method, { path: '/etc/passwd', paths: ['/etc/passwd'], outPath: path.join(dir, 'x.html'), folder: dir });
      assert.equal(r.status, 403, `${method} over HTTP`);
    }
    assert.equal(fs.existsSync(path.join(dir, 'x.html')), false, 'nothing was written');
  } finally {
    await serve.stop();
  }
});

test('import answers what it kept: an unreadable file leaves no dataset, and says so', async () => {
  const db = path.join(dir, 'kept.db');
  await cliJson<ImportFilesResult>(['import', write('good.json', otlp('good')), '--db', db, '--json']);
  const bad = await runCli(['import', write('bad.json', '{"resourceSpans": ['), '--db', db]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /nothing was imported; dataset "bad.json" was not kept/);
  const json = await runCli(['import', write('bad2.json', 'not json at all'), '--db', db, '--json']);
  assert.equal((JSON.parse(json.stdout) as ImportFilesResult).kept, false);
  const names = (await cliJson<DatasetInfo[]>(['datasets', '--db', db, '--json'])).map((d) => d.name);
  assert.deepEqual(names.sort(), ['good.json', 'live']);
  // Several files into one dataset: a bad one among them does not take the dataset with it.
  const run = await runCli(['import', write('bad3.json', 'garbage'), write('good2.json', otlp('good2')), '--db', db, '--dataset', 'mixed', '--json']);
  assert.equal(run.code, 1, 'a file with nothing readable still says so in the exit code');
  const mixed = JSON.parse(run.stdout) as ImportFilesResult;
  assert.equal(mixed.kept, true);
  assert.equal(mixed.totals.spans, 1);
  const datasets = await cliJson<DatasetInfo[]>(['datasets', '--db', db, '--json']);
  assert.equal(datasets.find((d) => d.name === 'mixed')?.spans, 1);
});

test('reading commands leave an older store as it is; writing ones bring it up to date', async () => {
  const db = path.join(dir, 'older.db');
  await cliJson<ImportFilesResult>(['import', write('older.json', otlp('older')), '--db', db, '--json']);
  const version = (): number => {
    const d = new Database(db, { readonly: true });
    try {
      return d.pragma('user_version', { simple: true }) as number;
    } finally {
      d.close();
    }
  };
  const latest = version();
  const d = new Database(db);
  undoMigrationsAfter(d, latest - 1); // as an older Sightline left it
  d.close();
  assert.equal((await cliJson<{ spans: number }>(['stats', '--db', db, '--json'])).spans, 1, 'an older store can be read');
  assert.equal(version(), latest - 1, 'reading did not change it');
  const analyze = await runCli(['analyze', '--db', db]);
  assert.equal(analyze.code, 1);
  assert.match(analyze.stderr, /written by an older Sightline; open it once with sightline serve/);
  assert.equal(version(), latest - 1);
  const upgrade = await runCli(['import', write('newer.json', otlp('newer')), '--db', db, '--json']);
  assert.equal(upgrade.code, 0, upgrade.stderr);
  assert.equal(version(), latest, 'an import brings it up to date');
  assert.match(upgrade.stderr, new RegExp(`bringing the store up to date \\(schema ${latest - 1} → ${latest}\\)`), 'and says so while it does');
});

test('an export to a folder that is not there is a one-line error, and nothing is left half-written', async () => {
  const db = path.join(dir, 'export.db');
  await cliJson<ImportFilesResult>(['import', write('export.json', otlp('export')), '--db', db, '--dataset', 'e', '--json']);
  for (const out of [path.join(dir, 'nowhere', 'x.jsonl'), path.join(dir, 'nowhere', 'x.jsonl.gz')]) {
    const r = await runCli(['export', '--db', db, '--dataset', 'e', '--out', out]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^sightline: cannot write .*x\.jsonl(\.gz)?: ENOENT/m);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line, no stack');
  }
});
