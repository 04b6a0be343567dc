/**
 * Runs redactions in a worker thread, so a test can bound them with node:test's `timeout`: a
 * regular expression that backtracks blocks its thread, and a timeout can only fire on a
 * thread that is free. Used by test/unit/redaction-linear.test.ts.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Redactor } from '../../electron/core/redaction/redactor.js';
import { DEFAULT_REDACTION_RULES } from '../../shared/model/redaction.js';

export interface RedactionJob {
  /** `json`: the text is stored JSON (redactJson); `string`: one plain string (redactString). */
  kind: 'json' | 'string';
  text: string;
}

export interface RedactionJobResult {
  out: string | null;
  counts: Record<string, number>;
}

/**
 * Redacts each job with the default rules, in order, on one other thread. The worker is stopped
 * when the returned promise settles or when `signal` aborts (a test's timeout).
 */
export function redactOffThread(jobs: RedactionJob[], signal?: AbortSignal): Promise<RedactionJobResult[]> {
  // Worker threads do not get the test runner's TypeScript loader: the worker registers it, then loads this file.
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: jobs });
  worker.unref(); // a test that timed out must not keep the process alive
  const stop = (): void => void worker.terminate();
  signal?.addEventListener('abort', stop, { once: true });
  return new Promise<RedactionJobResult[]>((resolve, reject) => {
    worker.once('message', (m: RedactionJobResult[]) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the redaction worker exited (${code}) without an answer`)));
  }).finally(stop);
}

if (!isMainThread && parentPort) {
  const results = (workerData as RedactionJob[]).map((job): RedactionJobResult => {
    const r = new Redactor(DEFAULT_REDACTION_RULES);
    const out = job.kind === 'json' ? r.redactJson(job.text) : r.redactString(job.text);
    return { out, counts: Object.fromEntries(r.take()) };
  });
  parentPort.postMessage(results);
}
