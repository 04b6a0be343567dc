/**
 * Small helpers for the text a search sends to SQLite, so any key or text a user types is
 * found and none of it reaches the SQL text:
 * - attribute keys become bound JSON paths (`$."key"` with JSON escapes; SQLite ≥ 3.45 reads
 *   escaped labels, so keys with quotes, dots, brackets or backslashes work);
 * - free text matches case-insensitively. SQLite's LIKE folds ASCII letters only, so text
 *   with other letters ("Ünïcode", "ΣΊΣΥΦΟΣ") goes through `sightline_contains`, a function
 *   every connection registers, which folds with JavaScript's toLowerCase.
 */
import type { Db } from './db.js';
import { sql, type SqlText } from './sql-text.js';

/** The bound JSON path of a top-level attribute key. */
export function attributePath(key: string): string {
  return '$.' + JSON.stringify(key);
}

/** Registers the store's SQL functions on a connection (readers and writers alike). */
export function registerSqlFunctions(db: Db): void {
  db.function('sightline_contains', { deterministic: true, varargs: false }, (haystack: unknown, foldedNeedle: unknown) => {
    if (typeof haystack !== 'string' || typeof foldedNeedle !== 'string') return 0;
    return haystack.toLowerCase().includes(foldedNeedle) ? 1 : 0;
  });
}

const likeEscape = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const isAscii = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);

/**
 * "Does this column contain the text, ignoring case?" as a SQL condition and its parameters.
 * Mode 'text' matches plain text; 'json' matches inside stored JSON, where `"` and `\` and
 * control characters are escaped, so the text is escaped the same way first.
 */
export function foldedContains(text: string): { sql(column: SqlText, mode: 'text' | 'json'): SqlText; params(mode: 'text' | 'json'): string[] } {
  const forms = { text, json: JSON.stringify(text).slice(1, -1) };
  return {
    sql: (column, mode) => (isAscii(forms[mode]) ? sql`${column} LIKE ? ESCAPE '\\'` : sql`sightline_contains(${column}, ?)`),
    params: (mode) => [isAscii(forms[mode]) ? likeEscape(forms[mode]) : forms[mode].toLowerCase()],
  };
}
