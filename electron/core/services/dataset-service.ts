/** Datasets and what fills them: imports (one file in the background, or several waited for) and the demo. */
import { ApiRequestError, type ApiImplementation } from '../../../shared/api/contract.js';
import type { ImportFilesResult, ImportSummary } from '../../../shared/model/imports.js';
import { DatasetError, deleteDataset, findDataset, listDatasets } from '../store/datasets.js';
import { ImportStartError } from '../importers/import-manager.js';
import { demoArchivePath, DEMO_DATASET } from '../demo/demo-archive.js';
import type { CoreContext } from './core-context.js';
import path from 'node:path';

type DatasetMethods = 'listDatasets' | 'deleteDataset' | 'startImport' | 'importFiles' | 'cancelImport' | 'loadDemo';

/** ImportStartError (no such file, a folder) is the caller's mistake: a 400. */
function userErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ImportStartError || e instanceof DatasetError) throw new ApiRequestError(e.message);
    throw e;
  }
}

const total = (files: ImportSummary[], key: 'spans' | 'traces' | 'metricPoints' | 'logRecords' | 'rejected' | 'badRecords'): number =>
  files.reduce((n, f) => n + f[key], 0);

export function datasetService(ctx: CoreContext): Pick<ApiImplementation, DatasetMethods> {
  const { reader, imports } = ctx;
  return {
    listDatasets: () => listDatasets(reader),
    deleteDataset: (r) => {
      const ds = listDatasets(reader).find((d) => d.id === r.datasetId);
      if (!ds) throw new ApiRequestError(`no dataset ${r.datasetId}`);
      return userErrors(() => ctx.withWriter((db) => deleteDataset(db, ds.name)));
    },
    startImport: (r) => userErrors(() => imports.start(r.path, { displayName: r.path, datasetName: r.datasetName })),
    importFiles: async (r) => {
      const datasetName = r.datasetName ?? path.basename(r.paths[0]!);
      // Every file must be there before anything is imported.
      const files: ImportSummary[] = [];
      for (const p of r.paths) userErrors(() => imports.check(p));
      for (const file of r.paths) {
        const { importId } = userErrors(() => imports.start(file, { displayName: file, datasetName, addToExisting: true }));
        const outcome = await imports.wait(importId);
        if (outcome.state === 'cancelled') throw new ApiRequestError(outcome.message);
        if (outcome.summary) files.push(outcome.summary);
        else throw new ApiRequestError(`${file}: ${outcome.message}`);
      }
      const found = findDataset(reader, datasetName);
      const result: ImportFilesResult = {
        datasetId: found?.id ?? null,
        datasetName,
        files,
        totals: {
          spans: total(files, 'spans'),
          traces: total(files, 'traces'),
          metricPoints: total(files, 'metricPoints'),
          logRecords: total(files, 'logRecords'),
          rejected: total(files, 'rejected'),
          badRecords: total(files, 'badRecords'),
        },
        kept: found !== null,
      };
      return result;
    },
    cancelImport: (r) => ({ cancelled: imports.cancel(r.importId) }),
    loadDemo: (r) => {
      if (r.ifMissing && findDataset(reader, DEMO_DATASET)) return { importId: null, datasetName: DEMO_DATASET, alreadyLoaded: true };
      const file = demoArchivePath();
      if (!file) throw new ApiRequestError('the demo archive was not built (run npm run build)');
      const started = imports.start(file, { displayName: DEMO_DATASET, datasetName: DEMO_DATASET });
      return { importId: started.importId, datasetName: started.datasetName, alreadyLoaded: false };
    },
  };
}
