/**
 * Checks a chain of reports: in the order given (a folder's files by name, or the store's
 * history), each report must follow the one just before it (the previous-report hash its seal
 * signs), and the first must follow none. A deleted report leaves a report that follows a hash
 * nobody has; a swap leaves reports that follow later ones; a copy or a fork leaves two
 * reports with the same hash or the same predecessor. Each report gets one readable line.
 */

export interface ChainLink {
  /** How the user knows the report: a file name, or the store's report number and file. */
  name: string;
  /** SHA-256 of the sealed file (what the next report's seal names). */
  sha256: string;
  /** The previous report's SHA-256 as signed (null: a first report); undefined when unreadable. */
  previousSha256: string | null | undefined;
  /** What is wrong with the report itself (seal, signature, file), one worded line each. */
  problems: string[];
}

import type { ChainLine, ChainResult } from '../../../shared/model/report.js';

export type { ChainLine, ChainResult };

const short = (sha: string): string => `${sha.slice(0, 12)}…`;

/** Where the report stands against the one before it; null when it follows it as it should. */
function linkProblem(links: ChainLink[], i: number, firstIndexOf: Map<string, number>): string | null {
  const link = links[i]!;
  const prev = link.previousSha256;
  if (prev === undefined) return 'its seal cannot be read, so what it follows is unknown';
  const before = links[i - 1];
  if (prev === (before?.sha256 ?? null)) return null;
  if (prev === null) return `reordered or a second chain: it is a first report (it follows none), but ${before!.name} comes before it`;
  const followed = firstIndexOf.get(prev);
  if (followed === undefined) {
    return before
      ? `a report is missing between ${before.name} and ${link.name}: it follows SHA-256 ${short(prev)}, which is not in the chain`
      : `a report is missing before it: it follows SHA-256 ${short(prev)}, which is not in the chain (the chain's first report follows none)`;
  }
  const forks = links.filter((l, j) => j !== i && l.previousSha256 === prev).map((l) => l.name);
  if (forks.length > 0) return `duplicated link: it and ${forks.join(' and ')} ${forks.length === 1 ? 'both' : 'all'} follow ${links[followed]!.name}`;
  if (followed > i) return `reordered: it follows ${links[followed]!.name}, which comes after it`;
  return `reordered: it follows ${links[followed]!.name}, not ${before?.name ?? 'nothing'} just before it`;
}

export function checkChain(links: ChainLink[]): ChainResult {
  const firstIndexOf = new Map<string, number>();
  links.forEach((l, i) => {
    if (!firstIndexOf.has(l.sha256)) firstIndexOf.set(l.sha256, i);
  });
  const reports = links.map((link, i): ChainLine => {
    const problems = [...link.problems];
    const first = firstIndexOf.get(link.sha256)!;
    if (first !== i) problems.push(`duplicate: the same report (same SHA-256) as ${links[first]!.name}`);
    const broken = linkProblem(links, i, firstIndexOf);
    if (broken) problems.push(broken);
    const place = link.previousSha256 === null ? 'the first report of the chain' : `follows ${links[i - 1]?.name ?? '?'}`;
    return {
      name: link.name,
      sha256: link.sha256,
      previousSha256: link.previousSha256 ?? null,
      ok: problems.length === 0,
      detail: problems.length === 0 ? place : problems.join('; '),
    };
  });
  const failed = reports.filter((r) => !r.ok).length;
  const n = reports.length;
  const summary =
    n === 0
      ? 'no reports to check'
      : failed === 0
        ? `a chain of ${n} report${n === 1 ? '' : 's'}, each following the one before it`
        : `${failed} of ${n} report${n === 1 ? '' : 's'} break the chain`;
  return { ok: n > 0 && failed === 0, reports, summary };
}
