/**
 * A core without receivers: the store (a reader, short writers), background jobs, imports,
 * stored secrets, live events, and the API over them. `startCore` (sightline-core.ts) wraps
 * one with the OTLP receivers and the UI server; the CLI opens one for the length of a command,
 * so every command goes through the same contract the UI uses.
 */
import type { ServerInfo } from '../../shared/api/contract.js';
import { ApiService } from './api/api-service.js';
import { ImportManager } from './importers/import-manager.js';
import { LiveEvents } from './events/live-events.js';
import { JobError, JobRunner } from './jobs/job-runner.js';
import type { BackgroundJob } from './jobs/background-job.js';
import { ApiRequestError } from '../../shared/api/contract.js';
import { listDatasets } from './store/datasets.js';
import { openReader, openWriter, type Db } from './store/open-store.js';
import { TraceQueries } from './store/trace-queries.js';
import { outlineThread } from './readers/outline-thread.js';
import { keeperTimingFromEnv, OutlineKeeper } from './readers/outline-keeper.js';
import { LATEST_SCHEMA_VERSION } from './store/migrations.js';
import type { PdfPrinter } from './reports/report-pdf.js';
import type { SecretCipher } from './secrets/secret-cipher.js';
import { StoredSecrets } from './secrets/stored-secrets.js';
import { writerScope, type CoreContext } from './services/core-context.js';
import { APP_VERSION } from './util/app-paths.js';
// A store older than the ML tables is migrated below; this fills those tables when it is.
import './ml/refill-old-stores.js';

export interface SessionOptions {
  dbPath: string;
  /** Make the store when it is not there; otherwise a missing store is an error. */
  create: boolean;
  /**
   * Bring a store written by an older Sightline up to this schema (default true). Reading
   * commands pass false: they leave the file as it is (it may be read-only, or an older
   * Sightline may be serving it) and see `outdated` instead.
   */
  migrate?: boolean | undefined;
  nativeBinding?: string | undefined;
  printPdf?: PdfPrinter | undefined;
  secretCipher?: SecretCipher | undefined;
  /** What getServerInfo answers (a running core knows its ports); default: the store alone. */
  info?: (() => ServerInfo) | undefined;
  /** Alert rules changed (a running core evaluates them again). */
  onRulesChanged?: (() => void) | undefined;
  /**
   * Keep huge traces' outlines in the store in the background (readers/outline-keeper.ts): a
   * running core does; a CLI command, which should leave the store as it found it, does not.
   */
  keepOutlines?: boolean | undefined;
}

export interface CoreSession {
  api: ApiService;
  /** The store was written by an older Sightline and left as it is (migrate: false). */
  outdated: boolean;
  events: LiveEvents;
  imports: ImportManager;
  jobs: JobRunner;
  reader: Db;
  close(): Promise<void>;
}

export function openCoreSession(options: SessionOptions): CoreSession {
  const { dbPath, nativeBinding } = options;
  const openWriterDb = (): Db => openWriter(dbPath, { nativeBinding });
  // Opening a writer once makes the store, or brings an older one up to this schema.
  if (options.create) openWriterDb().close();
  let reader = openReader(dbPath, { nativeBinding });
  let outdated = (reader.pragma('user_version', { simple: true }) as number) < LATEST_SCHEMA_VERSION;
  if (outdated && options.migrate !== false) {
    reader.close();
    openWriterDb().close();
    reader = openReader(dbPath, { nativeBinding });
    outdated = false;
  }
  try {
    return sessionOver(reader, outdated, options, openWriterDb);
  } catch (e) {
    reader.close();
    throw e;
  }
}

function sessionOver(reader: Db, outdated: boolean, options: SessionOptions, openWriterDb: () => Db): CoreSession {
  const { dbPath, nativeBinding } = options;
  const events = new LiveEvents();
  const jobs = new JobRunner(dbPath, nativeBinding, options.printPdf);
  const imports = new ImportManager(dbPath, events, () => listDatasets(reader).map((d) => d.name), nativeBinding);
  const outlines = outlineThread(reader, nativeBinding, openWriterDb);
  const keeperTiming = options.keepOutlines ? keeperTimingFromEnv(process.env['SIGHTLINE_OUTLINE_KEEP_MS']) : null;
  const keeper = keeperTiming ? new OutlineKeeper((stopping) => outlines.keepStale(stopping), keeperTiming) : null;
  const unsubscribeKeeper = keeper
    ? events.subscribe((e) => ((e.type === 'ingest' && e.spans > 0) || (e.type === 'import' && e.state === 'done') ? keeper.poke() : undefined))
    : () => undefined;
  const ctx: CoreContext = {
    dbPath,
    nativeBinding,
    reader,
    queries: new TraceQueries(reader, outlines),
    ...writerScope(openWriterDb),
    async runJob<T>(job: BackgroundJob, onProgress?: (step: string) => void): Promise<T> {
      try {
        return await jobs.run<T>(job, onProgress);
      } catch (e) {
        if (e instanceof JobError && e.userError) throw new ApiRequestError(e.message);
        throw e;
      }
    },
    imports,
    secrets: StoredSecrets.forStore(dbPath, options.secretCipher),
    events,
    info:
      options.info ??
      (() => ({
        appVersion: APP_VERSION,
        mode: 'cli',
        otlpHttpPort: null,
        otlpGrpcPort: null,
        listenHost: '127.0.0.1',
        receiverToken: null,
        tls: false,
        dbPath,
      })),
    onRulesChanged: options.onRulesChanged ?? (() => {}),
  };
  return {
    api: new ApiService(ctx),
    outdated,
    events,
    imports,
    jobs,
    reader,
    async close() {
      unsubscribeKeeper();
      await keeper?.stop();
      events.close();
      // Its threads' read connections close before the reader, so the writer's close is the last.
      await outlines.stop();
      await imports.closeAll();
      reader.close();
    },
  };
}
