/**
 * Starts each background job in a worker thread of its own (job-worker.ts) and hands back
 * its result, over an RpcEndpoint: the worker serves `run`; this thread serves `print` (so a
 * report in the desktop app is printed by Electron) and hears `progress`. The worker is stopped once the job is
 * settled, or when it crashes (then the job fails with kind `closed`).
 */
import { Worker } from 'node:worker_threads';
import type { PdfPrinter } from '../reports/report-pdf.js';
import { RpcEndpoint } from '../util/rpc/rpc-endpoint.js';
import { RpcError } from '../util/rpc/rpc-error.js';
import { workerPort } from '../util/rpc/rpc-port.js';
import type { BackgroundJob, JobStarterMethods, JobWorkerMethods } from './background-job.js';

export class JobError extends Error {
  constructor(
    message: string,
    /** The request was wrong (unknown model, empty selection, a failed print), not the job. */
    readonly userError: boolean,
  ) {
    super(message);
    this.name = 'JobError';
  }
}

export class JobRunner {
  constructor(
    private readonly dbPath: string,
    private readonly nativeBinding?: string,
    /** Prints report PDFs for the workers (Electron's printToPDF); without it they use a local Chromium. */
    private readonly printPdf?: PdfPrinter,
  ) {}

  /** `T` is the job's result type, as the caller knows it from the job's kind; `onProgress` hears its steps. */
  async run<T>(job: BackgroundJob, onProgress?: (step: string) => void): Promise<T> {
    const worker = new Worker(new URL('./job-worker.js', import.meta.url));
    const channel = new RpcEndpoint<JobWorkerMethods, JobStarterMethods>(workerPort(worker));
    const printPdf = this.printPdf;
    channel.serve({
      progress: ({ step }) => onProgress?.(step),
      print: async ({ html }) => {
        if (!printPdf) throw new Error('this core prints PDFs itself (no printer was given)');
        const pdf = await printPdf(html);
        return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      },
    });
    try {
      return (await channel.call('run', { dbPath: this.dbPath, nativeBinding: this.nativeBinding, job, starterPrintsPdf: printPdf !== undefined })) as T;
    } catch (e) {
      throw e instanceof RpcError ? new JobError(e.message, e.kind === 'user') : e;
    } finally {
      void worker.terminate();
    }
  }
}
