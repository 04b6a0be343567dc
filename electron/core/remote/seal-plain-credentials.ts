/**
 * Seals credentials stored in plain text by a Sightline from before encryption, once, when the
 * core starts. Encryption runs first (the cipher may be in another process), then one write
 * transaction replaces each value only if it is still the plain text that was read. The
 * connection deletes securely while it does (SQLite zeroes the freed cell bytes), and the WAL
 * is checkpointed and truncated after, so the plain text does not linger in the files.
 */
import type { Db } from '../store/db.js';
import type { StoredSecrets } from '../secrets/stored-secrets.js';

interface PlainRow {
  id: number;
  token: string | null;
  password: string | null;
}

/** Returns how many sources had plain-text credentials sealed. */
export async function sealPlainCredentials(db: Db, secrets: StoredSecrets): Promise<number> {
  const rows = db
    .prepare("SELECT id, token, password FROM remote_sources WHERE substr(token, 1, 4) <> 'enc:' OR substr(password, 1, 4) <> 'enc:'")
    .all() as PlainRow[];
  if (rows.length === 0) return 0;
  const sealed: { id: number; token: [string | null, string | null]; password: [string | null, string | null] }[] = [];
  for (const r of rows) {
    sealed.push({
      id: r.id,
      token: [r.token, secrets.isPlain(r.token) ? await secrets.seal(r.token) : r.token],
      password: [r.password, secrets.isPlain(r.password) ? await secrets.seal(r.password) : r.password],
    });
  }
  const update = db.prepare('UPDATE remote_sources SET token = ?, password = ? WHERE id = ? AND token IS ? AND password IS ?');
  db.pragma('secure_delete = ON');
  try {
    db.transaction(() => {
      for (const s of sealed) update.run(s.token[1], s.password[1], s.id, s.token[0], s.password[0]);
    })();
  } finally {
    db.pragma('secure_delete = OFF');
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  return rows.length;
}

/** At the core's start: seals on a connection of its own; a failure is reported, not fatal (plain text still reads). */
export async function sealPlainCredentialsAtStart(openWriterDb: () => Db, secrets: StoredSecrets): Promise<void> {
  const db = openWriterDb();
  try {
    await sealPlainCredentials(db, secrets);
  } catch (e) {
    process.stderr.write(`sightline: could not encrypt the stored credentials (they still work; the next start tries again): ${(e as Error).message}\n`);
  } finally {
    db.close();
  }
}
