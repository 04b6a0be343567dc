/**
 * A report's latency SLOs: p50, p95 and p99 of the request (trace) duration per model version,
 * over every prediction in scope. Reports make them on their side thread (report-side-thread.ts).
 * Rows are streamed into one growing Float64Array per model version and the quantiles found by
 * selection: reading all 2.5 million rows as arrays first, and a string key per row, kept that
 * thread in the garbage collector for 43% of its time, on the core the analysis shares.
 */
import type { Db } from '../store/db.js';
import type { LatencySlo, ReportScope } from '../../../shared/model/report.js';
import { quantilesBySelection } from '../stats/select-quantiles.js';
import { scopeRangeNs } from './report-scope.js';

/** Durations of one model version, appended in place. */
class Durations {
  values = new Float64Array(1024);
  count = 0;

  add(ms: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = ms;
  }
}

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
    .iterate(...[from, to, ...(datasetId !== undefined ? [datasetId] : []), ...(scope.model ? [scope.model] : []), ...(scope.service ? [scope.service] : [])]);
  const groups = new Map<string, Map<string, Durations>>();
  for (const row of rows) {
    const [model, version, ms] = row as [string, string, number | null];
    let versions = groups.get(model);
    if (!versions) groups.set(model, (versions = new Map()));
    let durations = versions.get(version);
    if (!durations) versions.set(version, (durations = new Durations()));
    durations.add(ms ?? 0);
  }
  const r = (x: number): number => Math.round(x * 100) / 100;
  const slos: LatencySlo[] = [];
  for (const [model, versions] of groups) {
    for (const [version, d] of versions) {
      const [p50, p95, p99] = quantilesBySelection(d.values.subarray(0, d.count), [0.5, 0.95, 0.99]) as [number, number, number];
      slos.push({ model, version, requests: d.count, p50Ms: r(p50), p95Ms: r(p95), p99Ms: r(p99) });
    }
  }
  return slos.sort((a, b) => a.model.localeCompare(b.model) || a.version.localeCompare(b.version));
}
