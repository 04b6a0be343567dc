/**
 * Opens the SQLite file: WAL mode (readers never wait for the writer), migrations applied by
 * the one writer. Readers open the same file read-only. `synchronous=NORMAL` in WAL keeps
 * every committed transaction through a process crash (kill -9); only an OS crash or power
 * loss can drop the last transactions, which is the usual trade for a local viewer.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
import { registerSqlFunctions } from './sql-functions.js';
import { sql } from './sql-text.js';
import { createStoreFile, tightenStoreFiles } from './store-file-mode.js';

export type { Db } from './db.js';
import type { Db } from './db.js';

export class StoreError extends Error {
  override name = 'StoreError';
}

export interface OpenOptions {
  /** Path of a better_sqlite3.node built for this runtime (Electron and Node differ). */
  nativeBinding?: string;
  /** SQLite page cache in MiB (writers 64 by default, readers 32; imports, which append, need little). */
  cacheMb?: number;
}

/**
 * The page cache of a connection that reads each page once (an analysis, a report's side
 * work): 170 MB of prediction blocks read through a 32 MB cache left 30 MB of RSS per connection
 * for nothing; the pages come from the OS's cache either way. `sightline analyze` of 1M
 * predictions peaked at 468–524 MiB with 32 MB, 435–449 MiB with this, no slower.
 */
export const ONE_PASS_CACHE_MB = 4;

/**
 * A step that brings a just-migrated store up to date with something a layer above the store
 * derives from its rows (the ML index of a store older than its tables: ml/refill-old-stores.ts).
 * Runs on every writer open, with the schema version the store had before migrating (0 for a
 * new store), and decides itself whether there is anything to do.
 */
export type AfterMigrate = (db: Db, versionBefore: number) => void;

const afterMigrate: AfterMigrate[] = [];

/** Registers a step run after migrations by every later openWriter in this thread (once per function). */
export function registerAfterMigrate(step: AfterMigrate): void {
  if (!afterMigrate.includes(step)) afterMigrate.push(step);
}

export function openWriter(dbPath: string, options: OpenOptions = {}): Db {
  fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
  // Owner-only files: made 0600 before SQLite opens them (its -wal and -shm take that mode).
  createStoreFile(dbPath);
  tightenStoreFiles(dbPath);
  const db = new Database(dbPath, { nativeBinding: options.nativeBinding });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma(sql`cache_size = -${(options.cacheMb ?? 64) * 1024}`);
  db.pragma('temp_store = MEMORY');
  db.pragma('wal_autocheckpoint = 4000'); // 16 MiB; 64 MiB was measured slower (long checkpoint stalls)
  registerSqlFunctions(db);
  const before = migrate(db);
  for (const step of afterMigrate) step(db, before);
  return db;
}

export function openReader(dbPath: string, options: OpenOptions = {}): Db {
  if (!fs.existsSync(dbPath)) throw new StoreError(`no Sightline store at ${dbPath}`);
  tightenStoreFiles(dbPath);
  const db = new Database(dbPath, { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding });
  db.pragma('busy_timeout = 5000');
  db.pragma(sql`cache_size = -${(options.cacheMb ?? 32) * 1024}`);
  registerSqlFunctions(db);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === 0) throw new StoreError(`${dbPath} is not a Sightline store (schema version 0)`);
  if (version > LATEST_SCHEMA_VERSION) {
    throw new StoreError(`${dbPath} has schema version ${version}, newer than this Sightline (${LATEST_SCHEMA_VERSION})`);
  }
  return db;
}

/** Runs `fn` on a read connection of its own to `dbPath`, closed afterwards (worker threads). */
export function withReader<T>(dbPath: string, options: OpenOptions, fn: (db: Db) => T): T {
  const db = openReader(dbPath, options);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Applies pending migrations; returns the version the store had before. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_SCHEMA_VERSION) {
    throw new StoreError(`the store has schema version ${current}, newer than this Sightline (${LATEST_SCHEMA_VERSION})`);
  }
  // Long work says so: a migration that fills a table from a large store's rows takes a while
  // (migration 10 on a 12.5M-span store: 15–28 s), and a silent start looks like a hang.
  if (current > 0 && current < LATEST_SCHEMA_VERSION)
    process.stderr.write(
      `sightline: bringing the store up to date (schema ${current} → ${LATEST_SCHEMA_VERSION}); this runs once and may take a minute on a large store\n`,
    );
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(sql`user_version = ${m.version}`);
    })();
  }
  return current;
}
