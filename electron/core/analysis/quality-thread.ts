/**
 * Ground truth per window (ground-truth.ts) on a worker thread with its own read connection
 * (quality-worker.ts): the join of predictions with their actuals runs in SQLite and takes
 * about 1.3 s per million predictions, all of it native time the analysis thread would spend
 * waiting. Started as soon as a model's windows are planned, it runs on the second core while
 * the drift tests and the attribution run on the first.
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
};

/** Below this many predictions, starting a thread costs more than it saves. */
const THREAD_WORTHWHILE_PREDICTIONS = 100_000;

/**
 * A quality source that answers on its own thread (with a read connection to the same file as
 * `db`) for models of at least `minPredictions` predictions, and on `db` for smaller ones, or
 * when running from source (tests and benches under tsx, whose loader a worker thread does not
 * get on Node 20) unless `workerUrl` names a built worker; `stop` ends the thread.
 */
export function qualityThread(
  db: Db,
  nativeBinding: string | undefined,
  options: { minPredictions?: number; workerUrl?: URL } = {},
): { source: QualitySource; stop: () => void } {
  let worker: Worker | null = null;
  let endpoint: RpcEndpoint<QualityMethods> | null = null;
  return {
    source: (request) => {
      const predictions = request.windows[request.windows.length - 1]?.to ?? 0;
      const url = options.workerUrl ?? builtWorker();
      if (predictions < (options.minPredictions ?? minPredictionsFromEnv() ?? THREAD_WORTHWHILE_PREDICTIONS) || db.memory || url === null) {
        return Promise.resolve().then(() => qualityByWindow(db, request.key, request.scope, request.windows, request.excludeVersion));
      }
      worker ??= new Worker(url);
      endpoint ??= new RpcEndpoint<QualityMethods>(workerPort(worker));
      return endpoint.call('quality', { ...request, dbPath: db.name, nativeBinding });
    },
    stop: () => void worker?.terminate(),
  };
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
