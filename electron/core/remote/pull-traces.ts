/**
 * Pulls chosen traces from a remote source into a local dataset (kind 'remote'), through the
 * same converters and ingest writer as file imports. Each trace succeeds or fails on its own.
 */
import type { Db } from '../store/open-store.js';
import { IngestWriter } from '../ingest/ingest-writer.js';
import { ensureDataset } from '../store/datasets.js';
import { jsonRecordToBatch } from '../importers/json-records.js';
import { fetchRemoteTrace, type RemoteSource } from './remote-client.js';

export interface PullResult {
  datasetName: string;
  datasetId: number;
  pulled: { traceId: string; spans: number }[];
  failed: { traceId: string; error: string }[];
}

export async function pullRemoteTraces(db: Db, source: RemoteSource, traceIds: string[], datasetName: string): Promise<PullResult> {
  const dataset = ensureDataset(db, datasetName, 'remote', `${source.kind} ${source.url}`);
  const writer = new IngestWriter(db);
  const result: PullResult = { datasetName: dataset.name, datasetId: dataset.id, pulled: [], failed: [] };
  for (const traceId of traceIds) {
    try {
      const { batch } = jsonRecordToBatch(await fetchRemoteTrace(source, traceId));
      const totals = writer.write([batch], dataset.id);
      const spans = totals.spans + totals.duplicateSpans;
      if (spans === 0) result.failed.push({ traceId, error: 'the source returned no spans for this trace' });
      else result.pulled.push({ traceId, spans });
    } catch (e) {
      result.failed.push({ traceId, error: (e as Error).message });
    }
  }
  return result;
}
