/**
 * A report's latency SLOs: p50, p95 and p99 of the request (trace) duration per model version,
 * over every prediction in scope. Two and a half million requests take about 5 s (the join and
 * the sort), so reports make them on their side thread (report-side-thread.ts).
 */
import type { Db } from '../store/db.js';
import { quantileSorted } from '../../../shared/stats/descriptive.js';
import type { LatencySlo, ReportScope } from '../../../shared/model/report.js';
import { scopeRangeNs } from './report-scope.js';

export function latencySlos(db: Db, scope: ReportScope, datasetId: number | undefined): LatencySlo[] {
  const [from, to] = scopeRangeNs(scope);
  const rows = db
    .prepare(
      `SELECT p.model_name, p.model_version, (t.end_time_unix_nano - t.start_time_unix_nano) / 1e6
       FROM predictions p JOIN traces t ON t.trace_seq = p.trace_seq
       WHERE p.time_unix_nano >= ? AND p.time_unix_nano < ? ${datasetId !== undefined ? 'AND p.dataset_id = ?' : ''}
         ${scope.model ? 'AND p.model_name = ?' : ''} ${scope.service ? 'AND p.service_name = ?' : ''}`,
    )
    .raw(true)
    .all(...[from, to, ...(datasetId !== undefined ? [datasetId] : []), ...(scope.model ? [scope.model] : []), ...(scope.service ? [scope.service] : [])]) as [
    string,
    string,
    number,
  ][];
  const groups = new Map<string, number[]>();
  for (const [m, v, ms] of rows) {
    const key = `${m}\u0000${v}`;
    const list = groups.get(key) ?? [];
    list.push(ms);
    groups.set(key, list);
  }
  return [...groups]
    .map(([key, list]) => {
      const [model, version] = key.split('\u0000') as [string, string];
      const sorted = Float64Array.from(list).sort();
      const r = (x: number): number => Math.round(x * 100) / 100;
      return {
        model,
        version,
        requests: list.length,
        p50Ms: r(quantileSorted(sorted, 0.5)),
        p95Ms: r(quantileSorted(sorted, 0.95)),
        p99Ms: r(quantileSorted(sorted, 0.99)),
      };
    })
    .sort((a, b) => a.model.localeCompare(b.model) || a.version.localeCompare(b.version));
}
