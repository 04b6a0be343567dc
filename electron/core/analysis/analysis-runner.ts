/** Starts analysis jobs in worker threads (analysis-worker.ts) and hands back their results. */
import { Worker } from 'node:worker_threads';
import type { AnalysisJob, AnalysisWorkerInit, FromAnalysisWorker, ToAnalysisWorker } from './analysis-worker.js';
import type { PdfPrinter } from '../reports/report-pdf.js';

export class AnalysisJobError extends Error {
  constructor(
    message: string,
    /** The request was wrong (unknown model, empty selection), not the analysis. */
    readonly userError: boolean,
  ) {
    super(message);
    this.name = 'AnalysisJobError';
  }
}

export class AnalysisRunner {
  constructor(
    private readonly dbPath: string,
    private readonly nativeBinding?: string,
    /** Prints report PDFs for the workers (Electron's printToPDF); without it they use a local Chromium. */
    private readonly printPdf?: PdfPrinter,
  ) {}

  run<T>(job: AnalysisJob): Promise<T> {
    const init: AnalysisWorkerInit = { dbPath: this.dbPath, nativeBinding: this.nativeBinding, job, hostPrintsPdf: this.printPdf !== undefined };
    return new Promise<T>((resolve, reject) => {
      const worker = new Worker(new URL('./analysis-worker.js', import.meta.url), { workerData: init });
      let settled = false;
      worker.on('message', (m: FromAnalysisWorker) => {
        if (m.type === 'print') {
          this.printPdf!(m.html).then(
            (pdf) => worker.postMessage({ type: 'printed', ok: true, pdf: new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength) } satisfies ToAnalysisWorker),
            (e: Error) => worker.postMessage({ type: 'printed', ok: false, error: e.message } satisfies ToAnalysisWorker),
          );
          return;
        }
        settled = true;
        if (m.ok) resolve(m.result as T);
        else reject(new AnalysisJobError(m.error, m.userError));
      });
      worker.once('error', (e) => {
        settled = true;
        reject(e);
      });
      worker.once('exit', (code) => {
        if (!settled) reject(new Error(`the analysis worker stopped (exit code ${code})`));
      });
    });
  }
}
