/**
 * Remote sources configured by the user, kept in the store. Tokens and passwords are stored
 * encrypted (secrets/: `enc:…` envelopes in the same columns) and never go to the UI; rows
 * from before encryption hold plain text, which is read as it is and sealed at the next start
 * (seal-plain-credentials.ts).
 */
import type { Db } from '../store/open-store.js';
import type { RemoteSourceInfo } from '../../../shared/model/telemetry.js';
import type { RemoteKind, RemoteSource } from './remote-client.js';
import type { StoredSecrets } from '../secrets/stored-secrets.js';

interface Row {
  id: number;
  name: string;
  kind: RemoteKind;
  url: string;
  token: string | null;
  username: string | null;
  password: string | null;
}

/** A source as the user gave it, credentials in plain text. */
export interface RemoteSourceInput {
  name: string;
  kind: RemoteKind;
  url: string;
  token?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

/** A source ready to store: token and password already sealed. */
export interface SealedRemoteSource {
  name: string;
  kind: RemoteKind;
  url: string;
  token: string | null;
  username: string | null;
  password: string | null;
}

const toInfo = (r: Row): RemoteSourceInfo => ({ id: r.id, name: r.name, kind: r.kind, url: r.url, hasCredentials: !!(r.token || r.username) });

export function listRemoteSources(db: Db): RemoteSourceInfo[] {
  return (db.prepare('SELECT * FROM remote_sources ORDER BY name').all() as Row[]).map(toInfo);
}

/** The source with its credentials opened; null when there is no such source. */
export async function remoteSource(db: Db, secrets: StoredSecrets, id: number): Promise<RemoteSource | null> {
  const r = db.prepare('SELECT * FROM remote_sources WHERE id = ?').get(id) as Row | undefined;
  if (!r) return null;
  return { kind: r.kind, url: r.url, token: await secrets.open(r.token), username: r.username ?? undefined, password: await secrets.open(r.password) };
}

/** Encrypts the credentials before anything is written (the cipher may be in another process). */
export async function sealRemoteSource(secrets: StoredSecrets, s: RemoteSourceInput): Promise<SealedRemoteSource> {
  return { name: s.name, kind: s.kind, url: s.url, token: await secrets.seal(s.token), username: s.username ?? null, password: await secrets.seal(s.password) };
}

export function saveRemoteSource(db: Db, s: SealedRemoteSource): RemoteSourceInfo {
  db.prepare(
    `INSERT INTO remote_sources(name, kind, url, token, username, password, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, url = excluded.url, token = excluded.token, username = excluded.username, password = excluded.password`,
  ).run(s.name, s.kind, s.url, s.token, s.username, s.password, Date.now());
  return toInfo(db.prepare('SELECT * FROM remote_sources WHERE name = ?').get(s.name) as Row);
}

export function deleteRemoteSource(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM remote_sources WHERE id = ?').run(id).changes > 0;
}
