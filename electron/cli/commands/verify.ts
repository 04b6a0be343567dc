/**
 * `sightline verify FILE` checks one sealed report or evidence bundle, byte for byte;
 * `sightline verify --chain FOLDER` and `sightline verify --chain [--db PATH]` check a chain of
 * reports (a folder's files in name order, or the store's report history): each must follow
 * the one before it, so a missing, reordered or duplicated report is named. Exit code 1 on any
 * failure; --json prints the same as one JSON object.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { CliError } from '../cli-error.js';
import { withCore, withScratchCore } from '../core-client.js';

export const VERIFY_USAGE = `sightline verify FILE [--key-fingerprint HEX] [--json]   check a report or evidence bundle
  sightline verify --chain FOLDER | --chain [--db PATH] [--key-fingerprint HEX] [--json]
      check a chain of reports: a folder's reports in name order, or the store's report history`;

export async function verifyCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'key-fingerprint': { type: 'string' }, json: { type: 'boolean' }, chain: { type: 'boolean' }, db: { type: 'string' } },
    allowPositionals: true,
  });
  const keyFingerprint = values['key-fingerprint'];
  if (values.chain) return verifyChain(positionals, values.db, keyFingerprint, !!values.json);
  if (positionals.length !== 1 || values.db !== undefined) throw new CliError(`usage: ${VERIFY_USAGE}`);
  const file = positionals[0]!;
  const result = await withScratchCore((core) => core.call('verifyReport', { path: path.resolve(file), keyFingerprint }));
  if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    for (const c of result.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}\n`);
    process.stdout.write(result.ok ? `verified: ${file} is as it was signed\n` : `NOT verified: ${file}\n`);
  }
  if (!result.ok) process.exitCode = 1;
}

async function verifyChain(positionals: string[], db: string | undefined, keyFingerprint: string | undefined, json: boolean): Promise<void> {
  if (positionals.length > 1 || (positionals.length === 1 && db !== undefined)) throw new CliError(`usage: ${VERIFY_USAGE}`);
  const folder = positionals[0];
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
