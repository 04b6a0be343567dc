/**
 * In the desktop app stored credentials are encrypted by the Electron main process with
 * safeStorage (the OS keychain), which the core's utility process cannot reach: the core makes
 * a `secret` call and the main process answers. This runs the built core host
 * (dist/app/core-host.js) with --os-secrets in a child process, driven by the main process's own
 * CoreConnection, with AES-256-GCM under a key only this test process holds standing in for
 * safeStorage (electron/main/os-secrets.ts needs the Electron binary). A plain-text credential
 * left by an older Sightline is sealed through the main process at start, a new one is saved
 * as an `enc:os1:` envelope, searching decrypts through the main process, neither secret is in
 * the store's files, and a keychain that refuses is a clear error.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ApiMethod, ApiResponses } from '../../shared/api/contract.js';
import { openWriter } from '../../electron/core/store/open-store.js';
import { tempDir } from '../helpers/serve-process.js';
import { forkCoreHost, type CoreHostProcess } from '../helpers/core-host-process.js';

const OLD_PASSWORD = 'old-plain-password-7d1e';
const TOKEN = 'new-token-for-the-keychain-42af';

/** The OS keychain as the test plays it: a key that never leaves this process. */
const keychainKey = crypto.randomBytes(32);
function keychainEncrypt(plain: string): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', keychainKey, iv);
  const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
}
function keychainDecrypt(b64: string): string {
  const b = Buffer.from(b64, 'base64');
  const d = crypto.createDecipheriv('aes-256-gcm', keychainKey, b.subarray(0, 12));
  d.setAuthTag(b.subarray(12, 28));
  return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
}

let host: CoreHostProcess;
let dbPath: string;
let remote: http.Server;
let remoteBase = '';
const authorizations: string[] = [];
const secretRequests: { op: 'encrypt' | 'decrypt'; text: string }[] = [];
let keychainRefuses = false;

/** A contract call as a window makes it, through the main process. */
function call<M extends ApiMethod>(method: M, request: unknown): Promise<ApiResponses[M]> {
  return host.core.callApi(method, request);
}

before(async () => {
  remote = http.createServer((req, res) => {
    authorizations.push(req.headers.authorization ?? '');
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ data: [], total: 0, limit: 0, offset: 0, errors: null }));
  });
  await new Promise<void>((r) => remote.listen(0, '127.0.0.1', () => r()));
  remoteBase = `http://127.0.0.1:${(remote.address() as { port: number }).port}`;

  dbPath = path.join(tempDir(), 'host.db');
  const old = openWriter(dbPath);
  old
    .prepare('INSERT INTO remote_sources(name, kind, url, token, username, password, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run('old', 'jaeger', `${remoteBase}/old`, null, 'auditor', OLD_PASSWORD, Date.now());
  old.close();

  host = forkCoreHost(['--db', dbPath, '--otlp-http-port', '0', '--otlp-grpc-port', 'off', '--os-secrets'], {
    // What electron/main/os-secrets.ts does with safeStorage.
    secret: (op, text) => {
      secretRequests.push({ op, text });
      if (keychainRefuses) throw new Error('locked');
      return op === 'encrypt' ? keychainEncrypt(text) : keychainDecrypt(text);
    },
  });
  await host.ready;
});

after(async () => {
  remote?.closeAllConnections();
  remote?.close();
  await host?.stop();
});

function stored(): Map<string, { token: string | null; password: string | null }> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db.prepare('SELECT name, token, password FROM remote_sources').all() as { name: string; token: string | null; password: string | null }[];
    return new Map(rows.map((r) => [r.name, { token: r.token, password: r.password }]));
  } finally {
    db.close();
  }
}

test('the core host seals credentials through the main process and opens them the same way', async () => {
  assert.deepEqual(secretRequests[0], { op: 'encrypt', text: OLD_PASSWORD }, 'at start, the plain-text password of the old store went to the keychain');
  assert.match(stored().get('old')!.password!, /^enc:os1:[A-Za-z0-9+/]+=*$/);

  const saved = await call('saveRemoteSource', { name: 'new', kind: 'jaeger', url: `${remoteBase}/new`, token: TOKEN });
  assert.ok(
    secretRequests.some((r) => r.op === 'encrypt' && r.text === TOKEN),
    'the new token was encrypted by the main process',
  );
  const newToken = stored().get('new')!.token!;
  assert.match(newToken, /^enc:os1:/);
  assert.equal(keychainDecrypt(newToken.slice('enc:os1:'.length)), TOKEN, 'the envelope holds exactly what the keychain returned');

  const sources = await call('listRemoteSources', {});
  for (const s of sources) await call('searchRemote', { sourceId: s.id, service: 'ranker', limit: 5, lookbackMinutes: 60 });
  assert.ok(authorizations.includes(`Basic ${Buffer.from(`auditor:${OLD_PASSWORD}`).toString('base64')}`));
  assert.ok(authorizations.includes(`Bearer ${TOKEN}`));
  assert.ok(secretRequests.filter((r) => r.op === 'decrypt').length >= 2, 'searching decrypted through the main process');
  assert.equal(saved.hasCredentials, true);

  for (const file of [dbPath, `${dbPath}-wal`]) {
    if (!fs.existsSync(file)) continue;
    const bytes = fs.readFileSync(file);
    for (const secret of [OLD_PASSWORD, TOKEN]) assert.equal(bytes.indexOf(Buffer.from(secret)), -1, `${path.basename(file)} holds "${secret}"`);
  }
  assert.equal(fs.existsSync(path.join(path.dirname(dbPath), 'keys', 'secrets.key')), false, 'with the OS keychain, no key file is made');
});

test('a keychain that refuses is a clear error, not a request without credentials', async () => {
  const before = authorizations.length;
  keychainRefuses = true;
  try {
    const [source] = (await call('listRemoteSources', {})).filter((s) => s.name === 'new');
    await assert.rejects(
      call('searchRemote', { sourceId: source!.id, service: 'ranker', limit: 5, lookbackMinutes: 60 }),
      /the OS keychain could not decrypt a stored credential: locked/,
    );
  } finally {
    keychainRefuses = false;
  }
  assert.equal(authorizations.length, before, 'nothing was sent to the remote server');
});
