/**
 * Sealing and verifying a report file. The seal is the file's last line:
 *
 *   <!-- sightline-seal {"contentSha256":…,"evidenceSha256":…,"signature":…,"publicKey":…} -->   (HTML)
 *   %sightline-seal {…}                                                                           (PDF, after %%EOF)
 *
 * `contentSha256` covers every byte before the seal line, so a one-byte edit anywhere shows;
 * `evidenceSha256` is the SHA-256 of the evidence's RFC 8785 canonical JSON (embedded in the
 * HTML, and in the --evidence bundle); the Ed25519 signature covers both hashes and the
 * previous report's hash, so the chain of reports cannot be rewritten either. The line itself
 * (writing and reading it back, byte for byte) is seal-line.ts.
 */
import crypto from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { publicKeyFingerprint, type SigningKey } from './signing-key.js';

export interface Seal {
  format: 'sightline-seal/1';
  contentSha256: string;
  evidenceSha256: string;
  previousReportSha256: string | null;
  publicKey: string;
  keyFingerprint: string;
  /** Ed25519 over the canonical JSON of the fields above, base64. */
  signature: string;
}

export function sha256Hex(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function signedPart(seal: Omit<Seal, 'signature'>): string {
  return canonicalJson(seal);
}

export function makeSeal(content: Buffer, evidenceSha256: string, previousReportSha256: string | null, key: SigningKey): Seal {
  const unsigned = {
    format: 'sightline-seal/1' as const,
    contentSha256: sha256Hex(content),
    evidenceSha256,
    previousReportSha256,
    publicKey: key.publicKeyPem,
    keyFingerprint: key.fingerprint,
  };
  const signature = crypto.sign(null, Buffer.from(signedPart(unsigned)), key.privateKey).toString('base64');
  return { ...unsigned, signature };
}

export interface VerifyResult {
  ok: boolean;
  /** What was checked and what failed, one line each. */
  checks: { check: string; ok: boolean; detail: string }[];
  seal: Seal | null;
}

export function verifySeal(content: Buffer, seal: Seal, trustedFingerprint?: string): VerifyResult['checks'] {
  const checks: VerifyResult['checks'] = [];
  const actual = sha256Hex(content);
  checks.push({
    check: 'content hash',
    ok: actual === seal.contentSha256,
    detail:
      actual === seal.contentSha256 ? `SHA-256 ${actual}` : `the content was changed after signing: SHA-256 is ${actual}, the seal says ${seal.contentSha256}`,
  });
  let sigOk: boolean;
  try {
    const { signature, ...unsigned } = seal;
    sigOk = crypto.verify(null, Buffer.from(signedPart(unsigned)), crypto.createPublicKey(seal.publicKey), Buffer.from(signature, 'base64'));
  } catch {
    sigOk = false;
  }
  checks.push({
    check: 'signature',
    ok: sigOk,
    detail: sigOk
      ? `Ed25519, key ${seal.keyFingerprint.slice(0, 16)}…`
      : 'the Ed25519 signature does not match the seal (the seal was edited or signed by another key)',
  });
  let fpOk: boolean;
  try {
    fpOk = publicKeyFingerprint(seal.publicKey) === seal.keyFingerprint;
  } catch {
    fpOk = false;
  }
  checks.push({ check: 'key fingerprint', ok: fpOk, detail: fpOk ? seal.keyFingerprint : 'the public key does not match its fingerprint' });
  if (trustedFingerprint !== undefined) {
    const ok = seal.keyFingerprint === trustedFingerprint.toLowerCase();
    checks.push({
      check: 'trusted key',
      ok,
      detail: ok ? 'signed by the key you trust' : `signed by ${seal.keyFingerprint}, not by the trusted key ${trustedFingerprint}`,
    });
  }
  return checks;
}
