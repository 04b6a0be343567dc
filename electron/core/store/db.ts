/** The store's connection type, apart from open-store.ts so modules that only use a connection do not depend on opening one. */
import type Database from 'better-sqlite3';

export type Db = Database.Database;
