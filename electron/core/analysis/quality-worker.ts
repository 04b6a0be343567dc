/**
 * Worker entry (dist/app/quality-worker.js): a model's quality per window from ground truth,
 * then half of its drift signals' window tests, and the evidence of half an attribution's factors, each on its own read connection, for
 * qualityThread (quality-thread.ts).
 */
import { parentPort } from 'node:worker_threads';
import { ONE_PASS_CACHE_MB, openReader, withReader, type Db } from '../store/open-store.js';
import { RpcEndpoint } from '../util/rpc/rpc-endpoint.js';
import { messagePort } from '../util/rpc/rpc-port.js';
import { qualityByWindow } from './ground-truth.js';
import { factorEvidence, toReply } from './factor-evidence.js';
import { traceIdLookup } from './trace-id-lookup.js';
import type { QualityMethods } from './quality-thread.js';
import { answerSignalTests } from './signal-tests.js';

new RpcEndpoint<Record<never, never>, QualityMethods>(messagePort(parentPort!)).serve({
  quality: (r) =>
    withReader(r.dbPath, { nativeBinding: r.nativeBinding, cacheMb: ONE_PASS_CACHE_MB }, (db) =>
      qualityByWindow(db, r.key, r.scope, r.windows, r.excludeVersion),
    ),
  tests: (r) => answerSignalTests(r),
  evidence: ({ dbPath, nativeBinding, factors, ...measuredAgainst }) => {
    // A connection only when an exemplar's trace ID is asked for (only factors that rose have exemplars).
    const opened: { db?: Db; lookup?: (traceSeq: number) => string | null } = {};
    const traceIdOf = (seq: number): string | null => (opened.lookup ??= traceIdLookup((opened.db = openReader(dbPath, { nativeBinding }))))(seq);
    try {
      return factors.map((f) => toReply(factorEvidence(f, { ...measuredAgainst, traceIdOf, memo: undefined })));
    } finally {
      opened.db?.close();
    }
  },
});
