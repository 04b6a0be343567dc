/**
 * The part of a report that does not need the analysis: the hash of the store's contents in
 * scope (store-hash.ts) and the latency SLOs (latency-slos.ts), made on a worker thread with its
 * own read connection (report-side-worker.ts), so they use the second core while the report's
 * analysis uses the first. `stop` ends it early (the report failed), so it does not read on for
 * seconds after nobody waits for it.
 */
import { Worker } from 'node:worker_threads';
import type { LatencySlo, ReportScope } from '../../../shared/model/report.js';
import { RpcEndpoint } from '../util/rpc/rpc-endpoint.js';
import { workerPort } from '../util/rpc/rpc-port.js';

export interface SideThreadStore {
  dbPath: string;
  /** better-sqlite3 for this runtime's ABI (Electron). */
  nativeBinding?: string | undefined;
}

export interface StoreHashJob extends SideThreadStore {
  fromNs: bigint;
  toNs: bigint;
  datasetId: number | undefined;
  /** false: hash every chunk from its rows, ignoring the hashes the writer stored (verify --db). */
  storedChunkHashes: boolean;
}

export interface SlosJob extends SideThreadStore {
  scope: ReportScope;
  datasetId: number | undefined;
}

export type ReportSideMethods = {
  /** The hex SHA-256 of the store's contents in the job's scope. */
  hash: { request: StoreHashJob; response: string };
  slos: { request: SlosJob; response: LatencySlo[] };
};

export interface ReportSideThread {
  hash(job: StoreHashJob): Promise<string>;
  slos(job: SlosJob): Promise<LatencySlo[]>;
  stop(): void;
}

/** One worker thread; its calls run one after another, and it ends with stop(). */
export function reportSideThread(): ReportSideThread {
  const worker = new Worker(new URL('./report-side-worker.js', import.meta.url));
  const endpoint = new RpcEndpoint<ReportSideMethods>(workerPort(worker));
  const call = <M extends keyof ReportSideMethods>(
    method: M,
    request: ReportSideMethods[M]['request'],
    what: string,
  ): Promise<ReportSideMethods[M]['response']> => {
    const p = endpoint.call(method, request).catch((e: Error) => {
      throw new Error(`${what} failed: ${e.message}`);
    });
    p.catch(() => {}); // the caller awaits it, or stops the thread after a failure of its own
    return p;
  };
  return {
    hash: (job) => call('hash', job, 'hashing the store'),
    slos: (job) => call('slos', job, 'the latency SLOs'),
    stop: () => void worker.terminate(),
  };
}
