/** Runs one background job, by kind, on connections of its own (called in a job worker). */
import { ONE_PASS_CACHE_MB, openReader, openWriter } from '../store/open-store.js';
import { analyze } from '../analysis/analyze.js';
import { qualityThread } from '../analysis/quality-thread.js';
import { explainSelection } from '../analysis/explain-selection.js';
import { reextractMlIndex } from '../ml/reextract.js';
import type { JobRun } from './background-job.js';
import { runReportJob, type ReportJobHooks } from './report-job.js';

export async function runJob(run: JobRun, hooks: ReportJobHooks): Promise<unknown> {
  const { job, dbPath, nativeBinding } = run;
  if (job.kind === 'report') return runReportJob(job, dbPath, nativeBinding, hooks);
  if (job.kind === 'reextract') {
    // Writes with IMMEDIATE transactions in slices, beside the ingest writer.
    const db = openWriter(dbPath, { nativeBinding });
    try {
      return reextractMlIndex(db);
    } finally {
      db.close();
    }
  }
  const db = openReader(dbPath, { nativeBinding, cacheMb: ONE_PASS_CACHE_MB });
  const quality = qualityThread(db, nativeBinding);
  try {
    return job.kind === 'analyze' ? await analyze(db, job.options, quality.io) : explainSelection(db, job.request);
  } finally {
    quality.stop();
    db.close();
  }
}
