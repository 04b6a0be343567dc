/**
 * The SQL check in `npm test` (scripts/check-sql.mjs) must fail on SQL text built from data,
 * and pass on literals, the sql tag and bound parameters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function check(source: string): { code: number; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-sql-check-'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.copyFileSync(path.join(ROOT, 'electron/core/store/sql-text.ts'), path.join(dir, 'sql-text.ts'));
  fs.writeFileSync(path.join(dir, 'code.ts'), source);
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: ['node'], noEmit: true },
      files: ['code.ts', 'sql-text.ts'],
    }),
  );
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/check-sql.mjs'), path.join(dir, 'tsconfig.json')], { cwd: ROOT, encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  return { code: r.status ?? -1, output: r.stdout + r.stderr };
}

const header = `import Database from 'better-sqlite3';\nimport { sql, joinSql, type SqlText } from './sql-text.js';\nconst db = new Database(':memory:');\n`;

test('SQL text built from request data fails the check', () => {
  for (const body of [
    'export function f(key: string) { return db.prepare(`SELECT json_extract(a, \'$."${key}"\') FROM t`).all(); }',
    "export function f(key: string) { return db.prepare('SELECT * FROM t WHERE k = ' + key).all(); }",
    "export function f(where: string[]) { return db.prepare(`SELECT * FROM t WHERE ${where.join(' AND ')}`).all(); }",
    'export function f(key: string) { return db.prepare(key as SqlText).all(); }',
    'export function f(key: string) { db.exec(`DELETE FROM ${key}`); }',
  ]) {
    const r = check(header + body);
    assert.equal(r.code, 1, `${body}\n${r.output}`);
  }
});

test('literals, constants, the sql tag and bound parameters pass', () => {
  const r = check(
    header +
      `const COLS = 'a, b';\nconst OPS = { eq: sql\`=\`, ne: sql\`!=\` } as const;\n` +
      `export function f(key: string, op: 'eq' | 'ne', n: number) {\n` +
      `  const where: SqlText[] = [sql\`k = ?\`, sql\`v \${OPS[op]} ?\`];\n` +
      `  db.prepare(\`SELECT \${COLS} FROM t WHERE \${joinSql(where, ' AND ')} LIMIT \${5}\`).all(key, n);\n` +
      `  db.pragma(sql\`cache_size = -\${n * 1024}\`);\n` +
      `  return db.prepare('SELECT json_extract(a, ?) FROM t').all('$.' + JSON.stringify(key));\n}\n`,
  );
  assert.equal(r.code, 0, r.output);
});
