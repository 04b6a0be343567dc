/**
 * The seal as bytes: the line appended to a report, and reading it back. Verification is about
 * exact bytes, so reading does not forgive: the seal line must be the file's last line, end with
 * the one newline the seal writes, and be byte for byte the line that `sealLine` makes of the
 * seal it holds. Anything after it (even one more newline) is reported, not trimmed away.
 */
import type { Seal } from './seal.js';

export type SealedKind = 'html' | 'pdf';

const HTML_PREFIX = '<!-- sightline-seal ';
const HTML_SUFFIX = ' -->';
const PDF_PREFIX = '%sightline-seal ';
const NEWLINE = 0x0a;

/** The seal's fields in the order makeSeal writes them: the line's one exact form. */
function orderedSeal(s: Seal): Seal {
  return {
    format: s.format,
    contentSha256: s.contentSha256,
    evidenceSha256: s.evidenceSha256,
    previousReportSha256: s.previousReportSha256,
    publicKey: s.publicKey,
    keyFingerprint: s.keyFingerprint,
    signature: s.signature,
  };
}

/** The seal line, newline included, exactly as it is appended. */
export function sealLine(seal: Seal, kind: SealedKind): string {
  const json = JSON.stringify(orderedSeal(seal));
  return kind === 'html' ? `${HTML_PREFIX}${json}${HTML_SUFFIX}\n` : `${PDF_PREFIX}${json}\n`;
}

export function appendSeal(content: Buffer, seal: Seal, kind: SealedKind): Buffer {
  const sep = content.length && content[content.length - 1] !== NEWLINE ? '\n' : '';
  return Buffer.concat([content, Buffer.from(sep + sealLine(seal, kind))]);
}

export interface SplitSealed {
  /** Every byte before the seal line: what contentSha256 covers. */
  content: Buffer;
  seal: Seal;
  kind: SealedKind;
  /** Bytes after the seal line's newline; a sealed file has none. */
  trailingBytes: number;
  /** Whether the seal line is byte for byte `sealLine(seal, kind)`. */
  exactLine: boolean;
}

/** Where the last seal line starts (at the start of a line), or -1. */
function lastSealLineStart(file: Buffer): { start: number; kind: SealedKind } | null {
  let best: { start: number; kind: SealedKind } | null = null;
  for (const [prefix, kind] of [
    [HTML_PREFIX, 'html'],
    [PDF_PREFIX, 'pdf'],
  ] as const) {
    const at = file.lastIndexOf(Buffer.from('\n' + prefix));
    const start = at >= 0 ? at + 1 : file.subarray(0, prefix.length).toString('latin1') === prefix ? 0 : -1;
    if (start >= 0 && (!best || start > best.start)) best = { start, kind };
  }
  return best;
}

/** Splits a sealed file into its content and seal; an error when there is no readable seal line. */
export function splitSealed(file: Buffer): SplitSealed | { error: string } {
  const found = lastSealLineStart(file);
  if (!found) return { error: 'no Sightline seal in the file (not a Sightline report, or the seal was removed)' };
  const newlineAt = file.indexOf(NEWLINE, found.start);
  const lineEnd = newlineAt < 0 ? file.length : newlineAt;
  const line = file.subarray(found.start, lineEnd).toString('utf8');
  const prefix = found.kind === 'html' ? HTML_PREFIX : PDF_PREFIX;
  const suffix = found.kind === 'html' ? HTML_SUFFIX : '';
  if (!line.endsWith(suffix)) return { error: 'the seal line is damaged (it does not end as a seal ends)' };
  let seal: Seal;
  try {
    seal = JSON.parse(line.slice(prefix.length, line.length - suffix.length)) as Seal;
  } catch {
    return { error: 'the seal line is damaged (not JSON)' };
  }
  if (typeof seal !== 'object' || seal === null) return { error: 'the seal line is damaged (not a seal)' };
  const written = newlineAt < 0 ? file.subarray(found.start) : file.subarray(found.start, newlineAt + 1);
  return {
    content: file.subarray(0, found.start),
    seal,
    kind: found.kind,
    trailingBytes: newlineAt < 0 ? 0 : file.length - (newlineAt + 1),
    exactLine: written.equals(Buffer.from(sealLine(seal, found.kind))),
  };
}
