/**
 * How CLI commands open the store for reading and name a dataset: one place for the default
 * path, the read-only open and the errors a user sees.
 */
import path from 'node:path';
import { openReader } from '../core/store/open-store.js';
import { findDataset } from '../core/store/datasets.js';
import type { Db } from '../core/store/db.js';
import { defaultDbPath } from '../core/util/app-paths.js';
import { CliError } from './cli-error.js';

/** The store path a command works on: --db, or the app-data store. */
export function storePath(db: string | undefined): string {
  return path.resolve(db ?? defaultDbPath());
}

/** Opens the store read-only; `needsMl` refuses stores written before the ML tables existed. */
export function openStoreReader(db: string | undefined, options: { needsMl?: boolean } = {}): Db {
  let reader: Db;
  try {
    reader = openReader(storePath(db));
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  if (options.needsMl && !reader.prepare("SELECT 1 FROM sqlite_master WHERE name = 'predictions'").get()) {
    reader.close();
    throw new CliError('this store predates the ML tables; open it once with sightline serve (or import into it) to upgrade it');
  }
  return reader;
}

/** The ID of dataset `name`, undefined when no name was given; an unknown name is an error. */
export function datasetIdByName(db: Db, name: string | undefined): number | undefined {
  if (name === undefined) return undefined;
  const ds = findDataset(db, name);
  if (!ds) throw new CliError(`no dataset named "${name}" (see: sightline datasets)`);
  return ds.id;
}
