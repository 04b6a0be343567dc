/**
 * The report job: a report of the store, by default written beside it (reports/) and signed by
 * its key (keys/), and recorded in the store's report history either way.
 */
import path from 'node:path';
import { ONE_PASS_CACHE_MB, openReader, openWriter } from '../store/open-store.js';
import { makeReport, recordReport, type ReportResult } from '../reports/make-report.js';
import type { PdfPrinter } from '../reports/report-pdf.js';
import { storeKeyDir } from '../util/app-paths.js';
import type { BackgroundJob } from './background-job.js';

export interface ReportJobHooks {
  /** How to print a PDF; a local Chromium when undefined. */
  printPdf: PdfPrinter | undefined;
  onProgress: (step: string) => void;
}

export async function runReportJob(
  job: Extract<BackgroundJob, { kind: 'report' }>,
  dbPath: string,
  nativeBinding: string | undefined,
  hooks: ReportJobHooks,
): Promise<ReportResult> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const outFile = job.outFile ?? path.join(path.dirname(dbPath), 'reports', `sightline-report-${stamp}.${job.format}`);
  const db = openReader(dbPath, { nativeBinding, cacheMb: ONE_PASS_CACHE_MB });
  try {
    return await makeReport(db, {
      scope: job.scope,
      datasetId: job.datasetId,
      outFile,
      evidenceFile: job.evidenceFile,
      keyDir: job.keyDir ?? storeKeyDir(dbPath),
      printPdf: hooks.printPdf,
      onProgress: hooks.onProgress,
      nativeBinding,
      recordHistory: (entry) => {
        const w = openWriter(dbPath, { nativeBinding });
        try {
          recordReport(w, entry);
        } finally {
          w.close();
        }
      },
    });
  } finally {
    db.close();
  }
}
