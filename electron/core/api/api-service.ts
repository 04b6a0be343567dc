/**
 * The core's one implementation of the shared contract. Both transports (HTTP in browser
 * mode, IPC in Electron) call `call(method, rawRequest)`, which validates the request with
 * the contract's schema before anything touches the store.
 */
import { ApiRequestError, type ApiImplementation, type ApiMethod, type ApiResponses, parseApiRequest, type ServerInfo } from '../../../shared/api/contract.js';
import type { TraceQueries } from '../store/trace-queries.js';
import type { Db } from '../store/open-store.js';
import { DatasetError, deleteDataset, listDatasets } from '../store/datasets.js';
import type { ImportManager } from './import-manager.js';

export class ApiService {
  private readonly impl: ApiImplementation;

  constructor(reader: Db, queries: TraceQueries, imports: ImportManager, info: () => ServerInfo, withWriter: <T>(fn: (db: Db) => T) => T) {
    this.impl = {
      getServerInfo: () => info(),
      getStats: (r) => queries.stats(r.dataset),
      listDatasets: () => listDatasets(reader),
      listServices: (r) => queries.listServices(r.dataset),
      searchTraces: (r) => queries.searchTraces(r),
      getTrace: (r) => queries.getTrace(r.traceId.toLowerCase(), r.dataset),
      startImport: (r) => imports.start(r.path, { displayName: r.path, dataset: r.dataset }),
      cancelImport: (r) => ({ cancelled: imports.cancel(r.importId) }),
      deleteDataset: (r) => {
        const ds = listDatasets(reader).find((d) => d.id === r.dataset);
        if (!ds) throw new ApiRequestError(`no dataset ${r.dataset}`);
        try {
          return withWriter((db) => deleteDataset(db, ds.name));
        } catch (e) {
          if (e instanceof DatasetError) throw new ApiRequestError(e.message);
          throw e;
        }
      },
    };
  }

  async call<M extends ApiMethod>(method: M, raw: unknown): Promise<ApiResponses[M]> {
    const request = parseApiRequest(method, raw);
    const fn = this.impl[method] as (r: typeof request) => ApiResponses[M] | Promise<ApiResponses[M]>;
    return fn(request);
  }
}
