/**
 * `sightline serve`: the receivers, the store and the browser UI on this machine. Prints one
 * JSON line with the bound ports on stdout once everything listens (port 0 picks a free
 * port), so scripts and tests can find them; everything human goes to stderr.
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { appDataDir, DEFAULT_CORE_OPTIONS, defaultDbPath, startCore } from '../../core/front-door.js';
import { CliError } from '../cli-error.js';
import { intOption } from '../options.js';

export const SERVE_USAGE = `sightline serve [--db PATH] [--otlp-http-port N] [--otlp-grpc-port N|off] [--port N]
                [--listen ADDRESS] [--token TOKEN] [--tls-cert FILE --tls-key FILE]
                [--retention-days N] [--max-db-mb N] [--max-body-mb N] [--max-queue-mb N] [--max-queue-wait-ms N] [--decoder-heap-mb N]`;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function receiverToken(explicit: string | undefined, listen: string): string | undefined {
  if (explicit) return explicit;
  if (LOOPBACK.has(listen)) return undefined;
  const file = path.join(appDataDir(), 'receiver-token');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const token = randomBytes(24).toString('base64url');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, token + '\n', { mode: 0o600 });
  return token;
}

export async function serveCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      'otlp-http-port': { type: 'string' },
      'otlp-grpc-port': { type: 'string' },
      port: { type: 'string' },
      listen: { type: 'string' },
      token: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'retention-days': { type: 'string' },
      'max-db-mb': { type: 'string' },
      'max-body-mb': { type: 'string' },
      'max-queue-mb': { type: 'string' },
      'max-queue-wait-ms': { type: 'string' },
      'decoder-heap-mb': { type: 'string' },
      open: { type: 'string', multiple: true },
    },
    strict: true,
  });
  for (const f of values.open ?? []) if (!fs.existsSync(f)) throw new CliError(`${f}: no such file`);
  const listen = values.listen ?? DEFAULT_CORE_OPTIONS.listenHost;
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new CliError('--tls-cert and --tls-key go together');
  const token = receiverToken(values.token, listen);
  const dbPath = path.resolve(values.db ?? defaultDbPath());
  const grpcPort = values['otlp-grpc-port'] === 'off' ? null : intOption(values['otlp-grpc-port'], '--otlp-grpc-port', DEFAULT_CORE_OPTIONS.otlpGrpcPort);
  let core;
  try {
    core = await startCore({
      dbPath,
      listenHost: listen,
      otlpHttpPort: intOption(values['otlp-http-port'], '--otlp-http-port', DEFAULT_CORE_OPTIONS.otlpHttpPort),
      otlpGrpcPort: grpcPort,
      uiPort: intOption(values.port, '--port', DEFAULT_CORE_OPTIONS.uiPort),
      mode: 'browser',
      token,
      tls: values['tls-cert'] && values['tls-key'] ? { certPath: values['tls-cert'], keyPath: values['tls-key'] } : undefined,
      maxBodyBytes: intOption(values['max-body-mb'], '--max-body-mb', DEFAULT_CORE_OPTIONS.maxBodyBytes / 1048576) * 1048576,
      maxQueuedBytes: intOption(values['max-queue-mb'], '--max-queue-mb', DEFAULT_CORE_OPTIONS.maxQueuedBytes / 1048576) * 1048576,
      maxQueueWaitMs: intOption(values['max-queue-wait-ms'], '--max-queue-wait-ms', 500),
      decoderHeapMb: intOption(values['decoder-heap-mb'], '--decoder-heap-mb', 96),
      retention: {
        maxAgeDays: intOption(values['retention-days'], '--retention-days', 0),
        maxBytes: intOption(values['max-db-mb'], '--max-db-mb', 0) * 1048576,
      },
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { port?: number };
    if (err.code === 'EADDRINUSE') throw new CliError(`a port is already in use (${err.message}); pick others with --otlp-http-port, --otlp-grpc-port and --port (0 picks a free one)`);
    throw e;
  }
  const { ports } = core;
  process.stdout.write(JSON.stringify({ otlpHttp: ports.otlpHttp, otlpGrpc: ports.otlpGrpc, ui: ports.ui }) + '\n');
  process.stderr.write(
    [
      `Sightline is running (browser mode).`,
      `  UI:         http://127.0.0.1:${ports.ui}/`,
      `  OTLP/HTTP:  http://${listen}:${ports.otlpHttp}  (OTEL_EXPORTER_OTLP_ENDPOINT)`,
      ports.otlpGrpc !== null ? `  OTLP/gRPC:  ${listen}:${ports.otlpGrpc}` : `  OTLP/gRPC:  off`,
      `  Store:      ${dbPath}`,
      token ? `  Token:      senders must send "Authorization: Bearer ${token}"` : '',
      '',
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n',
  );
  // `sightline open FILE` in browser mode: import each file and say where to look at it.
  if (values.open?.length) {
    core.events.subscribe((e) => {
      if (e.type !== 'import' || e.state === 'running') return;
      process.stderr.write(
        e.state === 'done' ? `Opened ${e.file}: http://127.0.0.1:${ports.ui}/?dataset=${e.datasetId}\n  ${e.message ?? ''}\n` : `Could not open ${e.file}: ${e.message ?? e.state}\n`,
      );
    });
    for (const f of values.open) await core.api.call('startImport', { path: path.resolve(f) });
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      core.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
