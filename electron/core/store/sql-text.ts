/**
 * SQL text that can only be made from source-code constants. Every statement the core runs
 * is a literal, or a SqlText built with the `sql` tag from literals and other SqlText; values
 * (anything a request, a file or a user supplies) travel as bound parameters, never in the
 * text. `scripts/check-sql.mjs` (run by `npm test`) fails the build on a prepare/exec whose
 * text is anything else, and on any cast to SqlText outside this file.
 */
declare const sqlTextBrand: unique symbol;

export type SqlText = string & { readonly [sqlTextBrand]: true };

/** Number literals (limits, ids of built-in rows) may be inlined; strings may not. */
type SqlPart = SqlText | number;

/** `sql\`SELECT … WHERE ${fragment}\``: literal text with SqlText fragments spliced in. */
export function sql(strings: TemplateStringsArray, ...parts: SqlPart[]): SqlText {
  let out = strings[0]!;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (typeof p === 'number' && !Number.isFinite(p)) throw new Error('sql: only finite numbers may be inlined');
    out += String(p) + strings[i + 1]!;
  }
  return out as SqlText;
}

/** Joins fragments with a fixed separator. */
export function joinSql(parts: readonly SqlText[], separator: ' AND ' | ' OR ' | ', ' | ' UNION ALL '): SqlText {
  return parts.join(separator) as SqlText;
}

/** `?, ?, ?` for n bound values (n ≥ 1). Prefer `json_each(?)` for long lists. */
export function placeholders(n: number): SqlText {
  if (!Number.isInteger(n) || n < 1) throw new Error('sql: placeholders need a positive count');
  return new Array<string>(n).fill('?').join(', ') as SqlText;
}
