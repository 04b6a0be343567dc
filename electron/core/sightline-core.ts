/**
 * Starts everything a running Sightline needs, in plain Node (serve, tests) or inside
 * Electron's utility process: the writer worker, a read connection, the OTLP receivers, the
 * API service with live events, and (in browser mode) the UI server.
 */
import { IngestQueue } from './ingest/ingest-queue.js';
import { AlertEngine } from './alerts/alert-engine.js';
import type { ApiService } from './api/api-service.js';
import type { LiveEvents } from './events/live-events.js';
import { openCoreSession } from './core-session.js';
import { StoredSecrets } from './secrets/stored-secrets.js';
import { startUiServer } from './api/http-api-server.js';
import type { ImportManager } from './importers/import-manager.js';
import { openWriter } from './store/open-store.js';
import { LIVE_DATASET_ID } from './store/batch-writer.js';
import type { AnalysisResult } from '../../shared/model/analysis.js';
import { createOtlpHttpHandler } from './receivers/http-receiver.js';
import { startGrpcReceiver } from './receivers/grpc-receiver.js';
import { APP_VERSION, rendererDir } from './util/app-paths.js';
import { isLoopbackAddress, loopbackHosts } from './util/request-guard.js';
import type { RetentionOptions } from './store/retention.js';
import type { PdfPrinter } from './reports/report-pdf.js';
import type { SecretCipher } from './secrets/secret-cipher.js';
import { sealPlainCredentialsAtStart } from './remote/seal-plain-credentials.js';
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';

export interface CoreOptions {
  dbPath: string;
  /** Address the OTLP receivers listen on; loopback unless told otherwise. */
  listenHost: string;
  otlpHttpPort: number;
  /** null: no gRPC receiver. */
  otlpGrpcPort: number | null;
  /** null: no UI server (Electron uses IPC). */
  uiPort: number | null;
  mode: 'electron' | 'browser';
  token?: string | undefined;
  tls?: { certPath: string; keyPath: string } | undefined;
  maxBodyBytes: number;
  maxQueuedBytes: number;
  /** Admit only what the writer is measured to commit within this time (default 500 ms). */
  maxQueueWaitMs?: number | undefined;
  /** Heap of the decoder of small requests, MiB (default 96): bounds memory; a request that needs more is refused alone. */
  decoderHeapMb?: number | undefined;
  retention: RetentionOptions;
  nativeBinding?: string | undefined;
  /** Prints report PDFs (the desktop app passes Electron's printToPDF); default a local Chromium. */
  printPdf?: PdfPrinter | undefined;
  /**
   * Encrypts stored credentials (the desktop app passes one backed by Electron's safeStorage,
   * answered by the main process); default AES-256-GCM with a key file beside the store.
   */
  secretCipher?: SecretCipher | undefined;
}

export const DEFAULT_CORE_OPTIONS = {
  listenHost: '127.0.0.1',
  otlpHttpPort: 4318,
  otlpGrpcPort: 4317,
  uiPort: 4320,
  maxBodyBytes: 32 * 1024 * 1024,
  maxQueuedBytes: 128 * 1024 * 1024,
  retention: { maxAgeDays: 0, maxBytes: 0 },
} as const;

export interface RunningCore {
  ports: { otlpHttp: number; otlpGrpc: number | null; ui: number | null };
  api: ApiService;
  events: LiveEvents;
  imports: ImportManager;
  close(): Promise<void>;
}

export async function startCore(options: CoreOptions): Promise<RunningCore> {
  const queue = new IngestQueue({
    dbPath: options.dbPath,
    retention: options.retention,
    maxQueuedBytes: options.maxQueuedBytes,
    maxQueueWaitMs: options.maxQueueWaitMs,
    decoderHeapMb: options.decoderHeapMb,
    nativeBinding: options.nativeBinding,
  });
  await queue.ready;
  const secrets = StoredSecrets.forStore(options.dbPath, options.secretCipher);
  // Credentials a Sightline from before encryption stored in plain text are sealed now, once.
  await sealPlainCredentialsAtStart(() => openWriter(options.dbPath, { nativeBinding: options.nativeBinding }), secrets);
  const ports: RunningCore['ports'] = { otlpHttp: 0, otlpGrpc: null, ui: null };
  let alerts: AlertEngine | null = null;
  const session = openCoreSession({
    dbPath: options.dbPath,
    create: false, // the ingest writer made and migrated it
    nativeBinding: options.nativeBinding,
    printPdf: options.printPdf,
    secretCipher: options.secretCipher,
    info: () => ({
      appVersion: APP_VERSION,
      mode: options.mode,
      otlpHttpPort: ports.otlpHttp,
      otlpGrpcPort: ports.otlpGrpc,
      listenHost: options.listenHost,
      receiverToken: options.token ?? null,
      tls: !!options.tls,
      dbPath: options.dbPath,
    }),
    onRulesChanged: () => alerts?.poke(),
    keepOutlines: true,
  });
  const { api, events, imports, reader } = session;
  queue.onCommitted((t) => events.add(t));
  const withWriter = <T>(fn: (db: ReturnType<typeof openWriter>) => T): T => {
    const db = openWriter(options.dbPath, { nativeBinding: options.nativeBinding });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  const analyzeLive = (model: string | undefined): Promise<AnalysisResult> =>
    session.jobs.run<AnalysisResult>({ kind: 'analyze', options: { datasetId: LIVE_DATASET_ID, ...(model ? { model } : {}) } });
  const engine = new AlertEngine(reader, withWriter, analyzeLive, (event) => events.emit({ type: 'alert', event }));
  alerts = engine;
  queue.onCommitted(() => engine.poke());

  // Bound to loopback, the receiver answers only to loopback Host names (DNS rebinding);
  // bound elsewhere it needs the token (the CLI insists), and any Host is fine.
  const loopbackOnly = isLoopbackAddress(options.listenHost);
  const handler = createOtlpHttpHandler(queue, {
    maxBodyBytes: options.maxBodyBytes,
    token: options.token,
    allowedHosts: () => (loopbackOnly ? loopbackHosts(ports.otlpHttp, options.listenHost) : null),
  });
  const otlpServer = options.tls
    ? https.createServer({ cert: fs.readFileSync(options.tls.certPath), key: fs.readFileSync(options.tls.keyPath) }, handler)
    : http.createServer(handler);
  otlpServer.keepAliveTimeout = 65_000;
  ports.otlpHttp = await new Promise<number>((resolve, reject) => {
    otlpServer.once('error', reject);
    otlpServer.listen(options.otlpHttpPort, options.listenHost, () => resolve((otlpServer.address() as { port: number }).port));
  });

  let grpcClose: (() => Promise<void>) | null = null;
  if (options.otlpGrpcPort !== null) {
    const credentials = options.tls
      ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: fs.readFileSync(options.tls.certPath), private_key: fs.readFileSync(options.tls.keyPath) }])
      : undefined;
    const g = await startGrpcReceiver(queue, {
      host: options.listenHost,
      port: options.otlpGrpcPort,
      maxMessageBytes: options.maxBodyBytes,
      token: options.token,
      ...(credentials ? { credentials } : {}),
    });
    ports.otlpGrpc = g.port;
    grpcClose = g.close;
  }

  let uiServer: http.Server | null = null;
  if (options.uiPort !== null) {
    const ui = await startUiServer(api, events, {
      host: '127.0.0.1',
      port: options.uiPort,
      rendererDir: rendererDir(),
      onUpload: (file, name) => imports.start(file, { displayName: name, deleteAfter: true }),
    });
    ports.ui = ui.port;
    uiServer = ui.server;
  }

  return {
    ports,
    api,
    events,
    imports,
    async close() {
      const closeServer = (s: http.Server): Promise<void> =>
        new Promise((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        });
      await Promise.all([closeServer(otlpServer), grpcClose?.(), uiServer ? closeServer(uiServer) : undefined]);
      await engine.close();
      await session.close(); // the reader before the writer, so the writer's close is the last and removes the WAL
      await queue.close();
    },
  };
}
