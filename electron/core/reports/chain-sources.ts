/**
 * Where a chain of reports comes from: the sealed files of a folder, in name order (numbers
 * compared as numbers, so report-10 follows report-9), or the store's report history (table
 * `reports`, in the order the reports were made), each row checked against the file it names.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/db.js';
import { sha256Hex } from './seal.js';
import { verifyReportBytes } from './verify-report.js';
import type { ChainLink } from './report-chain.js';

const REPORT_FILE = /\.(html?|pdf)$/i;

/** The checks a report fails, worded as "check: detail". */
function reportProblems(bytes: Buffer, trustedFingerprint: string | undefined): { problems: string[]; previousSha256: string | null | undefined } {
  const result = verifyReportBytes(bytes, trustedFingerprint);
  return {
    problems: result.checks.filter((c) => !c.ok).map((c) => `${c.check}: ${c.detail}`),
    previousSha256: result.seal ? result.seal.previousReportSha256 : undefined,
  };
}

export function chainFromFolder(dir: string, trustedFingerprint?: string): ChainLink[] {
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && REPORT_FILE.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return names.map((name) => {
    const bytes = fs.readFileSync(path.join(dir, name));
    return { name, sha256: sha256Hex(bytes), ...reportProblems(bytes, trustedFingerprint) };
  });
}

interface ReportRow {
  id: number;
  path: string;
  sha256: string;
  previous_sha256: string | null;
}

export function chainFromStore(db: Db, trustedFingerprint?: string): ChainLink[] {
  const rows = db.prepare('SELECT id, path, sha256, previous_sha256 FROM reports ORDER BY id').all() as ReportRow[];
  return rows.map((row) => {
    const name = `report ${row.id} (${path.basename(row.path)})`;
    // The store's record is the chain; the file must still be the report it records.
    const link: ChainLink = { name, sha256: row.sha256, previousSha256: row.previous_sha256, problems: [] };
    if (!fs.existsSync(row.path)) {
      link.problems.push(`file: ${row.path} is not there any more`);
      return link;
    }
    const bytes = fs.readFileSync(row.path);
    const actual = sha256Hex(bytes);
    if (actual !== row.sha256)
      link.problems.push(`file: ${row.path} is not the report the store recorded (SHA-256 ${actual.slice(0, 12)}…, recorded ${row.sha256.slice(0, 12)}…)`);
    const checked = reportProblems(bytes, trustedFingerprint);
    link.problems.push(...checked.problems);
    if (checked.previousSha256 !== undefined && checked.previousSha256 !== row.previous_sha256)
      link.problems.push('seal: it signs a different previous report than the store records');
    return link;
  });
}
