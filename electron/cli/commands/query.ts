/**
 * Read-only commands over a store file: `stats`, `traces` and `trace`. They open the SQLite
 * file read-only, so they are safe while `sightline serve` is writing to it.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { openReader } from '../../core/store/open-store.js';
import { TraceQueries } from '../../core/store/trace-queries.js';
import { exportTraceAsOtlp } from '../../core/store/otlp-trace-export.js';
import { defaultDbPath } from '../../core/util/app-paths.js';
import { CliError } from '../cli-error.js';
import { intOption } from '../options.js';

function open(db: string | undefined): ReturnType<typeof openReader> {
  try {
    return openReader(path.resolve(db ?? defaultDbPath()));
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

const out = (v: unknown): void => void process.stdout.write(JSON.stringify(v) + '\n');

export function statsCommand(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { db: { type: 'string' }, json: { type: 'boolean' } } });
  const db = open(values.db);
  const stats = new TraceQueries(db).stats();
  db.close();
  if (values.json) return out(stats);
  process.stdout.write(
    `traces         ${stats.traces}\nspans          ${stats.spans}\nmetric points  ${stats.metricPoints}\nlog records    ${stats.logRecords}\nservices       ${stats.services.join(', ') || '(none)'}\n`,
  );
}

export function tracesCommand(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { db: { type: 'string' }, service: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } } });
  const limit = intOption(values.limit, '--limit', 20);
  if (limit < 1) throw new CliError('--limit must be at least 1');
  const db = open(values.db);
  const traces = new TraceQueries(db).searchTraces({ service: values.service, limit });
  db.close();
  if (values.json) return out(traces);
  for (const t of traces) {
    const when = new Date(t.startTimeMs).toISOString();
    process.stdout.write(`${t.traceId}  ${when}  ${t.durationMs.toFixed(1).padStart(10)} ms  ${String(t.spanCount).padStart(6)} spans  ${t.errorCount ? `${t.errorCount} errors  ` : ''}${t.rootServiceName ?? '?'}: ${t.rootSpanName ?? '(no root span yet)'}\n`);
  }
}

export function traceCommand(argv: string[]): void {
  const { values, positionals } = parseArgs({ args: argv, options: { db: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true });
  const traceId = positionals[0];
  if (!traceId) throw new CliError('usage: sightline trace --db PATH TRACE_ID --json');
  if (!/^[0-9a-fA-F]{32}$/.test(traceId)) throw new CliError(`"${traceId}" is not a trace ID (32 hex characters)`);
  const db = open(values.db);
  const trace = exportTraceAsOtlp(db, traceId.toLowerCase());
  db.close();
  if (!trace) throw new CliError(`trace ${traceId.toLowerCase()} is not in the store`, 2);
  out(trace);
}
