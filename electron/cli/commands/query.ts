/**
 * Reading commands over a store: `stats`, `traces`, `trace` and `datasets` (with `datasets
 * delete`). The store is opened read-only for reading, so they are safe while `sightline
 * serve` is writing to it. Without --json they say on stderr which dataset they read.
 */
import { CliError, UsageError } from '../cli-error.js';
import { withCore } from '../core-client.js';
import { inScope, readScope } from '../data-context.js';
import { intOption, parseOptions } from '../options.js';
import { didYouMean } from '../suggest.js';
import { traceTree } from '../trace-tree.js';

export const STATS_USAGE = `sightline stats  [--db PATH] [--dataset NAME] [--json]
      counts of traces, spans, metric points, log records and services: every dataset, or one.`;
export const TRACES_USAGE = `sightline traces [--db PATH] [--dataset NAME] [--service S] [--limit N] [--json]
      the newest traces (20 unless --limit), one line each; "live" unless --dataset is given.`;
export const TRACE_USAGE = `sightline trace  [--db PATH] [--dataset NAME] TRACE_ID [--json]
      one trace as a tree of spans (offset, duration, service: name); --json prints it as OTLP JSON.
      Looks in "live" first, then in the other datasets, unless --dataset is given.`;
export const DATASETS_USAGE = `sightline datasets [--db PATH] [--json]            list datasets (live and imports)
  sightline datasets delete NAME [--db PATH]`;

const out = (v: unknown): void => void process.stdout.write(JSON.stringify(v) + '\n');
export const TRACE_ID = /^[0-9a-fA-F]{32}$/;
const READ_OPTIONS = { db: { type: 'string' }, dataset: { type: 'string' }, json: { type: 'boolean' } } as const;

export async function statsCommand(argv: string[]): Promise<void> {
  const { values } = parseOptions(argv, READ_OPTIONS);
  const stats = await withCore(values.db, {}, (core) =>
    inScope(core, { dataset: values.dataset, otherwise: 'all', quiet: !!values.json }, (datasetId) => core.call('getStats', { datasetId })),
  );
  if (values.json) return out(stats);
  process.stdout.write(
    `traces         ${stats.traces}\nspans          ${stats.spans}\nmetric points  ${stats.metricPoints}\nlog records    ${stats.logRecords}\nservices       ${stats.services.join(', ') || '(none)'}\n`,
  );
}

export async function tracesCommand(argv: string[]): Promise<void> {
  const { values } = parseOptions(argv, { ...READ_OPTIONS, service: { type: 'string' }, limit: { type: 'string' } });
  const limit = intOption(values.limit, '--limit', 20, { min: 1 });
  const traces = await withCore(values.db, {}, (core) =>
    inScope(core, { dataset: values.dataset, otherwise: 'live', quiet: !!values.json }, (datasetId) =>
      core.call('searchTraces', { datasetId, service: values.service, limit }),
    ),
  );
  if (values.json) return out(traces);
  for (const t of traces) {
    const when = new Date(t.startTimeMs).toISOString();
    process.stdout.write(
      `${t.traceId}  ${when}  ${t.durationMs.toFixed(1).padStart(10)} ms  ${String(t.spanCount).padStart(6)} spans  ${t.errorCount ? `${t.errorCount} errors  ` : ''}${t.rootServiceName ?? '?'}: ${t.rootSpanName ?? '(no root span yet)'}\n`,
    );
  }
}

export async function traceCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseOptions(argv, READ_OPTIONS, true);
  const traceId = positionals[0];
  if (!traceId) throw new UsageError('name the trace: sightline trace TRACE_ID');
  if (positionals.length > 1) throw new UsageError(`one trace at a time; "${positionals[1]}" is one too many`);
  if (!TRACE_ID.test(traceId)) throw new UsageError(`"${traceId}" is not a trace ID (32 hex characters)`);
  const trace = await withCore(values.db, {}, async (core) => {
    // Without --dataset the core looks in every dataset, "live" first.
    const scope = await readScope(core, { dataset: values.dataset, otherwise: 'all', quiet: !!values.json });
    const found = await core.call('exportTrace', { traceId, datasetId: scope.datasetId });
    if (found) scope.tell();
    return found;
  });
  if (!trace) throw new CliError(`trace ${traceId.toLowerCase()} is not in the store`, 2);
  if (values.json) out(trace);
  else process.stdout.write(traceTree(trace));
}

/** `sightline datasets [--json]` lists datasets; `sightline datasets delete NAME` removes one. */
export async function datasetsCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseOptions(argv, { db: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (positionals[0] === 'delete') {
    const name = positionals[1];
    if (!name) throw new UsageError('name the dataset to delete: sightline datasets delete NAME');
    const r = await withCore(values.db, {}, async (core) => core.call('deleteDataset', { datasetId: (await core.datasetId(name))! }));
    process.stdout.write(values.json ? JSON.stringify({ deleted: name, ...r }) + '\n' : `deleted dataset "${name}": ${r.traces} traces, ${r.spans} spans\n`);
    return;
  }
  if (positionals.length > 0)
    throw new UsageError(
      `Unknown datasets subcommand '${positionals[0]}'.${didYouMean(positionals[0]!, ['delete']) || ' datasets lists them; datasets delete NAME removes one.'}`,
      false,
    );
  const list = await withCore(values.db, {}, (core) => core.call('listDatasets', {}));
  if (values.json) return out(list);
  for (const d of list)
    process.stdout.write(
      `${d.name.padEnd(24)} ${d.kind.padEnd(7)} ${String(d.traces).padStart(8)} traces ${String(d.spans).padStart(10)} spans  ${d.source}\n`,
    );
}
