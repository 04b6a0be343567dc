/**
 * Makes a report: evidence from the store, HTML (and PDF), the seal, the evidence bundle, and
 * an entry in the store's report history whose hash the next report records.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/db.js';
import type { ReportEvidence, ReportHistoryEntry, ReportResult, ReportScope } from '../../../shared/model/report.js';
import { canonicalJson } from './canonical-json.js';
import { gatherEvidence } from './report-evidence.js';
import { scopeRangeNs } from './report-scope.js';
import { STORE_HASH_FORMAT } from './store-hash.js';
import { reportSideThread } from './report-side-thread.js';
import { qualityThread } from '../analysis/quality-thread.js';
import { renderReportHtml } from './report-html.js';
import { htmlToPdf, type PdfPrinter } from './report-pdf.js';
import { makeSeal, sha256Hex } from './seal.js';
import { appendSeal } from './seal-line.js';
import { loadOrCreateSigningKey } from './signing-key.js';

export interface ReportRequest {
  scope: ReportScope;
  datasetId: number | undefined;
  outFile: string;
  evidenceFile?: string | undefined;
  keyDir?: string | undefined;
  /** Writes the history entry; the report itself only reads the store. */
  recordHistory: (entry: { path: string; format: string; sha256: string; evidenceSha256: string; previousSha256: string | null; query: string }) => void;
  onProgress?: (step: string) => void;
  /** better-sqlite3 for this runtime's ABI (Electron), for the report side thread's connection. */
  nativeBinding?: string | undefined;
  /** How a PDF is printed; a local Chromium unless the host brings its own (Electron). */
  printPdf?: PdfPrinter | undefined;
}

export type { ReportResult };

export function previousReportSha256(db: Db): string | null {
  return (db.prepare('SELECT sha256 FROM reports ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined) ?? null;
}

export async function makeReport(db: Db, r: ReportRequest): Promise<ReportResult> {
  const kind = r.outFile.toLowerCase().endsWith('.pdf') ? 'pdf' : 'html';
  const progress = r.onProgress ?? (() => {});
  progress('analysing the store');
  const previous = previousReportSha256(db);
  // The content hash and the latency SLOs are made on the other core while the analysis runs here.
  const [fromNs, toNs] = scopeRangeNs(r.scope);
  const side = reportSideThread();
  const store = { dbPath: db.name, nativeBinding: r.nativeBinding };
  const storeSha256 = side.hash({ ...store, fromNs, toNs, datasetId: r.datasetId, storedChunkHashes: true });
  const slos = side.slos({ ...store, scope: r.scope, datasetId: r.datasetId });
  // Its memory (the SLOs' durations, its heap) goes as soon as both answers are in: the
  // analysis's attribution, which peaks later, should not find it still held.
  void Promise.allSettled([storeSha256, slos]).then(() => side.stop());
  const quality = qualityThread(db, r.nativeBinding);
  let evidence: ReportEvidence;
  try {
    const gathered = await gatherEvidence(db, r.scope, r.datasetId, previous, quality.io);
    evidence = {
      ...gathered,
      slos: await slos,
      provenance: { ...gathered.provenance, storeSha256: await storeSha256, storeHashFormat: STORE_HASH_FORMAT },
    };
  } finally {
    side.stop();
    quality.stop();
  }
  const evidenceJson = canonicalJson(evidence);
  const evidenceSha256 = sha256Hex(evidenceJson);
  progress('rendering');
  const html = renderReportHtml(evidence, evidenceSha256);
  const key = loadOrCreateSigningKey(r.keyDir);
  let content: Buffer;
  if (kind === 'pdf') {
    progress('printing the PDF');
    content = await (r.printPdf ?? htmlToPdf)(html);
  } else content = Buffer.from(html, 'utf8');
  const seal = makeSeal(content, evidenceSha256, previous, key);
  const sealed = appendSeal(content, seal, kind);
  fs.mkdirSync(path.dirname(path.resolve(r.outFile)), { recursive: true });
  fs.writeFileSync(r.outFile, sealed);
  if (r.evidenceFile) {
    // The bundle: the canonical evidence and the seal that covers it.
    fs.writeFileSync(
      r.evidenceFile,
      JSON.stringify({ format: 'sightline-evidence-bundle/1', evidence, seal: makeSeal(Buffer.from(evidenceJson), evidenceSha256, previous, key) }, null, 1),
    );
  }
  const sha256 = sha256Hex(sealed);
  r.recordHistory({ path: path.resolve(r.outFile), format: kind, sha256, evidenceSha256, previousSha256: previous, query: JSON.stringify(r.scope) });
  const top = evidence.findings[0]?.causes[0];
  return {
    file: r.outFile,
    bytes: sealed.length,
    sha256,
    evidenceSha256,
    previousSha256: previous,
    findings: evidence.findings.length,
    topCause: top ? `${top.kind}: ${top.factor}` : null,
  };
}

export function recordReport(
  db: Db,
  e: { path: string; format: string; sha256: string; evidenceSha256: string; previousSha256: string | null; query: string },
): void {
  db.prepare('INSERT INTO reports(created_at_ms, path, format, sha256, evidence_sha256, previous_sha256, query) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    Date.now(),
    e.path,
    e.format,
    e.sha256,
    e.evidenceSha256,
    e.previousSha256,
    e.query,
  );
}

export function listReportHistory(db: Db): ReportHistoryEntry[] {
  return (
    db.prepare('SELECT id, created_at_ms, path, format, sha256, evidence_sha256, previous_sha256, query FROM reports ORDER BY id DESC').all() as {
      id: number;
      created_at_ms: number;
      path: string;
      format: 'html' | 'pdf';
      sha256: string;
      evidence_sha256: string;
      previous_sha256: string | null;
      query: string;
    }[]
  ).map((r) => ({
    id: r.id,
    createdAtMs: r.created_at_ms,
    path: r.path,
    format: r.format,
    sha256: r.sha256,
    evidenceSha256: r.evidence_sha256,
    previousSha256: r.previous_sha256,
    query: storedScope(r.query),
  }));
}

/** A history entry's scope; reports made before 0.2 stored the dataset's name as `dataset`. */
function storedScope(json: string): ReportScope {
  const { dataset, ...scope } = JSON.parse(json) as ReportScope & { dataset?: string | null };
  return { ...scope, datasetName: scope.datasetName ?? dataset ?? null };
}
