/**
 * `sightline verify`: checks a sealed report (HTML or PDF) or an evidence bundle, and says
 * exactly which check failed: the bytes, the evidence hash, the signature, the key.
 */
import fs from 'node:fs';
import { canonicalJson } from './canonical-json.js';
import { sha256Hex, splitSealed, verifySeal, type Seal, type VerifyResult } from './seal.js';

function embeddedEvidence(html: string): unknown | undefined {
  const m = /<script type="application\/json" id="sightline-evidence">([\s\S]*?)<\/script>/.exec(html);
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]!);
  } catch {
    return null;
  }
}

export function verifyReportFile(file: string, trustedFingerprint?: string): VerifyResult {
  const bytes = fs.readFileSync(file);
  if (bytes[0] === 0x7b /* { */) {
    // An evidence bundle.
    let bundle: { evidence?: unknown; seal?: Seal };
    try {
      bundle = JSON.parse(bytes.toString('utf8')) as typeof bundle;
    } catch {
      return { ok: false, seal: null, checks: [{ check: 'format', ok: false, detail: 'not JSON: the bundle was damaged' }] };
    }
    if (!bundle.seal || bundle.evidence === undefined) return { ok: false, seal: null, checks: [{ check: 'format', ok: false, detail: 'not a Sightline evidence bundle' }] };
    const canonical = Buffer.from(canonicalJson(bundle.evidence));
    const checks = verifySeal(canonical, bundle.seal, trustedFingerprint);
    const evidenceOk = sha256Hex(canonical) === bundle.seal.evidenceSha256;
    checks.unshift({ check: 'evidence hash', ok: evidenceOk, detail: evidenceOk ? `SHA-256 ${bundle.seal.evidenceSha256}` : 'the evidence was changed: its canonical JSON no longer has the sealed SHA-256' });
    return { ok: checks.every((c) => c.ok), checks, seal: bundle.seal };
  }
  const split = splitSealed(bytes);
  if ('error' in split) return { ok: false, seal: null, checks: [{ check: 'seal', ok: false, detail: split.error }] };
  const checks = verifySeal(split.content, split.seal, trustedFingerprint);
  const text = split.content.subarray(0, 15).toString('latin1');
  if (text.startsWith('<!DOCTYPE html')) {
    const evidence = embeddedEvidence(split.content.toString('utf8'));
    const ok = evidence !== undefined && evidence !== null && sha256Hex(canonicalJson(evidence)) === split.seal.evidenceSha256;
    checks.push({ check: 'evidence hash', ok, detail: ok ? `SHA-256 ${split.seal.evidenceSha256}` : evidence === undefined ? 'no embedded evidence' : 'the embedded evidence does not match the sealed hash' });
  }
  return { ok: checks.every((c) => c.ok), checks, seal: split.seal };
}
