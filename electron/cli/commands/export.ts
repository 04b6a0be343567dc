/**
 * `sightline export --out FILE [--db PATH] [--dataset NAME] [--service S] [--from T] [--to T]
 * [--trace ID]…`: traces to OTLP JSON Lines (gzip when FILE ends in .gz), which the
 * OpenTelemetry Collector's otlpjsonfile receiver and `sightline import` read back.
 * Times are ISO 8601 or milliseconds since the epoch.
 */
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { finished } from 'node:stream/promises';
import { exportJsonLines } from '../../core/store/export-jsonl.js';
import { CliError } from '../cli-error.js';
import { datasetIdByName, openStoreReader } from '../store-access.js';

export function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new CliError(`${name} takes an ISO 8601 time or milliseconds since the epoch, not "${value}"`);
  return t;
}

export async function exportCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      dataset: { type: 'string' },
      service: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      trace: { type: 'string', multiple: true },
      out: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!values.out) throw new CliError('usage: sightline export --out FILE.jsonl[.gz] [--db PATH] [--dataset NAME] [--service S] [--from T] [--to T] [--trace ID]…');
  for (const id of values.trace ?? []) if (!/^[0-9a-fA-F]{32}$/.test(id)) throw new CliError(`"${id}" is not a trace ID (32 hex characters)`);
  const db = openStoreReader(values.db);
  const datasetName = values.dataset ?? 'live';
  const datasetId = datasetIdByName(db, datasetName)!;
  const file = fs.createWriteStream(values.out);
  const gzip = values.out.endsWith('.gz') ? zlib.createGzip() : null;
  if (gzip) gzip.pipe(file);
  const sink = gzip ?? file;
  const result = await exportJsonLines(db, {
    datasetId,
    service: values.service,
    fromMs: parseTime(values.from, '--from'),
    toMs: parseTime(values.to, '--to'),
    traceIds: values.trace?.map((t) => t.toLowerCase()),
  }, sink);
  sink.end();
  await finished(file);
  db.close();
  const summary = { out: values.out, dataset: datasetName, ...result, bytes: fs.statSync(values.out).size };
  process.stdout.write(values.json ? JSON.stringify(summary) + '\n' : `wrote ${result.traces} traces (${result.spans} spans) in ${result.lines} lines to ${values.out}\n`);
}
