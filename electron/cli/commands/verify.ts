/**
 * `sightline verify FILE` checks one sealed report or evidence bundle, byte for byte;
 * `sightline verify --chain FOLDER` and `sightline verify --chain [--db PATH]` check a chain of
 * reports (a folder's files in name order, or the store's report history): each must follow
 * the one before it, so a missing, reordered or duplicated report is named. Exit code 1 on any
 * failure; --json prints the same as one JSON object.
 */
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import { verifyReportFile } from '../../core/reports/verify-report.js';
import { checkChain, type ChainLink, type ChainResult } from '../../core/reports/report-chain.js';
import { chainFromFolder, chainFromStore } from '../../core/reports/chain-sources.js';
import { CliError } from '../cli-error.js';
import { openStoreReader, storePath } from '../store-access.js';

export const VERIFY_USAGE = `sightline verify FILE [--key-fingerprint HEX] [--json]   check a report or evidence bundle
  sightline verify --chain FOLDER | --chain [--db PATH] [--key-fingerprint HEX] [--json]
      check a chain of reports: a folder's reports in name order, or the store's report history`;

export function verifyCommand(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'key-fingerprint': { type: 'string' }, json: { type: 'boolean' }, chain: { type: 'boolean' }, db: { type: 'string' } },
    allowPositionals: true,
  });
  if (values.chain) return verifyChain(positionals, values.db, values['key-fingerprint'], !!values.json);
  if (positionals.length !== 1 || values.db !== undefined) throw new CliError(`usage: ${VERIFY_USAGE}`);
  let result;
  try {
    result = verifyReportFile(positionals[0]!, values['key-fingerprint']);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  if (values.json) process.stdout.write(JSON.stringify({ ok: result.ok, checks: result.checks, keyFingerprint: result.seal?.keyFingerprint ?? null, previousReportSha256: result.seal?.previousReportSha256 ?? null }) + '\n');
  else {
    for (const c of result.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}\n`);
    process.stdout.write(result.ok ? `verified: ${positionals[0]} is as it was signed\n` : `NOT verified: ${positionals[0]}\n`);
  }
  if (!result.ok) process.exitCode = 1;
}

function loadChain(positionals: string[], db: string | undefined, trusted: string | undefined): { source: string; links: ChainLink[] } {
  if (positionals.length > 1 || (positionals.length === 1 && db !== undefined)) throw new CliError(`usage: ${VERIFY_USAGE}`);
  const folder = positionals[0];
  if (folder !== undefined) {
    if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new CliError(`${folder} is not a folder (verify --chain takes a folder of reports, or --db)`);
    return { source: `folder ${folder}`, links: chainFromFolder(folder, trusted) };
  }
  const reader = openStoreReader(db);
  try {
    return { source: `the report history of ${storePath(db)}`, links: chainFromStore(reader, trusted) };
  } finally {
    reader.close();
  }
}

function verifyChain(positionals: string[], db: string | undefined, trusted: string | undefined, json: boolean): void {
  const { source, links } = loadChain(positionals, db, trusted);
  const result: ChainResult = checkChain(links);
  if (json) process.stdout.write(JSON.stringify({ ok: result.ok, source, summary: result.summary, reports: result.reports }) + '\n');
  else {
    for (const r of result.reports) process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.detail}\n`);
    process.stdout.write(result.ok ? `verified: ${source}: ${result.summary}\n` : `NOT verified: ${source}: ${result.summary}\n`);
  }
  if (!result.ok) process.exitCode = 1;
}
