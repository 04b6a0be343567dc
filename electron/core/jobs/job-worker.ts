/**
 * Worker entry (dist/app/job-worker.js): runs one background job on its own store connection,
 * answering JobRunner's `run`. Errors the person who asked can act on (an empty selection, a
 * PDF that could not be printed) go back as kind `user`; the API shows their message as is.
 */
import { parentPort } from 'node:worker_threads';
import { SelectionError } from '../analysis/explain-selection.js';
import { PdfError, type PdfPrinter } from '../reports/report-pdf.js';
import { RpcEndpoint } from '../util/rpc/rpc-endpoint.js';
import { messagePort } from '../util/rpc/rpc-port.js';
import type { JobStarterMethods, JobWorkerMethods } from './background-job.js';
import { runJob } from './run-job.js';

const starter = new RpcEndpoint<JobStarterMethods, JobWorkerMethods>(messagePort(parentPort!), {
  errorKind: (e) => (e instanceof SelectionError || e instanceof PdfError ? 'user' : undefined),
});

/** A PdfPrinter that hands the HTML to the starting thread and waits for the bytes. */
const printOnStarter: PdfPrinter = async (html) => {
  try {
    const pdf = await starter.call('print', { html });
    return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } catch (e) {
    throw new PdfError((e as Error).message);
  }
};

starter.serve({
  run: (run) => runJob(run, { printPdf: run.starterPrintsPdf ? printOnStarter : undefined, onProgress: (step) => starter.notify('progress', { step }) }),
});
