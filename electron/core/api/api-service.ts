/**
 * The core's one implementation of the shared contract, composed from the domain services
 * (electron/core/services/). Every caller — the HTTP transport in browser mode, IPC in the
 * desktop app, the CLI — goes through `call(method, rawRequest)`, which validates the request
 * with the contract's schema before anything touches the store.
 */
import { parseApiRequest, type ApiImplementation, type ApiMethod, type ApiResponses } from '../../../shared/api/contract.js';
import type { CoreContext } from '../services/core-context.js';
import { traceService } from '../services/trace-service.js';
import { datasetService } from '../services/dataset-service.js';
import { remoteService } from '../services/remote-service.js';
import { analysisService } from '../services/analysis-service.js';
import { settingsService } from '../services/settings-service.js';
import { reportService } from '../services/report-service.js';

export class ApiService {
  private readonly impl: ApiImplementation;

  constructor(ctx: CoreContext) {
    this.impl = {
      getServerInfo: () => ctx.info(),
      ...traceService(ctx),
      ...datasetService(ctx),
      ...remoteService(ctx),
      ...analysisService(ctx),
      ...settingsService(ctx),
      ...reportService(ctx),
    };
  }

  async call<M extends ApiMethod>(method: M, raw: unknown): Promise<ApiResponses[M]> {
    const request = parseApiRequest(method, raw);
    const fn = this.impl[method] as (r: typeof request) => ApiResponses[M] | Promise<ApiResponses[M]>;
    return fn(request);
  }
}
