/** Traces, spans, logs and metrics: the contract's read methods over the store, and exports. */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { finished, pipeline } from 'node:stream/promises';
import { ApiRequestError, type ApiImplementation } from '../../../shared/api/contract.js';
import { serviceGraph } from '../store/service-graph.js';
import { traceHeatmap, traceListPage } from '../store/trace-list.js';
import { searchLogs } from '../store/log-queries.js';
import { loadTraceGroup } from '../store/trace-groups.js';
import { compareGroups } from '../compare/compare-groups.js';
import { exportTraceAsOtlp } from '../store/otlp-trace-export.js';
import { exportJsonLines } from '../exports/export-jsonl.js';
import { listDatasets } from '../store/datasets.js';
import { Redactor } from '../redaction/redactor.js';
import { readRedactionRules } from '../redaction/redaction-settings.js';
import { storePseudonymKey } from '../redaction/pseudonym-key.js';
import { redactOtlp } from '../redaction/redact-otlp.js';
import type { CoreContext } from './core-context.js';

type TraceMethods =
  | 'getStats'
  | 'listServices'
  | 'searchTraces'
  | 'listTraces'
  | 'traceHeatmap'
  | 'serviceGraph'
  | 'searchLogs'
  | 'compareTraces'
  | 'getTraceSpans'
  | 'getSpan'
  | 'findSpans'
  | 'getTraceMetrics'
  | 'getTrace'
  | 'exportTrace'
  | 'exportTraces';

export function traceService(ctx: CoreContext): Pick<ApiImplementation, TraceMethods> {
  const { reader, queries } = ctx;
  return {
    getStats: (r) => queries.stats(r.datasetId),
    listServices: (r) => queries.listServices(r.datasetId),
    searchTraces: ({ datasetId, ...r }) => queries.searchTraces({ ...r, dataset: datasetId }),
    listTraces: ({ datasetId, after, ...r }) => {
      try {
        return traceListPage(reader, { ...r, dataset: datasetId, after });
      } catch (e) {
        if (e instanceof RangeError) throw new ApiRequestError(e.message);
        throw e;
      }
    },
    traceHeatmap: ({ datasetId, ...r }) => traceHeatmap(reader, { ...r, dataset: datasetId }),
    serviceGraph: ({ datasetId, ...r }) => serviceGraph(reader, { ...r, dataset: datasetId }),
    searchLogs: ({ datasetId, ...r }) => searchLogs(reader, { ...r, dataset: datasetId, traceId: r.traceId?.toLowerCase(), spanId: r.spanId?.toLowerCase() }),
    compareTraces: (r) => {
      const a = loadTraceGroup(reader, r.datasetId, r.a);
      const b = loadTraceGroup(reader, r.datasetId, r.b);
      if (a.length === 0 || b.length === 0) throw new ApiRequestError(`group ${a.length === 0 ? 'A' : 'B'} has no traces: widen its search`);
      return compareGroups(a, b);
    },
    getTraceSpans: (r) => queries.traceSpansPage(r.traceId.toLowerCase(), r.datasetId, r.after, r.limit),
    getSpan: (r) => queries.getSpan(r.traceId.toLowerCase(), r.spanId.toLowerCase(), r.datasetId),
    findSpans: (r) => queries.findSpans(r.traceId.toLowerCase(), r.datasetId, r.text, r.limit),
    getTraceMetrics: (r) => queries.traceMetrics(r.traceId.toLowerCase(), r.datasetId),
    getTrace: (r) => queries.getTrace(r.traceId.toLowerCase(), r.datasetId),
    exportTrace: (r) => {
      const trace = exportTraceAsOtlp(reader, r.traceId.toLowerCase(), r.datasetId);
      // The redaction rules apply again on the way out, as for every export.
      return trace ? redactOtlp(trace, new Redactor(readRedactionRules(reader), storePseudonymKey(ctx.dbPath))) : null;
    },
    exportTraces: async (r) => {
      const dataset = listDatasets(reader).find((d) => d.id === r.datasetId);
      if (!dataset) throw new ApiRequestError(`no dataset ${r.datasetId}`);
      // Opened first, so a folder that is not there or not writable is a clear error, not a stream error later.
      let handle: fs.promises.FileHandle;
      try {
        handle = await fs.promises.open(r.outPath, 'w', 0o600);
      } catch (e) {
        throw new ApiRequestError(`cannot write ${r.outPath}: ${(e as Error).message}`);
      }
      const file = handle.createWriteStream();
      const gzip = r.outPath.endsWith('.gz') ? zlib.createGzip() : null;
      const sink = gzip ?? file;
      // Every stream's failure ends the export (pipeline), none is left unheard.
      const written = gzip ? pipeline(gzip, file) : finished(file);
      written.catch(() => undefined); // heard below; never an unhandled rejection meanwhile
      try {
        const result = await exportJsonLines(
          reader,
          { datasetId: r.datasetId, service: r.service, fromMs: r.fromMs, toMs: r.toMs, traceIds: r.traceIds?.map((t) => t.toLowerCase()) },
          sink,
        );
        sink.end();
        await written;
        return { outPath: r.outPath, datasetId: dataset.id, datasetName: dataset.name, ...result, bytes: fs.statSync(r.outPath).size };
      } catch (e) {
        sink.destroy();
        throw new ApiRequestError(`cannot write ${r.outPath}: ${(e as Error).message}`);
      }
    },
  };
}
