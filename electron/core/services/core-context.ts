/**
 * What the domain services share: the store (a reader, short writers), the job runner, the
 * import manager, stored secrets, live events. Made once by the core (sightline-core.ts for a
 * running app, core-session.ts for the CLI) and handed to every service.
 */
import type { ServerInfo } from '../../../shared/api/contract.js';
import type { Db } from '../store/db.js';
import type { TraceQueries } from '../store/trace-queries.js';
import type { ImportManager } from '../importers/import-manager.js';
import type { StoredSecrets } from '../secrets/stored-secrets.js';
import type { LiveEvents } from '../events/live-events.js';
import type { BackgroundJob } from '../jobs/background-job.js';

export interface CoreContext {
  dbPath: string;
  /** better-sqlite3 for this runtime's ABI (Electron), for connections opened on worker threads. */
  nativeBinding: string | undefined;
  reader: Db;
  queries: TraceQueries;
  /** A short-lived write connection (IMMEDIATE transactions keep it safe beside the ingest writer). */
  withWriter<T>(fn: (db: Db) => T): T;
  withWriterAsync<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Runs a job in a worker thread; a user error comes back as an ApiRequestError. `onProgress` hears its steps. */
  runJob<T>(job: BackgroundJob, onProgress?: (step: string) => void): Promise<T>;
  imports: ImportManager;
  secrets: StoredSecrets;
  events: LiveEvents;
  info(): ServerInfo;
  /** Alert rules changed: evaluate them again. */
  onRulesChanged(): void;
}

/** Opens and closes a writer around `fn`. */
export function writerScope(open: () => Db): Pick<CoreContext, 'withWriter' | 'withWriterAsync'> {
  return {
    withWriter<T>(fn: (db: Db) => T): T {
      const db = open();
      try {
        return fn(db);
      } finally {
        db.close();
      }
    },
    async withWriterAsync<T>(fn: (db: Db) => Promise<T>): Promise<T> {
      const db = open();
      try {
        return await fn(db);
      } finally {
        db.close();
      }
    },
  };
}
