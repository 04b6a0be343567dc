/**
 * `sightline serve`: the receivers, the store and the browser UI on this machine. Prints one
 * JSON line with the bound ports on stdout once everything listens (port 0 picks a free
 * port), so scripts and tests can find them; everything human goes to stderr.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { appDataDir, DEFAULT_CORE_OPTIONS, defaultDbPath, startCore } from '../../core/front-door.js';
import { CliError, UsageError } from '../cli-error.js';
import { readableFile } from '../input-files.js';
import { intOption, parseOptions, portOption } from '../options.js';
import { claimStore, warnIfServed } from '../serve-lock.js';

export const SERVE_USAGE = `sightline serve [--db PATH] [--otlp-http-port N] [--otlp-grpc-port N|off] [--port N]
                [--listen ADDRESS] [--token TOKEN] [--tls-cert FILE --tls-key FILE]
                [--retention-days N] [--max-db-mb N] [--max-body-mb N] [--max-queue-mb N] [--max-queue-wait-ms N] [--decoder-heap-mb N]
      the receivers (OTLP/HTTP, OTLP/gRPC), the store and the browser UI on this machine. Port 0
      picks a free port; once listening it prints {"otlpHttp":N,"otlpGrpc":N,"ui":N} on stdout.`;

/** serve's options, which start and open take too. */
export const SERVE_OPTIONS = {
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
} as const;

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
  const { values } = parseOptions(argv, { ...SERVE_OPTIONS, open: { type: 'string', multiple: true } });
  for (const f of values.open ?? []) readableFile(f);
  const listen = values.listen ?? DEFAULT_CORE_OPTIONS.listenHost;
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  for (const f of [values['tls-cert'], values['tls-key']]) if (f !== undefined) readableFile(f);
  // Every number is checked before anything starts: a bad one leaves no store behind.
  const MB = 1048576;
  const options = {
    listenHost: listen,
    otlpHttpPort: portOption(values['otlp-http-port'], '--otlp-http-port', DEFAULT_CORE_OPTIONS.otlpHttpPort),
    otlpGrpcPort: values['otlp-grpc-port'] === 'off' ? null : portOption(values['otlp-grpc-port'], '--otlp-grpc-port', DEFAULT_CORE_OPTIONS.otlpGrpcPort),
    uiPort: portOption(values.port, '--port', DEFAULT_CORE_OPTIONS.uiPort),
    maxBodyBytes: intOption(values['max-body-mb'], '--max-body-mb', DEFAULT_CORE_OPTIONS.maxBodyBytes / MB, { min: 1, max: 1 << 20 }) * MB,
    maxQueuedBytes: intOption(values['max-queue-mb'], '--max-queue-mb', DEFAULT_CORE_OPTIONS.maxQueuedBytes / MB, { min: 1, max: 1 << 20 }) * MB,
    maxQueueWaitMs: intOption(values['max-queue-wait-ms'], '--max-queue-wait-ms', 500),
    decoderHeapMb: intOption(values['decoder-heap-mb'], '--decoder-heap-mb', 96, { min: 1 }),
    retention: {
      maxAgeDays: intOption(values['retention-days'], '--retention-days', 0),
      maxBytes: intOption(values['max-db-mb'], '--max-db-mb', 0, { max: 1 << 30 }) * MB,
    },
  };
  const token = receiverToken(values.token, listen);
  const dbPath = path.resolve(values.db ?? defaultDbPath());
  warnIfServed(dbPath);
  let core;
  try {
    core = await startCore({
      ...options,
      dbPath,
      mode: 'browser',
      token,
      tls: values['tls-cert'] && values['tls-key'] ? { certPath: values['tls-cert'], keyPath: values['tls-key'] } : undefined,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { port?: number };
    if (err.code === 'EADDRINUSE')
      throw new CliError(`a port is already in use (${err.message}); pick others with --otlp-http-port, --otlp-grpc-port and --port (0 picks a free one)`);
    if (err.code === 'EACCES' && err.syscall === 'listen')
      throw new CliError(`no permission to listen on port ${err.port ?? '?'} (ports below 1024 need privileges)`);
    if (err.code?.startsWith('ERR_OSSL')) throw new CliError(`--tls-cert/--tls-key: cannot use the certificate or key (${err.message})`);
    if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') throw new CliError(`cannot listen on ${listen}: not an address of this machine`);
    throw e;
  }
  const { ports } = core;
  const release = claimStore(dbPath, {
    pid: process.pid,
    ui: `http://127.0.0.1:${ports.ui}/`,
    otlpHttp: ports.otlpHttp,
    otlpGrpc: ports.otlpGrpc,
    startedAt: new Date().toISOString(),
  });
  process.on('exit', release);
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
        e.state === 'done'
          ? `Opened ${e.file}: http://127.0.0.1:${ports.ui}/?dataset=${e.datasetId}\n  ${e.message ?? ''}\n`
          : `Could not open ${e.file}: ${e.message ?? e.state}\n`,
      );
    });
    for (const f of values.open) await core.api.call('startImport', { path: path.resolve(f) });
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      release();
      core.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
