/**
 * The key-file cipher for stored credentials (real files, real AES-256-GCM): envelopes are
 * `enc:v1:…` and differ every time; a changed byte or another store's key is refused, not
 * misread; the key is made once, owner-only, in keys/ beside the store. StoredSecrets reads plain
 * text from before encryption as it is, and says clearly when an envelope needs the desktop
 * app's OS keychain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileKeyCipher, secretKeyFile } from '../../electron/core/secrets/file-key-cipher.js';
import { StoredSecrets } from '../../electron/core/secrets/stored-secrets.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-secrets-'));

test("credentials are sealed in a v1 envelope that only this store's key opens", async () => {
  const dir = tmp();
  const keyFile = secretKeyFile(path.join(dir, 'store.db'));
  assert.equal(keyFile, path.join(dir, 'keys', 'secrets.key'));
  const cipher = new FileKeyCipher(keyFile);
  const a = await cipher.encrypt('hunter2-päss');
  const b = await cipher.encrypt('hunter2-päss');
  assert.match(a, /^enc:v1:[A-Za-z0-9+/]+=*$/);
  assert.notEqual(a, b, 'a fresh IV every time');
  assert.ok(!a.includes('hunter2'));
  assert.equal(await new FileKeyCipher(keyFile).decrypt(a), 'hunter2-päss', 'a second instance reads the same key file');

  if (process.platform !== 'win32') {
    assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(keyFile)).mode & 0o777, 0o700);
  }

  const payload = Buffer.from(a.slice('enc:v1:'.length), 'base64');
  payload[payload.length - 1]! ^= 1;
  await assert.rejects(cipher.decrypt(`enc:v1:${payload.toString('base64')}`), /altered, or encrypted with another key/);
  const other = new FileKeyCipher(secretKeyFile(path.join(tmp(), 'other.db')));
  await assert.rejects(other.decrypt(a), /its key .*secrets\.key is missing; enter the credentials again/);
  await other.encrypt('makes that store its own key');
  await assert.rejects(other.decrypt(a), /altered, or encrypted with another key/);
});

test('plain text from before encryption reads as it is; an OS-keychain envelope names the desktop app', async () => {
  const secrets = StoredSecrets.forStore(path.join(tmp(), 'store.db'));
  assert.equal(await secrets.open('old-plain-password'), 'old-plain-password');
  assert.equal(secrets.isPlain('old-plain-password'), true);
  assert.equal(await secrets.open(null), undefined);
  const sealed = await secrets.seal('s3cret');
  assert.equal(secrets.isPlain(sealed), false);
  assert.equal(await secrets.open(sealed), 's3cret');
  await assert.rejects(secrets.open('enc:os1:AAAA'), /saved by the Sightline desktop app in the OS keychain/);
});
