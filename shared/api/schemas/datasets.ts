/** Datasets and what fills them: archive imports and the demo. */
import { z } from 'zod';
import { datasetId, datasetName, localPath } from './common.js';

const notLive = (r: { datasetName?: string | undefined }): boolean => r.datasetName !== 'live';
const LIVE_MESSAGE = 'imports go into a dataset of their own; "live" is the receivers\' dataset';

export const datasetSchemas = {
  /** Every dataset: live and each import, with counts. */
  listDatasets: z.object({}).strict(),
  /** Deletes an imported or pulled dataset and everything in it (not live). */
  deleteDataset: z.object({ datasetId }).strict(),
  /**
   * Imports an archive file already on this machine (Electron: from File > Open or a drop) into
   * a new dataset (named after the file unless given; " (2)" when taken); progress arrives as
   * 'import' live events. Browser mode uploads the file to POST /api/upload instead.
   */
  startImport: z.object({ path: localPath, datasetName: datasetName.optional() }).strict().refine(notLive, LIVE_MESSAGE),
  /**
   * Imports files one after the other into one dataset (named after the first file unless
   * given; an existing dataset of that name is added to) and answers when all are done, with
   * what each held. Progress arrives as 'import' live events. What `sightline import` does.
   */
  importFiles: z
    .object({ paths: z.array(localPath).min(1).max(1000), datasetName: datasetName.optional() })
    .strict()
    .refine(notLive, LIVE_MESSAGE),
  /** Stops a running import; what was committed before stays. */
  cancelImport: z.object({ importId: z.string().min(1) }).strict(),
  /** Imports the generated incident demo (a dataset named "demo: ranker incident"); with ifMissing, only when that dataset is not there yet. */
  loadDemo: z.object({ ifMissing: z.boolean().default(false) }).strict(),
};
