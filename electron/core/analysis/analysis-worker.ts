/**
 * Runs one analysis job on its own read connection in a worker thread, so the core's main
 * thread (receivers, API) never waits for it. Re-extraction after a mapping change writes,
 * with IMMEDIATE transactions in slices, beside the ingest writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openReader, openWriter } from '../store/open-store.js';
import { analyze, type AnalyzeOptions } from './analyze.js';
import { explainSelection, type SelectionRequest } from './explain-selection.js';
import { reextractMlIndex } from '../ml/reextract.js';
import { makeReport, recordReport } from '../reports/make-report.js';
import { reportKeyDir } from '../reports/signing-key.js';
import type { ReportScope } from '../../../shared/model/report.js';
import path from 'node:path';

export type AnalysisJob =
  | { kind: 'analyze'; options: AnalyzeOptions }
  | { kind: 'explainSelection'; request: SelectionRequest }
  | { kind: 'reextract' }
  | { kind: 'report'; scope: ReportScope; datasetId: number | undefined; format: 'html' | 'pdf' };

export interface AnalysisWorkerInit {
  dbPath: string;
  nativeBinding?: string | undefined;
  job: AnalysisJob;
  /** PDFs are printed by the thread that started the worker (the desktop app's printToPDF). */
  hostPrintsPdf?: boolean | undefined;
}

export type FromAnalysisWorker =
  | { type: 'done'; ok: true; result: unknown }
  | { type: 'done'; ok: false; error: string; userError: boolean }
  /** Asks the starting thread to print this HTML; it answers with a ToAnalysisWorker 'printed'. */
  | { type: 'print'; html: string };

export type ToAnalysisWorker = { type: 'printed'; ok: true; pdf: Uint8Array } | { type: 'printed'; ok: false; error: string };

/** A PdfPrinter that hands the HTML to the starting thread and waits for the bytes. */
function printOnHost(html: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    parentPort!.once('message', (m: ToAnalysisWorker) => {
      if (m.ok) resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength));
      else reject(Object.assign(new Error(m.error), { name: 'PdfError' }));
    });
    parentPort!.postMessage({ type: 'print', html } satisfies FromAnalysisWorker);
  });
}

async function run(init: AnalysisWorkerInit): Promise<unknown> {
  const job = init.job;
  if (job.kind === 'report') {
    // Reports land beside the store, signed by the store's key (reports/, keys/).
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    const outFile = path.join(path.dirname(init.dbPath), 'reports', `sightline-report-${stamp}.${job.format}`);
    const db = openReader(init.dbPath, { nativeBinding: init.nativeBinding });
    try {
      return await makeReport(db, {
        scope: job.scope,
        datasetId: job.datasetId,
        outFile,
        keyDir: reportKeyDir(init.dbPath),
        printPdf: init.hostPrintsPdf ? printOnHost : undefined,
        nativeBinding: init.nativeBinding,
        recordHistory: (entry) => {
          const w = openWriter(init.dbPath, { nativeBinding: init.nativeBinding });
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
  if (job.kind === 'reextract') {
    const db = openWriter(init.dbPath, { nativeBinding: init.nativeBinding });
    try {
      return reextractMlIndex(db);
    } finally {
      db.close();
    }
  }
  const db = openReader(init.dbPath, { nativeBinding: init.nativeBinding });
  try {
    return job.kind === 'analyze' ? analyze(db, job.options) : explainSelection(db, job.request);
  } finally {
    db.close();
  }
}

run(workerData as AnalysisWorkerInit).then(
  (result) => parentPort!.postMessage({ type: 'done', ok: true, result } satisfies FromAnalysisWorker),
  (e: Error) => parentPort!.postMessage({ type: 'done', ok: false, error: e.message, userError: e.name === 'SelectionError' || e.name === 'PdfError' } satisfies FromAnalysisWorker),
);
