/**
 * `sightline export --out FILE [--db PATH] [--dataset NAME] [--service S] [--from T] [--to T]
 * [--trace ID]…`: traces to OTLP JSON Lines (gzip when FILE ends in .gz), which the
 * OpenTelemetry Collector's otlpjsonfile receiver and `sightline import` read back. The
 * store's redaction rules apply again on the way out. Times are ISO 8601 or ms since the epoch.
 */
import path from 'node:path';
import { UsageError } from '../cli-error.js';
import { withCore } from '../core-client.js';
import { inScope } from '../data-context.js';
import { parseOptions } from '../options.js';
import { parseTime } from '../parse-time.js';
import { TRACE_ID } from './query.js';

export const EXPORT_USAGE = `sightline export --out FILE.jsonl[.gz] [--db PATH] [--dataset NAME] [--service S]
                   [--from T] [--to T] [--trace ID]… [--json]
      traces as OTLP JSON Lines (what the Collector's otlpjsonfile receiver reads); "live" unless --dataset.`;

export async function exportCommand(argv: string[]): Promise<void> {
  const { values } = parseOptions(argv, {
    db: { type: 'string' },
    dataset: { type: 'string' },
    service: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    trace: { type: 'string', multiple: true },
    out: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (!values.out) throw new UsageError('name the file to write: --out FILE.jsonl[.gz]');
  for (const id of values.trace ?? []) if (!TRACE_ID.test(id)) throw new UsageError(`"${id}" is not a trace ID (32 hex characters)`);
  const fromMs = parseTime(values.from, '--from');
  const toMs = parseTime(values.to, '--to');
  const outPath = path.resolve(values.out);
  const r = await withCore(values.db, {}, (core) =>
    inScope(core, { dataset: values.dataset, otherwise: 'live', quiet: !!values.json }, (datasetId) =>
      core.call('exportTraces', { outPath, datasetId, service: values.service, fromMs, toMs, traceIds: values.trace }),
    ),
  );
  process.stdout.write(values.json ? JSON.stringify(r) + '\n' : `wrote ${r.traces} traces (${r.spans} spans) in ${r.lines} lines to ${values.out}\n`);
}
