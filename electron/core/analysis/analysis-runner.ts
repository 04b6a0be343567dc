/** Starts analysis jobs in worker threads (analysis-worker.ts) and hands back their results. */
import { Worker } from 'node:worker_threads';
import type { AnalysisJob, AnalysisWorkerInit, FromAnalysisWorker } from './analysis-worker.js';

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
  ) {}

  run<T>(job: AnalysisJob): Promise<T> {
    const init: AnalysisWorkerInit = { dbPath: this.dbPath, nativeBinding: this.nativeBinding, job };
    return new Promise<T>((resolve, reject) => {
      const worker = new Worker(new URL('./analysis-worker.js', import.meta.url), { workerData: init });
      let settled = false;
      worker.once('message', (m: FromAnalysisWorker) => {
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
