/**
 * `sightline remote search|pull --kind jaeger-v3|jaeger|tempo|zipkin --url URL …`: search the
 * team's tracing server and pull chosen traces into a local dataset.
 */
import { REMOTE_KINDS, type RemoteKind } from '../../../shared/model/telemetry.js';
import { UsageError } from '../cli-error.js';
import { withCore, withScratchCore } from '../core-client.js';
import { intOption, parseOptions } from '../options.js';
import { didYouMean } from '../suggest.js';

export const REMOTE_USAGE = `sightline remote search --kind K --url URL [--service S] [--limit N] [--lookback-minutes M] [--json]
  sightline remote pull   --kind K --url URL [--dataset NAME] [--db PATH] TRACE_ID… [--json]
      K: jaeger-v3 | jaeger | tempo | zipkin; credentials: --token T or --user U --password P;
      --timeout-ms N (default 15000)`;

export async function remoteCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseOptions(
    argv,
    {
      kind: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      'timeout-ms': { type: 'string' },
      service: { type: 'string' },
      limit: { type: 'string' },
      'lookback-minutes': { type: 'string' },
      dataset: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean' },
    },
    true,
  );
  const [sub, ...ids] = positionals;
  if (sub === undefined) throw new UsageError('name the subcommand: sightline remote search|pull …');
  if (sub !== 'search' && sub !== 'pull') throw new UsageError(`Unknown remote subcommand '${sub}'.${didYouMean(sub, ['search', 'pull'])}`);
  if (!values.kind || !REMOTE_KINDS.includes(values.kind as RemoteKind)) throw new UsageError(`--kind must be one of ${REMOTE_KINDS.join(', ')}`);
  if (!values.url || !/^https?:\/\//.test(values.url)) throw new UsageError('--url must be an http(s) address, e.g. http://jaeger:16686');
  const source = {
    kind: values.kind as RemoteKind,
    url: values.url,
    token: values.token || undefined, // an empty --token means none, as before
    username: values.user || undefined,
    password: values.password,
    timeoutMs: intOption(values['timeout-ms'], '--timeout-ms', 15_000, { min: 1 }),
  };
  if (sub === 'search') {
    if (ids.length > 0) throw new UsageError(`remote search takes no trace IDs ("${ids[0]}"); remote pull does`);
    const limit = intOption(values.limit, '--limit', 20, { min: 1 });
    const lookbackMinutes = intOption(values['lookback-minutes'], '--lookback-minutes', 60, { min: 1 });
    const traces = await withScratchCore((core) => core.call('searchRemote', { source, service: values.service, limit, lookbackMinutes }));
    if (values.json) process.stdout.write(JSON.stringify(traces) + '\n');
    else
      for (const t of traces)
        process.stdout.write(
          `${t.traceId}  ${t.startTimeMs !== undefined ? new Date(t.startTimeMs).toISOString() : '?'}  ${t.durationMs?.toFixed(1) ?? '?'} ms  ${t.rootServiceName ?? '?'}: ${t.rootSpanName ?? '?'}\n`,
        );
    return;
  }
  for (const id of ids) if (!/^[0-9a-fA-F]{16,32}$/.test(id)) throw new UsageError(`"${id}" is not a trace ID`);
  if (ids.length === 0) throw new UsageError('name the traces to pull: sightline remote pull … TRACE_ID…');
  const datasetName = values.dataset ?? `${source.kind} ${new URL(source.url).host}`;
  const r = await withCore(values.db, { create: true }, (core) => core.call('pullRemote', { source, traceIds: ids, datasetName }));
  if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
  else {
    process.stdout.write(`dataset "${r.datasetName}": pulled ${r.pulled.length} traces\n`);
    for (const f of r.failed) process.stdout.write(`  ${f.traceId}: ${f.error}\n`);
  }
  if (r.pulled.length === 0) process.exitCode = 1;
}
