/**
 * `sightline verify FILE --db STORE`: is the data a report was made from still the data in the
 * store? The report's evidence names its scope and the SHA-256 of the store's contents in it;
 * this hashes the same scope again from every stored row (never from the chunk hashes the
 * writer kept, which a report uses to be quick), on a worker thread.
 */
import type { Db } from '../store/db.js';
import { findDataset } from '../store/datasets.js';
import type { ReportScope } from '../../../shared/model/report.js';
import { scopeRangeNs } from './report-scope.js';
import { STORE_HASH_FORMAT } from './store-hash.js';
import { reportSideThread } from './report-side-thread.js';
import { evidenceOfReport } from './verify-report.js';

export interface StoreCheck {
  check: 'store contents';
  ok: boolean;
  detail: string;
}

interface ProvenanceOnly {
  provenance?: { query?: ReportScope; storeSha256?: string; storeHashFormat?: string };
}

export async function checkStoreContents(bytes: Buffer, store: { dbPath: string; reader: Db; nativeBinding: string | undefined }): Promise<StoreCheck> {
  const fail = (detail: string): StoreCheck => ({ check: 'store contents', ok: false, detail });
  const evidence = evidenceOfReport(bytes) as ProvenanceOnly | undefined;
  if (evidence === undefined) return fail('the file carries no evidence to compare (a PDF: check its evidence bundle, written by report --evidence)');
  const scope = evidence.provenance?.query;
  const recorded = evidence.provenance?.storeSha256;
  if (!scope || typeof recorded !== 'string') return fail('the evidence names no scope or store hash');
  const format = evidence.provenance?.storeHashFormat;
  if (format !== STORE_HASH_FORMAT) {
    return fail(
      format === undefined
        ? 'the report was made by a Sightline that did not record how it hashed the store, so the hash cannot be made again'
        : `the report's store hash is of format ${format}; this Sightline makes ${STORE_HASH_FORMAT}`,
    );
  }
  let datasetId: number | undefined;
  if (scope.datasetName !== null && scope.datasetName !== undefined) {
    const dataset = findDataset(store.reader, scope.datasetName);
    if (!dataset) return fail(`the report is of dataset "${scope.datasetName}", which this store does not have`);
    datasetId = dataset.id;
  }
  const [fromNs, toNs] = scopeRangeNs(scope);
  const side = reportSideThread();
  let now: string;
  try {
    now = await side.hash({ dbPath: store.dbPath, nativeBinding: store.nativeBinding, fromNs, toNs, datasetId, storedChunkHashes: false });
  } finally {
    side.stop();
  }
  return now === recorded
    ? { check: 'store contents', ok: true, detail: `every stored row in the report's scope hashes to the SHA-256 it records (${recorded})` }
    : fail(`rows in the report's scope were added, changed or removed since it was made: the store hashes to SHA-256 ${now}, the report records ${recorded}`);
}
