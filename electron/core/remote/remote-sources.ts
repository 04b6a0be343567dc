/**
 * Remote sources configured by the user, kept in the store. Credentials stay in the local
 * SQLite file (like the receiver token in the app-data folder) and never go to the UI.
 */
import type { Db } from '../store/open-store.js';
import type { RemoteSourceInfo } from '../../../shared/model/telemetry.js';
import type { RemoteKind, RemoteSource } from './remote-client.js';

interface Row {
  id: number;
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

export function remoteSource(db: Db, id: number): RemoteSource | null {
  const r = db.prepare('SELECT * FROM remote_sources WHERE id = ?').get(id) as Row | undefined;
  return r ? { kind: r.kind, url: r.url, token: r.token ?? undefined, username: r.username ?? undefined, password: r.password ?? undefined } : null;
}

export function saveRemoteSource(db: Db, s: { name: string; kind: RemoteKind; url: string; token?: string | undefined; username?: string | undefined; password?: string | undefined }): RemoteSourceInfo {
  db.prepare(
    `INSERT INTO remote_sources(name, kind, url, token, username, password, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, url = excluded.url, token = excluded.token, username = excluded.username, password = excluded.password`,
  ).run(s.name, s.kind, s.url, s.token ?? null, s.username ?? null, s.password ?? null, Date.now());
  return toInfo(db.prepare('SELECT * FROM remote_sources WHERE name = ?').get(s.name) as Row);
}

export function deleteRemoteSource(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM remote_sources WHERE id = ?').run(id).changes > 0;
}
