/**
 * A report's provenance carries the SHA-256 of the store's contents in scope. It must change
 * when anything stored in scope changes, down to one attribute of one span or the body of one
 * log record edited behind Sightline's back, and stay the same when nothing did.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { cliJson, runCli, tempDir } from '../helpers/serve-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';
import type { ReportEvidence } from '../../shared/model/report.js';

let dir: string;
let dbPath: string;

before(async () => {
  dir = tempDir();
  dbPath = path.join(dir, 'hash.db');
  const lines = Array.from({ length: 20 }, (_, i) => syntheticTraceRequest(i.toString(16).padStart(32, 'a'), 6, { service: 'ranker', attributesPerSpan: 3 }));
  const logs = JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'ranker' } }] },
        scopeLogs: [
          {
            logRecords: [
              {
                timeUnixNano: '1700000000000100000',
                severityText: 'WARN',
                body: { stringValue: 'feature store slow' },
                traceId: '0'.padStart(32, 'a'),
                spanId: '0000000000000002',
              },
            ],
          },
        ],
      },
    ],
  });
  const file = path.join(dir, 'in.jsonl');
  fs.writeFileSync(file, [...lines, logs].join('\n') + '\n');
  const r = await runCli(['import', file, '--db', dbPath, '--dataset', 'incident']);
  assert.equal(r.code, 0, r.stderr);
});

async function storeHash(name: string): Promise<string> {
  const evidence = path.join(dir, `${name}.evidence.json`);
  await cliJson(['report', '--db', dbPath, '--out', path.join(dir, `${name}.html`), '--evidence', evidence, '--key-dir', path.join(dir, 'keys'), '--json']);
  const bundle = JSON.parse(fs.readFileSync(evidence, 'utf8')) as { evidence: ReportEvidence };
  return bundle.evidence.provenance.storeSha256;
}

function edit(sql: string): void {
  const db = new Database(dbPath);
  try {
    assert.equal(db.prepare(sql).run().changes, 1);
  } finally {
    db.close();
  }
}

async function verifyAgainstStore(file: string): Promise<{ code: number; storeCheck: { ok: boolean; detail: string } | undefined }> {
  const r = await runCli(['verify', path.join(dir, file), '--db', dbPath, '--json']);
  const result = JSON.parse(r.stdout) as { checks: { check: string; ok: boolean; detail: string }[] };
  return { code: r.code, storeCheck: result.checks.find((c) => c.check === 'store contents') };
}

test('the store hash is stable, and changes with one span attribute or one log body', async () => {
  const first = await storeHash('first');
  assert.match(first, /^[0-9a-f]{64}$/);
  assert.equal(await storeHash('again'), first, 'nothing changed, same hash');
  assert.deepEqual(await verifyAgainstStore('first.html'), {
    code: 0,
    storeCheck: { check: 'store contents', ok: true, detail: `every stored row in the report's scope hashes to the SHA-256 it records (${first})` },
  });

  edit(`UPDATE spans SET attributes = replace(attributes, '-3-1"', '-3-X"') WHERE id = (SELECT min(id) + 3 FROM spans)`);
  const afterSpan = await storeHash('span-edited');
  assert.notEqual(afterSpan, first, 'one changed span attribute shows');
  const stale = await verifyAgainstStore('first.html');
  assert.equal(stale.code, 1, 'the first report no longer matches the store');
  assert.match(stale.storeCheck?.detail ?? '', /were added, changed or removed since it was made/);
  assert.equal((await verifyAgainstStore('span-edited.evidence.json')).code, 0, 'the evidence bundle of the newest report does');

  edit(`UPDATE log_records SET body = '"feature store fast"'`);
  assert.notEqual(await storeHash('log-edited'), afterSpan, 'one changed log body shows');
});
