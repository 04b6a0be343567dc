/**
 * `sightline verify`: checks a sealed report (HTML or PDF) or an evidence bundle, and says
 * exactly which check failed: the bytes (every one of them, up to the seal's own newline), the
 * evidence hash, the signature, the key.
 */
import { canonicalJson } from './canonical-json.js';
import { sha256Hex, verifySeal, type Seal, type VerifyResult } from './seal.js';
import { splitSealed } from './seal-line.js';

function embeddedEvidence(html: string): unknown | undefined {
  const m = /<script type="application\/json" id="sightline-evidence">([\s\S]*?)<\/script>/.exec(html);
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]!);
  } catch {
    return null;
  }
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** Bytes after the bundle's closing brace (JSON.parse would let whitespace pass). */
function bytesAfterJson(bytes: Buffer): number {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] !== 0x7d /* } */) end--;
  return bytes.length - end;
}

/** The evidence a report file carries (an HTML report's embedded evidence, a bundle's), or undefined (a PDF, or unreadable). */
export function evidenceOfReport(bytes: Buffer): unknown {
  if (bytes[0] === 0x7b /* { */) {
    try {
      return (JSON.parse(bytes.toString('utf8')) as { evidence?: unknown }).evidence;
    } catch {
      return undefined;
    }
  }
  const split = splitSealed(bytes);
  if ('error' in split || !split.content.subarray(0, 15).toString('latin1').startsWith('<!DOCTYPE html')) return undefined;
  return embeddedEvidence(split.content.toString('utf8')) ?? undefined;
}

export function verifyReportBytes(bytes: Buffer, trustedFingerprint?: string): VerifyResult {
  if (bytes[0] === 0x7b /* { */) {
    // An evidence bundle.
    let bundle: { evidence?: unknown; seal?: Seal };
    try {
      bundle = JSON.parse(bytes.toString('utf8')) as typeof bundle;
    } catch {
      return { ok: false, seal: null, checks: [{ check: 'format', ok: false, detail: 'not JSON: the bundle was damaged' }] };
    }
    if (!bundle.seal || bundle.evidence === undefined)
      return { ok: false, seal: null, checks: [{ check: 'format', ok: false, detail: 'not a Sightline evidence bundle' }] };
    const canonical = Buffer.from(canonicalJson(bundle.evidence));
    const checks = verifySeal(canonical, bundle.seal, trustedFingerprint);
    const evidenceOk = sha256Hex(canonical) === bundle.seal.evidenceSha256;
    checks.unshift({
      check: 'evidence hash',
      ok: evidenceOk,
      detail: evidenceOk ? `SHA-256 ${bundle.seal.evidenceSha256}` : 'the evidence was changed: its canonical JSON no longer has the sealed SHA-256',
    });
    const after = bytesAfterJson(bytes);
    checks.push({
      check: 'end of file',
      ok: after === 0,
      detail: after === 0 ? 'nothing after the bundle' : `${plural(after, 'byte')} after the end of the bundle: the file was added to after it was written`,
    });
    return { ok: checks.every((c) => c.ok), checks, seal: bundle.seal };
  }
  const split = splitSealed(bytes);
  if ('error' in split) return { ok: false, seal: null, checks: [{ check: 'seal', ok: false, detail: split.error }] };
  const checks = verifySeal(split.content, split.seal, trustedFingerprint);
  checks.push({
    check: 'seal line',
    ok: split.exactLine,
    detail: split.exactLine ? 'byte for byte as written' : 'the seal line is not byte for byte the line that was written (edited, or its newline removed)',
  });
  checks.push({
    check: 'end of file',
    ok: split.trailingBytes === 0,
    detail:
      split.trailingBytes === 0
        ? 'the seal line is the last line'
        : `${plural(split.trailingBytes, 'byte')} after the seal line: the file was added to after it was signed`,
  });
  const text = split.content.subarray(0, 15).toString('latin1');
  if (text.startsWith('<!DOCTYPE html')) {
    const evidence = embeddedEvidence(split.content.toString('utf8'));
    const ok = evidence !== undefined && evidence !== null && sha256Hex(canonicalJson(evidence)) === split.seal.evidenceSha256;
    checks.push({
      check: 'evidence hash',
      ok,
      detail: ok
        ? `SHA-256 ${split.seal.evidenceSha256}`
        : evidence === undefined
          ? 'no embedded evidence'
          : 'the embedded evidence does not match the sealed hash',
    });
  }
  return { ok: checks.every((c) => c.ok), checks, seal: split.seal };
}
