/**
 * The store's files are owner-only (0600): they hold everything received, and remote sources'
 * settings. SQLite gives the -wal and -shm files the mode of the database file, so the database
 * file is created first, empty (which SQLite takes as a new database), with mode 0600 set
 * explicitly whatever the umask. Files made by an older Sightline with a looser mode are
 * tightened when this user owns them. Windows has no such modes; nothing is done there.
 */
import fs from 'node:fs';

const STORE_FILE_SUFFIXES = ['', '-wal', '-shm', '-journal'];
const OWNER_ONLY = 0o600;

const hasModes = (): boolean => process.platform !== 'win32' && typeof process.getuid === 'function';
/** SQLite's in-memory and temporary databases have no file. */
const isFile = (dbPath: string): boolean => dbPath !== '' && dbPath !== ':memory:' && !dbPath.startsWith('file:');

/** Creates the database file owner-only if it does not exist yet. */
export function createStoreFile(dbPath: string): void {
  if (!hasModes() || !isFile(dbPath)) return;
  let fd: number;
  try {
    fd = fs.openSync(dbPath, 'wx', OWNER_ONLY);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw e;
  }
  try {
    fs.fchmodSync(fd, OWNER_ONLY);
  } finally {
    fs.closeSync(fd);
  }
}

/** Takes group and other access away from the store's files that this user owns. */
export function tightenStoreFiles(dbPath: string): void {
  if (!hasModes() || !isFile(dbPath)) return;
  const uid = process.getuid!();
  for (const suffix of STORE_FILE_SUFFIXES) {
    let st: fs.Stats;
    try {
      st = fs.statSync(dbPath + suffix);
    } catch {
      continue;
    }
    if (st.isFile() && st.uid === uid && (st.mode & 0o077) !== 0) fs.chmodSync(dbPath + suffix, st.mode & 0o700);
  }
}
