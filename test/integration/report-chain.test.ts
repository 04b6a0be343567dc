/**
 * `sightline verify` through the real CLI: a report verifies byte for byte, so anything after
 * its seal line (one more newline, one more byte) fails and says so; an evidence bundle with
 * bytes after it fails too. `verify --chain` checks a chain of three reports made one after
 * the other, from their folder and from the store's history; deleting the middle report fails
 * and names the gap; swapping two reports' names fails and says they are out of order.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliJson, runCli, tempDir } from '../helpers/serve-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';

interface ChainJson {
  ok: boolean;
  summary: string;
  reports: { name: string; ok: boolean; detail: string; sha256: string; previousSha256: string | null }[];
}

let dir: string;
let dbPath: string;
let chainDir: string;
const made: { sha256: string; previousSha256: string | null }[] = [];

before(async () => {
  dir = tempDir('sightline-chain-');
  dbPath = path.join(dir, 'store.db');
  chainDir = path.join(dir, 'chain');
  fs.mkdirSync(chainDir);
  const archive = path.join(dir, 'traces.json');
  fs.writeFileSync(archive, syntheticTraceRequest('0af7651916cd43dd8448eb211c80319c', 5));
  assert.equal((await runCli(['import', archive, '--db', dbPath])).code, 0);
  for (const n of [1, 2, 3]) {
    const out = path.join(chainDir, `report-${n}.html`);
    made.push(
      await cliJson<{ sha256: string; previousSha256: string | null }>([
        'report',
        '--db',
        dbPath,
        '--out',
        out,
        '--evidence',
        path.join(dir, `report-${n}.evidence.json`),
        '--json',
      ]),
    );
  }
});

function copyChain(name: string): string {
  const copy = path.join(dir, name);
  fs.cpSync(chainDir, copy, { recursive: true });
  return copy;
}

test('a report verifies byte for byte: one more newline or byte after the seal fails', async () => {
  const original = path.join(chainDir, 'report-2.html');
  assert.equal((await runCli(['verify', original])).code, 0);
  for (const [label, extra] of [
    ['newline', '\n'],
    ['byte', 'x'],
    ['line', '<p>added</p>\n'],
  ] as const) {
    const appended = path.join(dir, `appended-${label}.html`);
    fs.writeFileSync(appended, Buffer.concat([fs.readFileSync(original), Buffer.from(extra)]));
    const r = await runCli(['verify', appended]);
    assert.equal(r.code, 1, `appending a ${label} must fail: ${r.stdout}`);
    assert.match(r.stdout, new RegExp(`FAIL end of file: ${Buffer.byteLength(extra)} bytes? after the seal line: the file was added to after it was signed`));
    assert.match(r.stdout, /ok {3}content hash/, 'the report itself is intact: only the end of the file is wrong');
    assert.match(r.stdout, /NOT verified/);
  }
  const bundle = path.join(dir, 'report-2.evidence.json');
  assert.equal((await runCli(['verify', bundle])).code, 0);
  const padded = path.join(dir, 'padded.evidence.json');
  fs.writeFileSync(padded, fs.readFileSync(bundle, 'utf8') + '\n');
  const b = await runCli(['verify', padded, '--json']);
  assert.equal(b.code, 1);
  const checks = (JSON.parse(b.stdout) as { checks: { check: string; ok: boolean; detail: string }[] }).checks;
  assert.deepEqual(
    checks.filter((c) => !c.ok).map((c) => c.check),
    ['end of file'],
  );
});

test('a chain of three reports verifies, from its folder and from the store', async () => {
  assert.equal(made[0]!.previousSha256, null);
  assert.equal(made[1]!.previousSha256, made[0]!.sha256);
  assert.equal(made[2]!.previousSha256, made[1]!.sha256);
  const folder = await runCli(['verify', '--chain', chainDir]);
  assert.equal(folder.code, 0, folder.stdout + folder.stderr);
  assert.match(folder.stdout, /^ok {3}report-1\.html: the first report of the chain$/m);
  assert.match(folder.stdout, /^ok {3}report-2\.html: follows report-1\.html$/m);
  assert.match(folder.stdout, /^ok {3}report-3\.html: follows report-2\.html$/m);
  assert.match(folder.stdout, /verified: .*a chain of 3 reports, each following the one before it/);

  const store = JSON.parse((await runCli(['verify', '--chain', '--db', dbPath, '--json'])).stdout) as ChainJson;
  assert.equal(store.ok, true, JSON.stringify(store));
  assert.deepEqual(
    store.reports.map((r) => r.sha256),
    made.map((m) => m.sha256),
  );
  assert.deepEqual(
    store.reports.map((r) => r.ok),
    [true, true, true],
  );
});

test('deleting the middle report fails and names the gap', async () => {
  const gap = copyChain('gap');
  fs.rmSync(path.join(gap, 'report-2.html'));
  const r = await runCli(['verify', '--chain', gap]);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stdout, /^ok {3}report-1\.html: the first report of the chain$/m);
  assert.match(
    r.stdout,
    new RegExp(
      `^FAIL report-3\\.html: a report is missing between report-1\\.html and report-3\\.html: it follows SHA-256 ${made[1]!.sha256.slice(0, 12)}…, which is not in the chain$`,
      'm',
    ),
  );
  assert.match(r.stdout, /NOT verified: .*1 of 2 reports break the chain/);

  // The store still records the deleted report: its history names the missing file.
  const middle = path.join(chainDir, 'report-2.html');
  const kept = fs.readFileSync(middle);
  fs.rmSync(middle);
  try {
    const s = await runCli(['verify', '--chain', '--db', dbPath]);
    assert.equal(s.code, 1, s.stdout);
    assert.match(s.stdout, /^FAIL report 2 \(report-2\.html\): file: .*report-2\.html is not there any more$/m);
  } finally {
    fs.writeFileSync(middle, kept);
  }
});

test('swapping two reports is reported as out of order', async () => {
  const swapped = copyChain('swapped');
  const first = path.join(swapped, 'report-1.html');
  const last = path.join(swapped, 'report-3.html');
  const tmp = path.join(swapped, 'tmp.bin');
  fs.renameSync(first, tmp);
  fs.renameSync(last, first);
  fs.renameSync(tmp, last);
  const r = await runCli(['verify', '--chain', swapped, '--json']);
  assert.equal(r.code, 1, r.stdout);
  const result = JSON.parse(r.stdout) as ChainJson;
  assert.equal(result.ok, false);
  assert.deepEqual(
    result.reports.map((x) => [x.name, x.ok, x.detail]),
    [
      ['report-1.html', false, 'reordered: it follows report-2.html, which comes after it'],
      ['report-2.html', false, 'reordered: it follows report-3.html, which comes after it'],
      ['report-3.html', false, 'reordered or a second chain: it is a first report (it follows none), but report-2.html comes before it'],
    ],
  );
  const text = await runCli(['verify', '--chain', swapped]);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /^FAIL report-1\.html: reordered: it follows report-2\.html, which comes after it$/m);
});
