/**
 * Background jobs: the slow work the API starts (analysis, a brushed selection's explanation,
 * re-extraction of the ML index, reports), each run in a worker thread of its own by
 * JobRunner (job-runner.ts) so the receivers and the UI's queries never wait. This folder
 * sits above analysis/ and reports/ and imports both; neither imports it.
 */
import type { AnalyzeOptions } from '../analysis/analyze.js';
import type { SelectionRequest } from '../analysis/explain-selection.js';
import type { ReportScope } from '../../../shared/model/report.js';

export type BackgroundJob =
  | { kind: 'analyze'; options: AnalyzeOptions }
  | { kind: 'explainSelection'; request: SelectionRequest }
  | { kind: 'reextract' }
  | {
      kind: 'report';
      scope: ReportScope;
      datasetId: number | undefined;
      format: 'html' | 'pdf';
      /** Where to write it (the CLI's --out); by default beside the store, in reports/. */
      outFile?: string | undefined;
      /** Also write the evidence bundle here. */
      evidenceFile?: string | undefined;
      /** The signing key's folder; by default the store's (keys/). */
      keyDir?: string | undefined;
    };

/** One job and where it runs: the store (its own connection in the worker) and who prints PDFs. */
export interface JobRun {
  dbPath: string;
  nativeBinding?: string | undefined;
  job: BackgroundJob;
  /** PDFs are printed by the thread that started the worker (the desktop app's printToPDF). */
  starterPrintsPdf: boolean;
}

/** What a job worker serves to the thread that started it. */
export type JobWorkerMethods = {
  run: { request: JobRun; response: unknown };
};

/** What the starting thread serves to its job worker. */
export type JobStarterMethods = {
  /** Notification: the job reached this step ("rendering", "printing the PDF"…). */
  progress: { request: { step: string }; response: void };
  /** A report's HTML → PDF bytes, with the printer the core was given (CoreOptions.printPdf). */
  print: { request: { html: string }; response: Uint8Array };
};
