/**
 * `sightline verify FILE` checks one sealed report or evidence bundle, byte for byte (with
 * --db STORE, also that the store still holds the data the report was made from);
 * `sightline verify --chain FOLDER` and `sightline verify --chain [--db PATH]` check a chain of
 * reports (a folder's files in name order, or the store's report history): each must follow
 * the one before it, so a missing, reordered or duplicated report is named. Exit code 1 on any
 * failure; --json prints the same as one JSON object.
 */
import path from 'node:path';
import { UsageError } from '../cli-error.js';
import { withCore, withScratchCore } from '../core-client.js';
import { readableFile, readableFolder } from '../input-files.js';
import { parseOptions } from '../options.js';

export const VERIFY_USAGE = `sightline verify FILE [--db PATH] [--key-fingerprint HEX] [--json]   check a report or evidence bundle;
      with --db, also that the store still holds the data it was made from (every stored row in its scope)
  sightline verify --chain FOLDER | --chain [--db PATH] [--key-fingerprint HEX] [--json]
      check a chain of reports: a folder's reports in name order, or the store's report history`;

export async function verifyCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseOptions(
    argv,
    { 'key-fingerprint': { type: 'string' }, json: { type: 'boolean' }, chain: { type: 'boolean' }, db: { type: 'string' } },
    true,
  );
  const keyFingerprint = values['key-fingerprint'];
  if (values.chain) return verifyChain(positionals, values.db, keyFingerprint, !!values.json);
  if (positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? 'name the report to check: sightline verify FILE' : 'one FILE at a time (or --chain FOLDER)');
  const file = positionals[0]!;
  readableFile(file, ' (a folder of reports is checked with verify --chain FOLDER)');
  const request = { path: path.resolve(file), keyFingerprint };
  const result =
    values.db !== undefined
      ? await withCore(values.db, {}, (core) => core.call('verifyReport', { ...request, checkStore: true }))
      : await withScratchCore((core) => core.call('verifyReport', request));
  if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    for (const c of result.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}\n`);
    const verified =
      values.db !== undefined ? `${file} is as it was signed, and ${values.db} still holds the data it was made from` : `${file} is as it was signed`;
    process.stdout.write(result.ok ? `verified: ${verified}\n` : `NOT verified: ${file}\n`);
  }
  if (!result.ok) process.exitCode = 1;
}

async function verifyChain(positionals: string[], db: string | undefined, keyFingerprint: string | undefined, json: boolean): Promise<void> {
  if (positionals.length > 1) throw new UsageError('one FOLDER at a time: sightline verify --chain FOLDER');
  if (positionals.length === 1 && db !== undefined) throw new UsageError('--chain takes a FOLDER or --db PATH, not both');
  const folder = positionals[0];
  if (folder !== undefined) readableFolder(folder);
  const result =
    folder !== undefined
      ? await withScratchCore((core) => core.call('verifyReportChain', { folder: path.resolve(folder), keyFingerprint }))
      : await withCore(db, {}, (core) => core.call('verifyReportChain', { keyFingerprint }));
  // The folder as the user named it.
  const source = folder !== undefined ? `folder ${folder}` : result.source;
  if (json) process.stdout.write(JSON.stringify({ ...result, source }) + '\n');
  else {
    for (const r of result.reports) process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.detail}\n`);
    process.stdout.write(result.ok ? `verified: ${source}: ${result.summary}\n` : `NOT verified: ${source}: ${result.summary}\n`);
  }
  if (!result.ok) process.exitCode = 1;
}
