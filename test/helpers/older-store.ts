/**
 * Turns a store back into what an older Sightline left: the tables, indexes and columns of
 * every migration after `version` removed, and `user_version` set to it. For tests of the
 * upgrade path (a later migration then runs for real, as it would on a user's old store).
 */
import type Database from 'better-sqlite3';
import { MIGRATIONS } from '../../electron/core/store/migrations.js';

export function undoMigrationsAfter(db: Database.Database, version: number): void {
  for (const m of MIGRATIONS.filter((x) => x.version > version).reverse()) {
    for (const [, trigger] of m.sql.matchAll(/CREATE TRIGGER (\w+)/g)) db.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
    for (const [, index] of m.sql.matchAll(/CREATE INDEX (\w+)/g)) db.exec(`DROP INDEX IF EXISTS ${index}`);
    for (const [, table] of m.sql.matchAll(/CREATE TABLE (\w+)/g)) db.exec(`DROP TABLE IF EXISTS ${table}`);
    for (const [, table, column] of m.sql.matchAll(/ALTER TABLE (\w+) ADD COLUMN (\w+)/g)) {
      const exists = db.prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').get(table, column);
      if (exists) db.exec(`ALTER TABLE ${table} DROP COLUMN ${column}`);
    }
  }
  db.pragma(`user_version = ${version}`);
}
