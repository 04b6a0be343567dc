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

export type AnalysisJob = { kind: 'analyze'; options: AnalyzeOptions } | { kind: 'explainSelection'; request: SelectionRequest } | { kind: 'reextract' };

export interface AnalysisWorkerInit {
  dbPath: string;
  nativeBinding?: string | undefined;
  job: AnalysisJob;
}

export type FromAnalysisWorker = { ok: true; result: unknown } | { ok: false; error: string; userError: boolean };

function run(init: AnalysisWorkerInit): unknown {
  const job = init.job;
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

try {
  parentPort!.postMessage({ ok: true, result: run(workerData as AnalysisWorkerInit) } satisfies FromAnalysisWorker);
} catch (e) {
  const err = e as Error;
  parentPort!.postMessage({ ok: false, error: err.message, userError: err.name === 'SelectionError' } satisfies FromAnalysisWorker);
}
