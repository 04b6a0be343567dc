/**
 * `sightline export --out FILE [--db PATH] [--dataset NAME] [--service S] [--from T] [--to T]
 * [--trace ID]…`: traces to OTLP JSON Lines (gzip when FILE ends in .gz), which the
 * OpenTelemetry Collector's otlpjsonfile receiver and `sightline import` read back. The
 * store's redaction rules apply again on the way out. Times are ISO 8601 or ms since the epoch.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { CliError } from '../cli-error.js';
import { withCore } from '../core-client.js';
import { parseTime } from '../parse-time.js';
import { TRACE_ID } from './query.js';

export const EXPORT_USAGE = 'sightline export --out FILE.jsonl[.gz] [--db PATH] [--dataset NAME] [--service S] [--from T] [--to T] [--trace ID]… [--json]';

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
  if (!values.out) throw new CliError(`usage: ${EXPORT_USAGE}`);
  for (const id of values.trace ?? []) if (!TRACE_ID.test(id)) throw new CliError(`"${id}" is not a trace ID (32 hex characters)`);
  const fromMs = parseTime(values.from, '--from');
  const toMs = parseTime(values.to, '--to');
  const outPath = path.resolve(values.out);
  const r = await withCore(values.db, {}, async (core) =>
    core.call('exportTraces', { outPath, datasetId: await core.datasetId(values.dataset ?? 'live'), service: values.service, fromMs, toMs, traceIds: values.trace }),
  );
  process.stdout.write(values.json ? JSON.stringify(r) + '\n' : `wrote ${r.traces} traces (${r.spans} spans) in ${r.lines} lines to ${values.out}\n`);
}
