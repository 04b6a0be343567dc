/**
 * Runs each background job in a worker thread (job-worker.ts) and hands back its result, over
 * an RpcEndpoint: the worker serves `run`; this thread serves `print` (so a report in the
 * desktop app is printed by Electron) and hears `progress`. A worker that finished a job is
 * kept for the next one for IDLE_MS, then stopped: its code is optimised by then, and an
 * analysis of a million predictions in a fresh worker costs about 0.6 s more (the Models page
 * asks again as thresholds, baselines and the data context change). One worker is kept at
 * most; a job that comes while another runs gets a worker of its own. A worker that crashed
 * (the job fails with kind `closed`) is never kept.
 */
import { Worker } from 'node:worker_threads';
import type { PdfPrinter } from '../reports/report-pdf.js';
import { RpcEndpoint } from '../util/rpc/rpc-endpoint.js';
import { RpcError } from '../util/rpc/rpc-error.js';
import { workerPort } from '../util/rpc/rpc-port.js';
import type { BackgroundJob, JobStarterMethods, JobWorkerMethods } from './background-job.js';

/** How long a finished worker waits for the next job. */
const IDLE_MS = 60_000;

/** A job worker and its channel; `onProgress` is the current job's. */
interface JobThread {
  worker: Worker;
  channel: RpcEndpoint<JobWorkerMethods, JobStarterMethods>;
  onProgress: ((step: string) => void) | undefined;
  exited: boolean;
}

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
  private idle: { thread: JobThread; timer: NodeJS.Timeout } | null = null;
  private closed = false;

  constructor(
    private readonly dbPath: string,
    private readonly nativeBinding?: string,
    /** Prints report PDFs for the workers (Electron's printToPDF); without it they use a local Chromium. */
    private readonly printPdf?: PdfPrinter,
  ) {}

  /** `T` is the job's result type, as the caller knows it from the job's kind; `onProgress` hears its steps. */
  async run<T>(job: BackgroundJob, onProgress?: (step: string) => void): Promise<T> {
    const thread = this.takeIdle() ?? this.start();
    thread.onProgress = onProgress;
    thread.worker.ref();
    let keep = false;
    try {
      const result = (await thread.channel.call('run', {
        dbPath: this.dbPath,
        nativeBinding: this.nativeBinding,
        job,
        starterPrintsPdf: this.printPdf !== undefined,
      })) as T;
      keep = true;
      return result;
    } catch (e) {
      // A job that failed as a job (a user error, an exception it threw) leaves its worker usable; a crash does not.
      keep = e instanceof RpcError && (e.kind === 'user' || e.kind === 'internal');
      throw e instanceof RpcError ? new JobError(e.message, e.kind === 'user') : e;
    } finally {
      thread.onProgress = undefined;
      if (keep) this.park(thread);
      else void thread.worker.terminate();
    }
  }

  /** Stops the worker kept for the next job (the session is closing); jobs still running end with their workers. */
  async close(): Promise<void> {
    this.closed = true;
    const idle = this.takeIdle();
    if (idle) await idle.worker.terminate();
  }

  private start(): JobThread {
    const worker = new Worker(new URL('./job-worker.js', import.meta.url));
    const channel = new RpcEndpoint<JobWorkerMethods, JobStarterMethods>(workerPort(worker));
    const thread: JobThread = { worker, channel, onProgress: undefined, exited: false };
    const printPdf = this.printPdf;
    channel.serve({
      progress: ({ step }) => thread.onProgress?.(step),
      print: async ({ html }) => {
        if (!printPdf) throw new Error('this core prints PDFs itself (no printer was given)');
        const pdf = await printPdf(html);
        return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      },
    });
    worker.once('exit', () => {
      thread.exited = true;
      if (this.idle?.thread === thread) this.takeIdle();
    });
    return thread;
  }

  /** Keeps a worker that finished its job for the next one, unless one is kept already or the runner is closed. */
  private park(thread: JobThread): void {
    if (this.idle || this.closed || thread.exited) {
      void thread.worker.terminate();
      return;
    }
    // Waiting for work keeps neither the process nor the event loop alive.
    thread.worker.unref();
    const timer = setTimeout(() => {
      if (this.idle?.thread === thread) this.takeIdle();
      void thread.worker.terminate();
    }, IDLE_MS);
    timer.unref();
    this.idle = { thread, timer };
  }

  private takeIdle(): JobThread | null {
    const idle = this.idle;
    if (!idle) return null;
    this.idle = null;
    clearTimeout(idle.timer);
    return idle.thread.exited ? null : idle.thread;
  }
}
