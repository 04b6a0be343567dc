/**
 * Read-only commands over a store file: `stats`, `traces` and `trace`. They open the SQLite
 * file read-only, so they are safe while `sightline serve` is writing to it.
 */
import { parseArgs } from 'node:util';
import { TraceQueries } from '../../core/store/trace-queries.js';
import { exportTraceAsOtlp } from '../../core/store/otlp-trace-export.js';
import { deleteDataset, listDatasets } from '../../core/store/datasets.js';
import { openWriter } from '../../core/store/open-store.js';
import { CliError } from '../cli-error.js';
import { datasetIdByName, openStoreReader, storePath } from '../store-access.js';
import { intOption } from '../options.js';

const out = (v: unknown): void => void process.stdout.write(JSON.stringify(v) + '\n');

export function statsCommand(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { db: { type: 'string' }, dataset: { type: 'string' }, json: { type: 'boolean' } } });
  const db = openStoreReader(values.db);
  const stats = new TraceQueries(db).stats(datasetIdByName(db, values.dataset));
  db.close();
  if (values.json) return out(stats);
  process.stdout.write(
    `traces         ${stats.traces}\nspans          ${stats.spans}\nmetric points  ${stats.metricPoints}\nlog records    ${stats.logRecords}\nservices       ${stats.services.join(', ') || '(none)'}\n`,
  );
}

export function tracesCommand(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: { db: { type: 'string' }, dataset: { type: 'string' }, service: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  });
  const limit = intOption(values.limit, '--limit', 20);
  if (limit < 1) throw new CliError('--limit must be at least 1');
  const db = openStoreReader(values.db);
  const traces = new TraceQueries(db).searchTraces({ dataset: datasetIdByName(db, values.dataset), service: values.service, limit });
  db.close();
  if (values.json) return out(traces);
  for (const t of traces) {
    const when = new Date(t.startTimeMs).toISOString();
    process.stdout.write(`${t.traceId}  ${when}  ${t.durationMs.toFixed(1).padStart(10)} ms  ${String(t.spanCount).padStart(6)} spans  ${t.errorCount ? `${t.errorCount} errors  ` : ''}${t.rootServiceName ?? '?'}: ${t.rootSpanName ?? '(no root span yet)'}\n`);
  }
}

export function traceCommand(argv: string[]): void {
  const { values, positionals } = parseArgs({ args: argv, options: { db: { type: 'string' }, dataset: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true });
  const traceId = positionals[0];
  if (!traceId) throw new CliError('usage: sightline trace --db PATH TRACE_ID --json');
  if (!/^[0-9a-fA-F]{32}$/.test(traceId)) throw new CliError(`"${traceId}" is not a trace ID (32 hex characters)`);
  const db = openStoreReader(values.db);
  const trace = exportTraceAsOtlp(db, traceId.toLowerCase(), datasetIdByName(db, values.dataset));
  db.close();
  if (!trace) throw new CliError(`trace ${traceId.toLowerCase()} is not in the store`, 2);
  out(trace);
}

/** `sightline datasets [--json]` lists datasets; `sightline datasets delete NAME` removes one. */
export function datasetsCommand(argv: string[]): void {
  const { values, positionals } = parseArgs({ args: argv, options: { db: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true });
  if (positionals[0] === 'delete') {
    const name = positionals[1];
    if (!name) throw new CliError('usage: sightline datasets delete NAME [--db PATH]');
    const db = openWriter(storePath(values.db));
    try {
      const r = deleteDataset(db, name);
      process.stdout.write(values.json ? JSON.stringify({ deleted: name, ...r }) + '\n' : `deleted dataset "${name}": ${r.traces} traces, ${r.spans} spans\n`);
    } catch (e) {
      throw new CliError((e as Error).message);
    } finally {
      db.close();
    }
    return;
  }
  if (positionals.length > 0) throw new CliError(`unknown datasets subcommand "${positionals[0]}"`);
  const db = openStoreReader(values.db);
  const list = listDatasets(db);
  db.close();
  if (values.json) return out(list);
  for (const d of list) process.stdout.write(`${d.name.padEnd(24)} ${d.kind.padEnd(7)} ${String(d.traces).padStart(8)} traces ${String(d.spans).padStart(10)} spans  ${d.source}\n`);
}
