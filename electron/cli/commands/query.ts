/**
 * Reading commands over a store: `stats`, `traces`, `trace` and `datasets` (with `datasets
 * delete`). The store is opened read-only for reading, so they are safe while `sightline
 * serve` is writing to it.
 */
import { parseArgs } from 'node:util';
import { CliError } from '../cli-error.js';
import { withCore } from '../core-client.js';
import { intOption } from '../options.js';

const out = (v: unknown): void => void process.stdout.write(JSON.stringify(v) + '\n');
export const TRACE_ID = /^[0-9a-fA-F]{32}$/;

export async function statsCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { db: { type: 'string' }, dataset: { type: 'string' }, json: { type: 'boolean' } } });
  const stats = await withCore(values.db, {}, async (core) => core.call('getStats', { datasetId: await core.datasetId(values.dataset) }));
  if (values.json) return out(stats);
  process.stdout.write(
    `traces         ${stats.traces}\nspans          ${stats.spans}\nmetric points  ${stats.metricPoints}\nlog records    ${stats.logRecords}\nservices       ${stats.services.join(', ') || '(none)'}\n`,
  );
}

export async function tracesCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { db: { type: 'string' }, dataset: { type: 'string' }, service: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  });
  const limit = intOption(values.limit, '--limit', 20);
  if (limit < 1) throw new CliError('--limit must be at least 1');
  const traces = await withCore(values.db, {}, async (core) => core.call('searchTraces', { datasetId: await core.datasetId(values.dataset), service: values.service, limit }));
  if (values.json) return out(traces);
  for (const t of traces) {
    const when = new Date(t.startTimeMs).toISOString();
    process.stdout.write(`${t.traceId}  ${when}  ${t.durationMs.toFixed(1).padStart(10)} ms  ${String(t.spanCount).padStart(6)} spans  ${t.errorCount ? `${t.errorCount} errors  ` : ''}${t.rootServiceName ?? '?'}: ${t.rootSpanName ?? '(no root span yet)'}\n`);
  }
}

export async function traceCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { db: { type: 'string' }, dataset: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true });
  const traceId = positionals[0];
  if (!traceId) throw new CliError('usage: sightline trace --db PATH TRACE_ID --json');
  if (!TRACE_ID.test(traceId)) throw new CliError(`"${traceId}" is not a trace ID (32 hex characters)`);
  const trace = await withCore(values.db, {}, async (core) => core.call('exportTrace', { traceId, datasetId: await core.datasetId(values.dataset) }));
  if (!trace) throw new CliError(`trace ${traceId.toLowerCase()} is not in the store`, 2);
  out(trace);
}

/** `sightline datasets [--json]` lists datasets; `sightline datasets delete NAME` removes one. */
export async function datasetsCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { db: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true });
  if (positionals[0] === 'delete') {
    const name = positionals[1];
    if (!name) throw new CliError('usage: sightline datasets delete NAME [--db PATH]');
    const r = await withCore(values.db, {}, async (core) => core.call('deleteDataset', { datasetId: (await core.datasetId(name))! }));
    process.stdout.write(values.json ? JSON.stringify({ deleted: name, ...r }) + '\n' : `deleted dataset "${name}": ${r.traces} traces, ${r.spans} spans\n`);
    return;
  }
  if (positionals.length > 0) throw new CliError(`unknown datasets subcommand "${positionals[0]}"`);
  const list = await withCore(values.db, {}, (core) => core.call('listDatasets', {}));
  if (values.json) return out(list);
  for (const d of list) process.stdout.write(`${d.name.padEnd(24)} ${d.kind.padEnd(7)} ${String(d.traces).padStart(8)} traces ${String(d.spans).padStart(10)} spans  ${d.source}\n`);
}
