/** Messages between an import thread and its writer thread (import-writer-thread.ts). */
import type { PackedBatches } from '../ingest/batch-transfer.js';
import type { WriteTotals } from '../store/batch-writer.js';

export interface ImportWriterInit {
  dbPath: string;
  datasetId: number;
  nativeBinding?: string | undefined;
}

export type ToImportWriter = { type: 'write'; id: number; group: PackedBatches[] } | { type: 'close' };

export type FromImportWriter =
  { type: 'committed'; id: number; totals: WriteTotals } | { type: 'failed'; id: number; message: string } | { type: 'fatal'; message: string };
