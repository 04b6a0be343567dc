/**
 * The analysis's second core: a worker thread with its own read connection (quality-worker.ts).
 * It reads the ground truth per window (ground-truth.ts: 0.25–0.35 s per million predictions of
 * SQLite time the analysis thread would spend waiting) as soon as a model's windows are
 * planned, then tests every other numeric drift signal (signal-tests.ts) and measures every
 * other factor of each attribution (attribute-causes.ts, attributeCausesOnTwoThreads), reading
 * the columns in shared memory (shared-columns.ts). It is started while the model loads, when
 * its blocks show it is large enough to be worth a thread.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RpcEndpoint } from '../util/rpc/rpc-endpoint.js';
import { workerPort } from '../util/rpc/rpc-port.js';
import type { ModelKey, Scope } from './model-data.js';
import type { Window } from './windows.js';
import { qualityByWindow, type Quality } from './ground-truth.js';
import type { Db } from '../store/db.js';
import type { EvidenceRequest, EvidenceSource } from './attribute-causes.js';
import type { EvidenceReply } from './factor-evidence.js';
import type { SignalTested, SignalTestRequest, SignalTestSource } from './signal-tests.js';

export interface QualityRequest {
  key: ModelKey;
  scope: Scope;
  windows: Window[];
  excludeVersion: string | undefined;
}

/** Where the analysis gets a model's quality per window from. */
export type QualitySource = (request: QualityRequest) => Promise<Quality[]>;

export type QualityMethods = {
  quality: { request: QualityRequest & { dbPath: string; nativeBinding: string | undefined }; response: Quality[] };
  evidence: { request: EvidenceRequest & { dbPath: string; nativeBinding: string | undefined }; response: EvidenceReply[] };
  tests: { request: SignalTestRequest; response: SignalTested[][] };
};

/** Below this many predictions, starting a thread costs more than it saves. */
const THREAD_WORTHWHILE_PREDICTIONS = 100_000;

/**
 * Quality, evidence and drift-test sources that answer on their own thread (with a read
 * connection to the same file as `db`) for models of at least `minPredictions` predictions.
 * For smaller ones the quality is read on `db`, and the evidence and test sources answer null
 * (the caller measures every factor and tests every signal itself); so too when running from source (tests and benches
 * under tsx, whose loader a worker thread does not get on Node 20), unless `workerUrl` names a
 * built worker. `stop` ends the thread.
 */
export function qualityThread(
  db: Db,
  nativeBinding: string | undefined,
  options: { minPredictions?: number; workerUrl?: URL } = {},
): {
  /** The sources as `analyze` takes them; `warm` starts the thread now for a model of that many predictions (if it is worth a thread), so it is ready when first asked. */
  io: { quality: QualitySource; evidence: EvidenceSource; tests: SignalTestSource; warm: (predictions: number) => void };
  stop: () => void;
} {
  let endpoint: RpcEndpoint<QualityMethods> | null = null;
  let worker: Worker | null = null;
  /** The thread, started when first needed, or null when a model of this size is better served here. */
  const thread = (predictions: number): RpcEndpoint<QualityMethods> | null => {
    const url = options.workerUrl ?? builtWorker();
    if (predictions < (options.minPredictions ?? minPredictionsFromEnv() ?? THREAD_WORTHWHILE_PREDICTIONS) || db.memory || url === null) return null;
    worker ??= new Worker(url);
    return (endpoint ??= new RpcEndpoint<QualityMethods>(workerPort(worker)));
  };
  const source: QualitySource = (request) => {
    const there = thread(request.windows[request.windows.length - 1]?.to ?? 0);
    if (!there) return Promise.resolve().then(() => qualityByWindow(db, request.key, request.scope, request.windows, request.excludeVersion));
    return there.call('quality', { ...request, dbPath: db.name, nativeBinding });
  };
  // Asked after the ground truth, so on the same thread it starts once that is done.
  const evidence: EvidenceSource = (request) => thread(request.traceSeq.length)?.call('evidence', { ...request, dbPath: db.name, nativeBinding }) ?? null;
  // Asked once the windows are planned, when the ground truth is about done.
  const tests: SignalTestSource = (request) => thread(request.windows[request.windows.length - 1]?.to ?? 0)?.call('tests', request) ?? null;
  // A worker takes 0.1–0.3 s to load its code: started while the model loads, it is ready when first asked.
  const warm = (predictions: number): void => void thread(predictions);
  return { io: { quality: source, evidence, tests, warm }, stop: () => void worker?.terminate() };
}

/** The built worker beside this bundle, or null when running from source (then the analysis thread does the join). */
function builtWorker(): URL | null {
  const built = new URL('./quality-worker.js', import.meta.url);
  return fs.existsSync(fileURLToPath(built)) ? built : null;
}

/** SIGHTLINE_QUALITY_THREAD_MIN_PREDICTIONS: tests send small models to the thread too. */
function minPredictionsFromEnv(): number | undefined {
  const n = Number(process.env['SIGHTLINE_QUALITY_THREAD_MIN_PREDICTIONS']);
  return process.env['SIGHTLINE_QUALITY_THREAD_MIN_PREDICTIONS'] !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}
