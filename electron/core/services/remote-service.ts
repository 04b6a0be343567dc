/** Remote tracing servers: saved sources (credentials sealed), search, pull into a dataset. */
import { ApiRequestError, type ApiImplementation, type ApiParsedRequest } from '../../../shared/api/contract.js';
import { deleteRemoteSource, listRemoteSources, remoteSource, saveRemoteSource, sealRemoteSource } from '../remote/remote-sources.js';
import { RemoteError, searchRemote, type RemoteSource } from '../remote/remote-client.js';
import { pullRemoteTraces } from '../remote/pull-traces.js';
import { SecretError } from '../secrets/secret-cipher.js';
import type { CoreContext } from './core-context.js';

type RemoteMethods = 'listRemoteSources' | 'saveRemoteSource' | 'deleteRemoteSource' | 'searchRemote' | 'pullRemote';

/** Remote and credential failures are the user's to fix (an address, a token): 400s. */
async function userErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof RemoteError || e instanceof SecretError) throw new ApiRequestError(e.message);
    throw e;
  }
}

export function remoteService(ctx: CoreContext): Pick<ApiImplementation, RemoteMethods> {
  const { reader, secrets } = ctx;
  /** The source a request names: a saved one (credentials unsealed) or one given in full. */
  const sourceOf = async (r: Pick<ApiParsedRequest<'searchRemote'>, 'sourceId' | 'source'>): Promise<{ source: RemoteSource; label: string }> => {
    if (r.source) return { source: r.source, label: `${r.source.kind} ${new URL(r.source.url).host}` };
    const saved = await userErrors(() => remoteSource(reader, secrets, r.sourceId!));
    if (!saved) throw new ApiRequestError(`no remote source ${r.sourceId}`);
    return { source: saved, label: listRemoteSources(reader).find((x) => x.id === r.sourceId)?.name ?? saved.kind };
  };
  return {
    listRemoteSources: () => listRemoteSources(reader),
    saveRemoteSource: async (r) => {
      const sealed = await sealRemoteSource(secrets, r);
      return ctx.withWriter((db) => saveRemoteSource(db, sealed));
    },
    deleteRemoteSource: (r) => ({ deleted: ctx.withWriter((db) => deleteRemoteSource(db, r.sourceId)) }),
    searchRemote: async (r) => {
      const { source } = await sourceOf(r);
      return userErrors(() => searchRemote(source, { service: r.service, limit: r.limit, lookbackMs: r.lookbackMinutes * 60_000 }));
    },
    pullRemote: async (r) => {
      const { source, label } = await sourceOf(r);
      const name = r.datasetName ?? `${label} ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
      return userErrors(() => ctx.withWriterAsync((db) => pullRemoteTraces(db, source, r.traceIds, name)));
    },
  };
}
