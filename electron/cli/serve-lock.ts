/**
 * A note beside the store, `<db>.serve.json`, listing the processes that serve it: `serve` (and
 * `start`) add themselves once listening and take themselves off on a clean exit. A second
 * one then warns that another Sightline is already serving that store, and starts anyway:
 * the store is made for several writers at once (WAL, short immediate transactions; `import`
 * beside `serve` is the documented case), so refusing would only stop things that work, while
 * the likely mistake (two receivers and two UIs, data arriving at the other one) is what the
 * warning names. Entries of processes that are gone (a crash, a kill -9) are dropped silently.
 * Best effort: a folder that cannot be written only means no note.
 */
import fs from 'node:fs';

export interface ServeEntry {
  pid: number;
  /** The UI's address, or null for the desktop window. */
  ui: string | null;
  otlpHttp: number | null;
  otlpGrpc: number | null;
  startedAt: string;
}

export const serveLockPath = (dbPath: string): string => `${dbPath}.serve.json`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // there, but someone else's
  }
}

function readEntries(file: string): ServeEntry[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { servers?: unknown };
    return Array.isArray(parsed.servers) ? (parsed.servers as ServeEntry[]).filter((e) => Number.isInteger(e?.pid) && e.pid > 0) : [];
  } catch {
    return [];
  }
}

function writeEntries(file: string, entries: ServeEntry[]): void {
  try {
    if (entries.length === 0) return fs.rmSync(file, { force: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ servers: entries }, null, 2) + '\n');
    fs.renameSync(tmp, file);
  } catch {
    // a read-only folder: no note, nothing else changes
  }
}

/** The other live processes serving the store at `dbPath`. */
export function otherServers(dbPath: string, self = process.pid): ServeEntry[] {
  return readEntries(serveLockPath(dbPath)).filter((e) => e.pid !== self && isAlive(e.pid));
}

/** One warning line on stderr per other process serving the store. */
export function warnIfServed(dbPath: string, self = process.pid): void {
  for (const o of otherServers(dbPath, self))
    process.stderr.write(
      `warning: another Sightline (pid ${o.pid}, ${o.ui ? `UI ${o.ui}` : 'desktop window'}) is serving this store; this one starts too and both write to it (stop one, or use --db for a separate store)\n`,
    );
}

/** Adds `entry` to the note (dropping dead processes); the function returned takes it off again. */
export function claimStore(dbPath: string, entry: ServeEntry): () => void {
  const file = serveLockPath(dbPath);
  writeEntries(file, [...otherServers(dbPath, entry.pid), entry]);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    writeEntries(
      file,
      readEntries(file).filter((e) => e.pid !== entry.pid && isAlive(e.pid)),
    );
  };
}
