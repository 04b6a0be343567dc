/**
 * Code that makes from in-memory values what must equal a read of the row (span content lines,
 * prediction blocks) relies on asReadBack saying exactly what SQLite gives back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { asReadBack } from '../../electron/core/store/read-back-text.js';

test('asReadBack is what a text column gives back, lone surrogates included', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (x TEXT)');
  const texts = [
    'plain',
    '',
    'naïve 🚀',
    'nul\u0000inside',
    'high \ud800 alone',
    'low \udc00 alone',
    'pair \ud83d\ude80 ok',
    '\udc00\ud800',
    'end \ud83d',
    '\ude80 start',
  ];
  for (const text of texts) {
    db.prepare('DELETE FROM t').run();
    db.prepare('INSERT INTO t VALUES (?)').run(text);
    assert.equal(asReadBack(text), db.prepare('SELECT x FROM t').pluck().get(), JSON.stringify(text));
  }
});
