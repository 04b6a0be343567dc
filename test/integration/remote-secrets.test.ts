/**
 * Remote sources' credentials at rest, through a real `sightline serve` and its HTTP API: a
 * saved password and token are nowhere in the store's files (the .db and its WAL, read while
 * serve runs and after it stops), yet searching the source still sends them; the store's files
 * and its secrets key are owner-only even when serve starts under umask 000. A store written
 * by a Sightline from before (credentials in plain text, files 0644) still works, and after
 * one start its plain text is gone from the files and the files are 0600.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { openWriter } from '../../electron/core/store/open-store.js';

const PASSWORD = 'Pa55-w0rd-for-the-team-jaeger';
const TOKEN = 'tok-3f9a7c2e-bearer-secret';
const posix = process.platform !== 'win32';

/** A Jaeger server that answers only with the right credentials, and records what it was sent. */
async function jaegerWithAuth(): Promise<{ base: string; authorizations: string[]; close: () => void }> {
  const authorizations: string[] = [];
  const server = http.createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    authorizations.push(auth);
    const basicOk = auth === `Basic ${Buffer.from(`auditor:${PASSWORD}`).toString('base64')}`;
    const bearerOk = auth === `Bearer ${TOKEN}`;
    if (!(req.url!.startsWith('/basic/') ? basicOk : bearerOk)) return void res.writeHead(401).end('unauthorized');
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ data: [], total: 0, limit: 0, offset: 0, errors: null }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    authorizations,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

async function api<T>(serve: ServeProcess, method: string, body: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${serve.ports.ui}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { result: T; error?: string };
  assert.equal(res.status, 200, `${method}: ${json.error ?? ''}`);
  return json.result;
}

/** Serve started with the given umask (children inherit it). */
async function serveWithUmask(dbPath: string, umask: number): Promise<ServeProcess> {
  const previous = process.umask(umask);
  try {
    return await startServe(dbPath);
  } finally {
    process.umask(previous);
  }
}

function assertNotInFiles(dbPath: string, secrets: string[], when: string): void {
  for (const file of [dbPath, `${dbPath}-wal`]) {
    if (!fs.existsSync(file)) continue;
    const bytes = fs.readFileSync(file);
    for (const s of secrets) assert.equal(bytes.indexOf(Buffer.from(s, 'utf8')), -1, `${path.basename(file)} holds "${s}" in plain text ${when}`);
  }
}

function assertOwnerOnly(files: string[]): void {
  if (!posix) return;
  for (const f of files) if (fs.existsSync(f)) assert.equal((fs.statSync(f).mode & 0o777).toString(8), '600', `${path.basename(f)} is owner-only`);
}

function storedCredentials(dbPath: string): { token: string | null; password: string | null }[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT token, password FROM remote_sources ORDER BY id').all() as { token: string | null; password: string | null }[];
  } finally {
    db.close();
  }
}

test('a saved password and token are encrypted in the store, the files are owner-only, and the source still works', async () => {
  const remote = await jaegerWithAuth();
  const dir = tempDir();
  const dbPath = path.join(dir, 'secrets.db');
  const serve = await serveWithUmask(dbPath, 0o000);
  try {
    const basic = await api<{ id: number; hasCredentials: boolean }>(serve, 'saveRemoteSource', {
      name: 'team jaeger',
      kind: 'jaeger',
      url: `${remote.base}/basic`,
      username: 'auditor',
      password: PASSWORD,
    });
    const bearer = await api<{ id: number }>(serve, 'saveRemoteSource', { name: 'team tempo', kind: 'jaeger', url: `${remote.base}/bearer`, token: TOKEN });
    assert.equal(basic.hasCredentials, true);
    await api(serve, 'searchRemote', { sourceId: basic.id, service: 'ranker', limit: 5, lookbackMinutes: 60 });
    await api(serve, 'searchRemote', { sourceId: bearer.id, service: 'ranker', limit: 5, lookbackMinutes: 60 });
    assert.ok(remote.authorizations.includes(`Basic ${Buffer.from(`auditor:${PASSWORD}`).toString('base64')}`), 'the stored password was sent');
    assert.ok(remote.authorizations.includes(`Bearer ${TOKEN}`), 'the stored token was sent');

    for (const row of storedCredentials(dbPath)) for (const v of [row.token, row.password]) if (v !== null) assert.match(v, /^enc:v1:[A-Za-z0-9+/]+=*$/);
    assert.ok(fs.existsSync(`${dbPath}-wal`), 'the WAL is there while serve runs');
    assertNotInFiles(dbPath, [PASSWORD, TOKEN], 'while serve runs');
    assertOwnerOnly([dbPath, `${dbPath}-wal`, `${dbPath}-shm`, path.join(dir, 'keys', 'secrets.key')]);
    if (posix) assert.equal((fs.statSync(path.join(dir, 'keys')).mode & 0o777).toString(8), '700');
  } finally {
    await serve.stop();
    remote.close();
  }
  assertNotInFiles(dbPath, [PASSWORD, TOKEN], 'after serve stopped');
  assertOwnerOnly([dbPath]);
});

test('a store from before, with plain-text credentials and 0644 files, still works and is sealed on first start', async () => {
  const remote = await jaegerWithAuth();
  const dir = tempDir();
  const dbPath = path.join(dir, 'old.db');
  // What a Sightline from before left: the same schema, the credentials as given, files 0644.
  const old = openWriter(dbPath);
  old
    .prepare('INSERT INTO remote_sources(name, kind, url, token, username, password, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run('old jaeger', 'jaeger', `${remote.base}/basic`, null, 'auditor', PASSWORD, Date.now());
  old
    .prepare('INSERT INTO remote_sources(name, kind, url, token, username, password, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run('old bearer', 'jaeger', `${remote.base}/bearer`, TOKEN, null, null, Date.now());
  old.close();
  if (posix) fs.chmodSync(dbPath, 0o644);
  assert.notEqual(fs.readFileSync(dbPath).indexOf(Buffer.from(PASSWORD)), -1, 'the old store holds the password in plain text');

  const serve = await startServe(dbPath);
  try {
    const sources = await api<{ id: number; name: string }[]>(serve, 'listRemoteSources', {});
    for (const s of sources) await api(serve, 'searchRemote', { sourceId: s.id, service: 'ranker', limit: 5, lookbackMinutes: 60 });
    assert.ok(remote.authorizations.includes(`Basic ${Buffer.from(`auditor:${PASSWORD}`).toString('base64')}`), 'the old password still works');
    assert.ok(remote.authorizations.includes(`Bearer ${TOKEN}`), 'the old token still works');
    assert.ok(
      remote.authorizations.every((a) => a !== ''),
      'no request went out without its credentials',
    );
    for (const row of storedCredentials(dbPath)) for (const v of [row.token, row.password]) if (v !== null) assert.match(v, /^enc:v1:/, 'sealed in place');
    assertNotInFiles(dbPath, [PASSWORD, TOKEN], 'after the first start');
    assertOwnerOnly([dbPath, `${dbPath}-wal`, `${dbPath}-shm`]);
  } finally {
    await serve.stop();
    remote.close();
  }
  assertNotInFiles(dbPath, [PASSWORD, TOKEN], 'after serve stopped');
});
