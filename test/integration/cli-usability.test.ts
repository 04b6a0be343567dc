/**
 * The `sightline` command for daily use, as a person at a terminal sees it: --help and -h on
 * every command, --version, "did you mean" for typos, one-line errors (exit 2 for usage, 1
 * otherwise, never a stack), `trace` as a readable tree, a warning when another Sightline serves
 * the same store, and reading commands that say which dataset they read (and where the data is
 * when that one is empty). Every run is the built CLI in a child process on a temp store.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ImportFilesResult } from '../../shared/model/imports.js';
import { CLI, ROOT, cliJson, runCli, startServe, tempDir } from '../helpers/serve-process.js';
import { syntheticTraceRequest } from '../helpers/synthetic-traces.js';

const dir = tempDir('sightline-cli-usability-');
const db = path.join(dir, 'store.db');
const NESTED = 'abababababababababababababababab';
const span = (id: string, parent: string | null, name: string, startMs: number, endMs: number, error?: string): Record<string, unknown> => ({
  traceId: NESTED,
  spanId: id.padStart(16, '0'),
  ...(parent ? { parentSpanId: parent.padStart(16, '0') } : {}),
  name,
  startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(startMs * 1000) * 1000n),
  endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(endMs * 1000) * 1000n),
  ...(error ? { status: { code: 2, message: error } } : {}),
});
const resource = (service: string, spans: Record<string, unknown>[]): Record<string, unknown> => ({
  resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
  scopeSpans: [{ spans }],
});
// Children before parents and out of start order in the file: the tree must sort them.
const nested = JSON.stringify({
  resourceSpans: [
    resource('frontend', [span('4', '1', 'render', 200, 240), span('1', null, 'GET /checkout', 0, 250)]),
    resource('ranker', [span('3', '2', 'feature-store.read', 5, 85, 'timeout'), span('2', '1', 'score', 1.2, 121.2)]),
  ],
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI with a chosen environment, user or Node flags (runCli has none of these). */
function run(args: string[], options: { env?: Record<string, string>; uid?: number; nodeArgs?: string[]; entry?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [...(options.nodeArgs ?? []), options.entry ?? CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: dir,
      env: { ...process.env, ...options.env },
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** What a failure must look like: one line on stderr, prefixed, no stack frames. */
function assertOneLineError(r: Run, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr: ${r.stderr}`);
  assert.match(lines[0]!, /^sightline: /);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack frames');
  assert.match(lines[0]!, pattern);
}

before(async () => {
  const archive = path.join(dir, 'sample.jsonl');
  fs.writeFileSync(archive, [syntheticTraceRequest('1'.repeat(32), 3), syntheticTraceRequest('2'.repeat(32), 2), nested].join('\n') + '\n');
  const r = await cliJson<ImportFilesResult>(['import', archive, '--db', db, '--dataset', 'sample', '--json']);
  assert.equal(r.totals.traces, 3);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

const COMMANDS = [
  'serve',
  'start',
  'open',
  'stats',
  'traces',
  'trace',
  'datasets',
  'import',
  'export',
  'remote',
  'analyze',
  'genai',
  'demo',
  'report',
  'verify',
  'help',
];

test("--help and -h print every command's usage on stdout and exit 0 without running it", async () => {
  const cases = [...COMMANDS.map((c) => [c]), ['remote', 'search'], ['remote', 'pull'], ['datasets', 'delete']];
  const runs = await Promise.all(cases.flatMap((c) => ['--help', '-h'].map(async (flag) => ({ c, flag, r: await runCli([...c, flag]) }))));
  for (const { c, flag, r } of runs) {
    assert.equal(r.code, 0, `${c.join(' ')} ${flag}: ${r.stderr}`);
    assert.equal(r.stderr, '', `${c.join(' ')} ${flag} writes nothing on stderr`);
    assert.match(r.stdout, new RegExp(`^Usage:\\n  sightline ${c[0]}\\b`), `${c.join(' ')} ${flag}`);
  }
  // Nothing ran: no store made, no server started (serve would not exit), no import.
  const fresh = path.join(dir, 'never-made.db');
  for (const args of [
    ['serve', '--db', fresh, '--port', '0', '--help'],
    ['import', path.join(dir, 'sample.jsonl'), '--db', fresh, '-h'],
    ['demo', '--db', fresh, '--help'],
  ]) {
    const r = await runCli(args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /^Usage:/);
  }
  assert.equal(fs.existsSync(fresh), false, 'no store was made');
  const overview = await runCli(['help']);
  assert.equal(overview.code, 0);
  for (const c of COMMANDS) assert.match(overview.stdout, new RegExp(`^  sightline ${c}\\b`, 'm'), `the overview lists ${c}`);
  const one = await runCli(['help', 'trace']);
  assert.match(one.stdout, /^Usage:\n {2}sightline trace\b/);
});

test("--version, -V and version print package.json's version, also through bin/sightline.mjs from another folder", async () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const args of [['--version'], ['-V'], ['version']]) {
    const r = await runCli(args);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), `sightline ${version}`);
  }
  const viaBin = await run(['--version'], { entry: path.join(ROOT, 'bin', 'sightline.mjs') });
  assert.equal(viaBin.stdout.trim(), `sightline ${version}`);
});

test('a mistyped command, option, subcommand or dataset gets a suggestion when one is close', async () => {
  assertOneLineError(await runCli(['tarces']), 2, /^sightline: Unknown command 'tarces'\. Did you mean 'traces'\?$/);
  assertOneLineError(await runCli(['traces', '--limti', '5', '--db', db]), 2, /^sightline: Unknown option '--limti'\. Did you mean '--limit'\?$/);
  assertOneLineError(await runCli(['serve', '--grpc-port', '4317']), 2, /Did you mean '--otlp-grpc-port'\?/);
  assertOneLineError(await runCli(['--verison']), 2, /Did you mean '--version'\?/);
  assertOneLineError(await runCli(['remote', 'serch', '--kind', 'tempo', '--url', 'http://x']), 2, /Did you mean 'search'\?/);
  assertOneLineError(await runCli(['traces', '--db', db, '--dataset', 'sampel']), 1, /no dataset named "sampel"; did you mean "sample"\?/);
  // Nothing close: no suggestion, a pointer instead.
  const far = await runCli(['frobnicate']);
  assertOneLineError(far, 2, /Unknown command 'frobnicate'\. Run sightline help/);
  assert.doesNotMatch(far.stderr, /Did you mean/);
  const farOption = await runCli(['traces', '--zzzzzzzz', '--db', db]);
  assertOneLineError(farOption, 2, /Unknown option '--zzzzzzzz'.*sightline traces --help/);
  assert.doesNotMatch(farOption.stderr, /Did you mean/);
});

test('bad values, missing files, folders and unreadable files are one-line errors', async () => {
  const fresh = path.join(dir, 'not-made.db');
  assertOneLineError(await runCli(['serve', '--db', fresh, '--port', '99999']), 2, /--port takes a whole number from 0 to 65535, not "99999"/);
  assertOneLineError(await runCli(['serve', '--db', fresh, '--otlp-grpc-port=-1']), 2, /--otlp-grpc-port .*0 to 65535/);
  assertOneLineError(await runCli(['serve', '--db', fresh, '--otlp-http-port', '1.5']), 2, /--otlp-http-port/);
  assert.equal(fs.existsSync(fresh), false, 'a bad option leaves no store behind');
  assertOneLineError(await runCli(['traces', '--db', db, '--limit', '0']), 2, /--limit takes a whole number of at least 1, not "0"/);
  assertOneLineError(await runCli(['traces', '--db', db, '--limit', 'ten']), 2, /--limit/);
  assertOneLineError(await runCli(['serve', '--db']), 2, /'--db <value>' argument missing/);
  assertOneLineError(await runCli(['traces', 'extra', '--db', db]), 2, /Unexpected argument 'extra'/);
  assertOneLineError(await run(['verify', 'missing.html']), 1, /^sightline: no such file: missing\.html$/);
  assertOneLineError(await runCli(['stats', '--db', path.join(dir, 'nowhere.db')]), 1, /no Sightline store at/);
  const notStore = path.join(dir, 'text.db');
  fs.writeFileSync(notStore, 'not sqlite at all, just some text that is long enough to be a header\n'.repeat(20));
  assertOneLineError(await runCli(['stats', '--db', notStore]), 1, /is not a Sightline store/);
  assertOneLineError(await runCli(['import', path.join(dir, 'missing.json'), '--db', db]), 1, /no such file: .*missing\.json$/);
  assertOneLineError(await runCli(['open']), 2, /name the archives to open/);
  // A reading command's note on what it reads follows an answer, never a failure.
  assertOneLineError(await runCli(['trace', 'f'.repeat(32), '--db', db]), 2, /trace f{32} is not in the store/);
  assertOneLineError(await runCli(['export', '--db', db, '--out', path.join(dir, 'nowhere', 'x.jsonl')]), 1, /cannot write/);
});

test('import FOLDER imports the files inside it, recursively, into one dataset named after it', async () => {
  const folder = path.join(dir, 'archives');
  fs.mkdirSync(path.join(folder, 'day-2'), { recursive: true });
  fs.mkdirSync(path.join(folder, '.cache'));
  fs.writeFileSync(path.join(folder, 'a.json'), syntheticTraceRequest('a'.repeat(32), 2, { service: 'folder' }));
  fs.writeFileSync(path.join(folder, 'day-2', 'b.json'), syntheticTraceRequest('b'.repeat(32), 2, { service: 'folder' }));
  fs.writeFileSync(path.join(folder, '.cache', 'c.json'), syntheticTraceRequest('c'.repeat(32), 2, { service: 'hidden' }));
  const folderDb = path.join(dir, 'folder.db');
  const r = await runCli(['import', folder, '--db', folderDb, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as ImportFilesResult;
  assert.equal(result.datasetName, 'archives');
  assert.deepEqual(
    result.files.map((f) => path.relative(folder, f.file)),
    ['a.json', path.join('day-2', 'b.json')],
    'hidden folders are left out',
  );
  assert.equal(result.totals.traces, 2);
  fs.mkdirSync(path.join(dir, 'empty'));
  assertOneLineError(await runCli(['import', path.join(dir, 'empty'), '--db', folderDb]), 1, /empty: the folder has no files to import/);
});

test('a file that cannot be read is "permission denied", not EACCES', async () => {
  const locked = path.join(dir, 'locked');
  fs.mkdirSync(locked);
  fs.chmodSync(locked, 0o755);
  const file = path.join(locked, 'secret.json');
  fs.writeFileSync(file, syntheticTraceRequest('e'.repeat(32), 2));
  fs.chmodSync(file, 0o000);
  // root reads anything: run the CLI as "nobody" then (the user's own mistake, as a user would make it).
  const asRoot = process.getuid?.() === 0;
  const r = await run(['import', file, '--db', path.join(locked, 'x.db')], asRoot ? { uid: 65534 } : {});
  assertOneLineError(r, 1, /^sightline: permission denied: .*secret\.json$/);
});

test('an unexpected failure is one line with a pointer to SIGHTLINE_DEBUG, which shows the stack', async () => {
  // A stdout that throws stands in for any failure the CLI does not foresee.
  const broken = ['--import', `data:text/javascript,process.stdout.write=()=>{throw new Error('stdout broke')}`];
  const r = await run(['--version'], { nodeArgs: broken });
  assertOneLineError(r, 1, /^sightline: stdout broke \(unexpected; run with SIGHTLINE_DEBUG=1 for the stack\)$/);
  const debug = await run(['--version'], { nodeArgs: broken, env: { SIGHTLINE_DEBUG: '1' } });
  assert.equal(debug.code, 1);
  assert.match(debug.stderr, /^sightline: stdout broke\n/);
  assert.match(debug.stderr, /^\s+at /m, 'the stack, when asked for');
});

test('trace ID prints an indented tree in start order; --json is the OTLP JSON as before', async () => {
  const r = await runCli(['trace', NESTED, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, new RegExp(`^trace ${NESTED}: 4 spans, 2 services, 250\\.\\d+ ms, 1 error$`));
  const rows = lines.slice(2);
  const names = ['frontend: GET /checkout', 'ranker: score', 'ranker: feature-store.read', 'frontend: render'];
  assert.deepEqual(
    rows.map((l) => names.find((n) => l.includes(n))),
    names,
    'parents before children, siblings by start time',
  );
  const column = (i: number): number => rows[i]!.indexOf(names[i]!);
  assert.ok(column(1) > column(0), 'score is under the root');
  assert.ok(column(2) > column(1), 'the read is under score');
  assert.equal(column(3), column(1), "render is score's sibling");
  assert.match(rows[2]!, /^\s*\+5\.0+ ms\s+80\.0+ ms\s+.*feature-store\.read +ERROR: timeout$/);
  assert.match(rows[0]!, /^\s*\+0\.0+ ms\s+250\.0+ ms\s+frontend: GET \/checkout$/);
  assert.doesNotMatch(rows[1]!, /ERROR/);

  const json = await runCli(['trace', NESTED, '--db', db, '--json']);
  assert.equal(json.code, 0);
  assert.equal(json.stderr, '', 'stderr stays quiet with --json');
  assert.equal(json.stdout.split('\n').length, 2, 'one JSON line');
  const parsed = JSON.parse(json.stdout) as { resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[] };
  assert.equal(parsed.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)).length, 4);
});

test('serve warns when another Sightline serves the store, and a stale note is replaced silently', { timeout: 90_000 }, async () => {
  const served = path.join(dir, 'served.db');
  const note = `${served}.serve.json`;
  const first = await startServe(served);
  try {
    const entries = (): { pid: number; ui: string | null }[] =>
      (JSON.parse(fs.readFileSync(note, 'utf8')) as { servers: { pid: number; ui: string | null }[] }).servers;
    assert.deepEqual(
      entries().map((e) => e.pid),
      [first.proc.pid],
    );
    assert.equal(entries()[0]!.ui, `http://127.0.0.1:${first.ports.ui}/`);
    const second = await startServe(served);
    try {
      const warning = new RegExp(
        `^warning: another Sightline \\(pid ${first.proc.pid}, UI http://127\\.0\\.0\\.1:${first.ports.ui}/\\) is serving this store`,
        'm',
      );
      for (let i = 0; i < 50 && !warning.test(second.stderr()); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(second.stderr(), warning);
      assert.doesNotMatch(first.stderr(), /warning: another Sightline/);
    } finally {
      await second.stop();
    }
  } finally {
    await first.stop();
  }
  assert.equal(fs.existsSync(note), false, 'a clean exit takes the note away');

  // A note left by a process that is gone (kill -9, a crash) is no warning.
  const gone = spawnSync(process.execPath, ['-e', '0']).pid;
  fs.writeFileSync(note, JSON.stringify({ servers: [{ pid: gone, ui: 'http://127.0.0.1:1/', otlpHttp: 1, otlpGrpc: 2, startedAt: '2026-01-01T00:00:00Z' }] }));
  const third = await startServe(served);
  try {
    await new Promise((r) => setTimeout(r, 300));
    assert.doesNotMatch(third.stderr(), /warning/);
    assert.deepEqual(
      (JSON.parse(fs.readFileSync(note, 'utf8')) as { servers: { pid: number }[] }).servers.map((e) => e.pid),
      [third.proc.pid],
    );
  } finally {
    await third.stop();
  }
});

test('reading commands say which dataset they read, and where the data is when it is empty', async () => {
  // The store's traces are all in "sample"; "live" is empty, as after `sightline demo`.
  const traces = await runCli(['traces', '--db', db]);
  assert.equal(traces.code, 0);
  assert.equal(traces.stdout, '');
  assert.match(traces.stderr, /^reading dataset "live" \(0 traces\)$/m);
  assert.match(traces.stderr, /^hint: "live" is empty; traces are in "sample" \(3 traces\): add --dataset sample$/m);
  const chosen = await runCli(['traces', '--db', db, '--dataset', 'sample']);
  assert.match(chosen.stderr, /^reading dataset "sample" \(3 traces\)$/m);
  assert.doesNotMatch(chosen.stderr, /hint/);
  assert.equal(chosen.stdout.trimEnd().split('\n').length, 3);
  for (const args of [['stats'], ['analyze'], ['trace', NESTED]]) {
    const r = await runCli([...args, '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^reading all datasets \(3 traces\)$/m, args[0]);
  }
  const exported = await runCli(['export', '--db', db, '--out', path.join(dir, 'live.jsonl')]);
  assert.match(exported.stderr, /^reading dataset "live" \(0 traces\)\nhint: .*--dataset sample$/m);
  // Names that need quoting are quoted for the shell.
  await cliJson<ImportFilesResult>([
    'import',
    path.join(dir, 'sample.jsonl'),
    '--db',
    path.join(dir, 'quoted.db'),
    '--dataset',
    'demo: ranker incident',
    '--json',
  ]);
  const quoted = await runCli(['traces', '--db', path.join(dir, 'quoted.db')]);
  assert.match(quoted.stderr, /--dataset "demo: ranker incident"$/m);
  // --json: stdout is the answer alone, stderr says nothing.
  for (const args of [['traces'], ['stats'], ['analyze']]) {
    const r = await runCli([...args, '--db', db, '--json']);
    assert.equal(r.stderr, '', `${args[0]} --json`);
    JSON.parse(r.stdout);
  }
});
