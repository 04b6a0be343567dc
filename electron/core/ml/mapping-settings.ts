/** The user's attribute mapping as kept in the store's settings table (JSON text). */
import type { Db } from '../store/db.js';
import type { MlAttributeMapping } from '../../../shared/model/ml-mapping.js';
import { mlMappingSchema } from '../../../shared/api/contract.js';

export const ML_MAPPING_KEY = 'ml.mapping';

/** Parses stored or file text; throws a readable error when it is not a mapping. */
export function parseUserMapping(text: string): Partial<MlAttributeMapping> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`the mapping is not JSON: ${(e as Error).message}`, { cause: e });
  }
  const r = mlMappingSchema.safeParse(value);
  if (!r.success) throw new Error(`the mapping is not valid: ${r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** The stored mapping, or none when absent or unreadable (ingest never fails on it). */
export function loadUserMapping(text: string | undefined): Partial<MlAttributeMapping> {
  if (!text) return {};
  try {
    return parseUserMapping(text);
  } catch {
    return {};
  }
}

export function readUserMapping(db: Db): Partial<MlAttributeMapping> {
  return loadUserMapping(db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(ML_MAPPING_KEY) as string | undefined);
}

export function writeUserMapping(db: Db, mapping: Partial<MlAttributeMapping>): void {
  db.prepare('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    ML_MAPPING_KEY,
    JSON.stringify(mapping),
  );
}
