/**
 * How a CLI command reaches the core: it opens a session over the store (front-door.ts) and
 * calls the same contract the UI calls, so a command validates, answers and fails the way the
 * app does. The contract's errors (a bad request, a missing store) become one-line CLI errors.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiRequestError, type ApiMethod, type ApiRequest, type ApiResponses } from '../../shared/api/contract.js';
import type { LiveEvent } from '../../shared/api/events.js';
import { defaultDbPath, openCoreSession, type CoreSession } from '../core/front-door.js';
import { CliError } from './cli-error.js';
import { findDataset } from './dataset-names.js';

export interface CliCore {
  dbPath: string;
  call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponses[M]>;
  /** Live events (import progress, report steps) while the command runs. */
  subscribe(listener: (event: LiveEvent) => void): () => void;
  /** The ID of dataset `name` (undefined when no name was given); an unknown name is an error. */
  datasetId(name: string | undefined): Promise<number | undefined>;
}

/** The contract's field names as the CLI's flags, for its error messages. */
const FLAG_OF_FIELD: Record<string, string> = {
  fromMs: '--from',
  toMs: '--to',
  baselineFromMs: '--baseline-from',
  baselineToMs: '--baseline-to',
  distanceThreshold: '--distance',
  datasetName: '--dataset',
  datasetId: '--dataset',
  traceIds: 'TRACE_ID',
  outPath: '--out',
  evidencePath: '--evidence',
  username: '--user',
};

/** "invalid analyze request: baselineToMs: …; request: …" → "--baseline-to: …; …". */
export function inFlagTerms(message: string): string {
  return message
    .replace(/^invalid \w+ request: /, '')
    .split('; ')
    .map((part) =>
      part
        .replace(/^request: /, '')
        .replace(
          /^((?:source\.)?)([a-zA-Z]+)(\.\d+)?: /,
          (_m, _source: string, field: string) => `${FLAG_OF_FIELD[field] ?? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`}: `,
        ),
    )
    .join('; ');
}

/** The store path a command works on: --db, or the app-data store. */
export function storePath(db: string | undefined): string {
  return path.resolve(db ?? defaultDbPath());
}

export interface CoreUse {
  /** Writing commands (import, pull, demo): make the store when missing, bring an older one up to date. */
  create?: boolean;
  /** Reading commands that need the current schema (analyze, report) refuse an older store instead of changing it. */
  current?: boolean;
}

/**
 * Runs `fn` with a core over the store at `db` (default: the app-data store). Reading commands
 * leave the file as it is: it may be read-only, or an older Sightline may be serving it.
 */
export async function withCore<T>(db: string | undefined, use: CoreUse, fn: (core: CliCore) => Promise<T>): Promise<T> {
  const dbPath = storePath(db);
  let session: CoreSession;
  try {
    session = openCoreSession({ dbPath, create: use.create ?? false, migrate: use.create ?? false });
  } catch (e) {
    const message = (e as Error).message;
    throw new CliError(/not a database/i.test(message) ? `${dbPath} is not a Sightline store (${message})` : message);
  }
  if (use.current && session.outdated) {
    await session.close();
    throw new CliError('this store was written by an older Sightline; open it once with sightline serve (or import into it) to bring it up to date');
  }
  const call = async <M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponses[M]> => {
    try {
      return await session.api.call(method, request);
    } catch (e) {
      if (e instanceof ApiRequestError) throw new CliError(inFlagTerms(e.message));
      throw e;
    }
  };
  const core: CliCore = {
    dbPath,
    call,
    subscribe: (listener) => session.events.subscribe(listener),
    async datasetId(name) {
      if (name === undefined) return undefined;
      return findDataset(await call('listDatasets', {}), name).id;
    },
  };
  try {
    return await fn(core);
  } finally {
    await session.close();
  }
}

/**
 * For commands that need no store (verifying a file, searching a remote server): a scratch
 * store in a temp folder, removed after, so the command still goes through the contract.
 */
export async function withScratchCore<T>(fn: (core: CliCore) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-scratch-'));
  try {
    return await withCore(path.join(dir, 'scratch.db'), { create: true }, fn);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
