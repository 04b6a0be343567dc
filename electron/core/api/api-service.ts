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
import { deleteRemoteSource, listRemoteSources, remoteSource, saveRemoteSource, sealRemoteSource } from '../remote/remote-sources.js';
import { SecretError } from '../secrets/secret-cipher.js';
import type { StoredSecrets } from '../secrets/stored-secrets.js';
import { RemoteError, searchRemote } from '../remote/remote-client.js';
import { pullRemoteTraces } from '../remote/pull-traces.js';
import { AnalysisJobError, type AnalysisRunner } from '../analysis/analysis-runner.js';
import type { AnalysisJob } from '../analysis/analysis-worker.js';
import { readUserMapping, writeUserMapping } from '../ml/mapping-settings.js';
import { mergeMapping } from '../../../shared/model/ml-mapping.js';
import { demoArchivePath, DEMO_DATASET } from '../demo/demo-archive.js';
import { readAlertHistory, readAlertStatuses, replaceAlertRules } from '../alerts/alert-store.js';
import { listReportHistory } from '../reports/make-report.js';
import { readRedactionCounts, readRedactionRules, redactionRulesProblem, writeRedactionRules } from '../redaction/redaction-settings.js';
import { serviceGraph } from '../store/service-graph.js';
import { searchLogs } from '../store/log-queries.js';
import { loadTraceGroup } from '../store/trace-groups.js';
import { compareGroups } from '../../../shared/compare/compare-groups.js';
import fs from 'node:fs';
import path from 'node:path';

export class ApiService {
  private readonly impl: ApiImplementation;

  /**
   * `openWriterDb` opens a short-lived write connection for rare edits (datasets, sources,
   * pulls); IMMEDIATE transactions keep them safe beside the ingest writer.
   * `secrets` seals and opens remote sources' stored credentials.
   */
  constructor(reader: Db, queries: TraceQueries, imports: ImportManager, info: () => ServerInfo, openWriterDb: () => Db, analysis: AnalysisRunner, secrets: StoredSecrets, onRulesChanged: () => void = () => {}) {
    const withWriter = <T,>(fn: (db: Db) => T): T => {
      const db = openWriterDb();
      try {
        return fn(db);
      } finally {
        db.close();
      }
    };
    const withWriterAsync = async <T,>(fn: (db: Db) => Promise<T>): Promise<T> => {
      const db = openWriterDb();
      try {
        return await fn(db);
      } finally {
        db.close();
      }
    };
    const openRemoteSource = async (id: number): Promise<Awaited<ReturnType<typeof remoteSource>>> => {
      try {
        return await remoteSource(reader, secrets, id);
      } catch (e) {
        if (e instanceof SecretError) throw new ApiRequestError(e.message);
        throw e;
      }
    };
    const runJob = async <T,>(job: AnalysisJob): Promise<T> => {
      try {
        return await analysis.run<T>(job);
      } catch (e) {
        if (e instanceof AnalysisJobError && e.userError) throw new ApiRequestError(e.message);
        throw e;
      }
    };
    this.impl = {
      getServerInfo: () => info(),
      getStats: (r) => queries.stats(r.dataset),
      listDatasets: () => listDatasets(reader),
      listServices: (r) => queries.listServices(r.dataset),
      searchTraces: (r) => queries.searchTraces(r),
      serviceGraph: (r) => serviceGraph(reader, r),
      searchLogs: (r) => searchLogs(reader, { ...r, traceId: r.traceId?.toLowerCase(), spanId: r.spanId?.toLowerCase() }),
      compareTraces: (r) => {
        const a = loadTraceGroup(reader, r.dataset, r.a);
        const b = loadTraceGroup(reader, r.dataset, r.b);
        if (a.length === 0 || b.length === 0) throw new ApiRequestError(`group ${a.length === 0 ? 'A' : 'B'} has no traces: widen its search`);
        return compareGroups(a, b);
      },
      getTraceSpans: (r) => queries.traceSpansPage(r.traceId.toLowerCase(), r.dataset, r.after, r.limit),
      getSpan: (r) => queries.getSpan(r.traceId.toLowerCase(), r.spanId.toLowerCase(), r.dataset),
      findSpans: (r) => queries.findSpans(r.traceId.toLowerCase(), r.dataset, r.text, r.limit),
      getTraceMetrics: (r) => queries.traceMetrics(r.traceId.toLowerCase(), r.dataset),
      getTrace: (r) => queries.getTrace(r.traceId.toLowerCase(), r.dataset),
      startImport: (r) => imports.start(r.path, { displayName: r.path, dataset: r.dataset }),
      cancelImport: (r) => ({ cancelled: imports.cancel(r.importId) }),
      listRemoteSources: () => listRemoteSources(reader),
      saveRemoteSource: async (r) => {
        const sealed = await sealRemoteSource(secrets, r);
        return withWriter((db) => saveRemoteSource(db, sealed));
      },
      deleteRemoteSource: (r) => ({ deleted: withWriter((db) => deleteRemoteSource(db, r.source)) }),
      searchRemote: async (r) => {
        const src = await openRemoteSource(r.source);
        if (!src) throw new ApiRequestError(`no remote source ${r.source}`);
        try {
          return await searchRemote(src, { service: r.service, limit: r.limit, lookbackMs: r.lookbackMinutes * 60_000 });
        } catch (e) {
          if (e instanceof RemoteError) throw new ApiRequestError(e.message);
          throw e;
        }
      },
      pullRemote: async (r) => {
        const src = await openRemoteSource(r.source);
        if (!src) throw new ApiRequestError(`no remote source ${r.source}`);
        const name = r.dataset ?? `${listRemoteSources(reader).find((x) => x.id === r.source)?.name ?? src.kind} ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
        return withWriterAsync((db) => pullRemoteTraces(db, src, r.traceIds, name));
      },
      analyze: (r) =>
        runJob({
          kind: 'analyze',
          options: {
            datasetId: r.dataset, service: r.service, model: r.model, fromMs: r.fromMs, toMs: r.toMs,
            baseline: r.baselineFromMs !== undefined && r.baselineToMs !== undefined ? { fromMs: r.baselineFromMs, toMs: r.baselineToMs } : undefined,
            baselineVersion: r.baselineVersion,
            settings: { ...(r.alpha !== undefined ? { alpha: r.alpha } : {}), ...(r.distanceThreshold !== undefined ? { distanceThreshold: r.distanceThreshold } : {}) },
          },
        }),
      explainSelection: (r) =>
        runJob({
          kind: 'explainSelection',
          request: {
            datasetId: r.dataset, model: r.model, fromMs: r.fromMs, toMs: r.toMs,
            baseline: r.baselineFromMs !== undefined && r.baselineToMs !== undefined ? { fromMs: r.baselineFromMs, toMs: r.baselineToMs } : undefined,
          },
        }),
      getMlMapping: () => {
        const user = readUserMapping(reader);
        return { user, effective: mergeMapping(user) };
      },
      saveMlMapping: async (r) => {
        withWriter((db) => writeUserMapping(db, r.mapping));
        return runJob({ kind: 'reextract' });
      },
      loadDemo: () => {
        const file = demoArchivePath();
        if (!file) throw new ApiRequestError('the demo archive was not built (run npm run build)');
        return imports.start(file, { displayName: DEMO_DATASET, dataset: DEMO_DATASET });
      },
      listAlerts: () => ({ statuses: readAlertStatuses(reader), history: readAlertHistory(reader) }),
      saveAlertRules: (r) => {
        withWriter((db) => replaceAlertRules(db, r.rules));
        onRulesChanged();
        return { statuses: readAlertStatuses(reader), history: readAlertHistory(reader) };
      },
      getRedaction: () => ({ rules: readRedactionRules(reader), counts: readRedactionCounts(reader) }),
      saveRedaction: (r) => {
        // A pattern RE2 cannot run (backreferences, lookaround) is refused, naming the rule.
        const problem = redactionRulesProblem(r.rules);
        if (problem !== null) throw new ApiRequestError(problem);
        withWriter((db) => writeRedactionRules(db, r.rules));
        return { rules: readRedactionRules(reader), counts: readRedactionCounts(reader) };
      },
      createReport: async (r) => {
        const datasetName = r.dataset !== undefined ? listDatasets(reader).find((d) => d.id === r.dataset)?.name : undefined;
        if (r.dataset !== undefined && !datasetName) throw new ApiRequestError(`no dataset ${r.dataset}`);
        const scope = { fromMs: r.fromMs ?? null, toMs: r.toMs ?? null, service: r.service ?? null, model: r.model ?? null, dataset: datasetName ?? null };
        await runJob({ kind: 'report', scope, datasetId: r.dataset, format: r.format });
        return listReportHistory(reader)[0]!;
      },
      listReports: () => listReportHistory(reader),
      getReportFile: (r) => {
        const entry = listReportHistory(reader).find((e) => e.id === r.id);
        if (!entry) throw new ApiRequestError(`no report ${r.id}`);
        if (!fs.existsSync(entry.path)) throw new ApiRequestError(`${entry.path} is not on disk any more`);
        return { name: path.basename(entry.path), mime: entry.format === 'pdf' ? 'application/pdf' : 'text/html', base64: fs.readFileSync(entry.path).toString('base64') };
      },
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
