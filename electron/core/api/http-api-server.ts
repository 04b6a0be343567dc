/**
 * Browser mode's transport and file server on 127.0.0.1: `POST /api/<method>` carries the
 * contract as JSON, `GET /api/events` streams live events (Server-Sent Events), and every
 * other GET serves the built UI, falling back to index.html for client routes such as
 * /trace/<id>. Requests whose Host is not this loopback server are refused (DNS rebinding),
 * and pages get a strict Content-Security-Policy: no script, style or connection leaves
 * the app's own origin.
 */
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ApiRequestError, isApiMethod } from '../../../shared/api/contract.js';
import { CONTENT_SECURITY_POLICY } from '../../../shared/api/security.js';
import type { ApiService } from './api-service.js';
import type { LiveEvents } from './live-events.js';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};


const MAX_API_BODY_BYTES = 1024 * 1024;

export interface UiServerOptions {
  host: string;
  port: number;
  /** Folder with the built renderer (index.html and assets). */
  rendererDir: string;
  /** Called with an uploaded archive (a temp file, deleted after import) and its original name. */
  onUpload?: (file: string, name: string) => { importId: string; dataset: string };
}

const MAX_UPLOAD_BYTES = 64 * 1024 * 1024 * 1024;

export async function startUiServer(api: ApiService, events: LiveEvents, options: UiServerOptions): Promise<{ port: number; server: http.Server }> {
  let port = options.port;
  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const server = http.createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Sightline answers only on its loopback address.');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/events') return streamEvents(req, res, events);
    if (url.pathname === '/api/upload' && options.onUpload) return handleUpload(req, res, url.searchParams.get('name') ?? 'upload', options.onUpload);
    if (url.pathname.startsWith('/api/')) return handleApi(api, url.pathname.slice(5), req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET' }).end();
      return;
    }
    serveFile(options.rendererDir, url.pathname, res);
  });
  port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve((server.address() as { port: number }).port));
  });
  return { port, server };
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

function handleApi(api: ApiService, method: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
  if (!isApiMethod(method)) return sendJson(res, 404, { error: `no API method "${method}"` });
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return sendJson(res, 415, { error: 'use Content-Type: application/json' });
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= MAX_API_BODY_BYTES) chunks.push(c);
  });
  req.on('end', () => {
    if (size > MAX_API_BODY_BYTES) return sendJson(res, 413, { error: 'request too large' });
    let raw: unknown;
    try {
      raw = size === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return sendJson(res, 400, { error: 'the request body is not JSON' });
    }
    api.call(method, raw).then(
      (result) => sendJson(res, 200, { result }),
      (e: Error) => sendJson(res, e instanceof ApiRequestError ? 400 : 500, { error: e.message }),
    );
  });
}

/** Browser mode's way to open a file: the raw bytes are streamed to a temp file, then imported. */
function handleUpload(req: http.IncomingMessage, res: http.ServerResponse, name: string, onUpload: NonNullable<UiServerOptions['onUpload']>): void {
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
  if (Number(req.headers['content-length'] ?? 0) > MAX_UPLOAD_BYTES) return sendJson(res, 413, { error: 'file too large' });
  const dir = path.join(os.tmpdir(), 'sightline-uploads');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, randomUUID());
  const out = fs.createWriteStream(file, { mode: 0o600 });
  let failed = false;
  const fail = (status: number, error: string): void => {
    if (failed) return;
    failed = true;
    out.destroy();
    fs.rm(file, { force: true }, () => undefined);
    if (!res.headersSent) sendJson(res, status, { error });
  };
  req.on('aborted', () => fail(400, 'upload aborted'));
  out.on('error', (e) => fail(507, `cannot store the upload: ${e.message}`));
  req.pipe(out);
  out.on('finish', () => {
    if (failed) return;
    try {
      sendJson(res, 200, { result: onUpload(file, path.basename(name)) });
    } catch (e) {
      fail(400, (e as Error).message);
    }
  });
}

function streamEvents(req: http.IncomingMessage, res: http.ServerResponse, events: LiveEvents): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  res.write(': connected\n\n');
  const unsubscribe = events.subscribe((e) => res.write(`data: ${JSON.stringify(e)}\n\n`));
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}

function serveFile(root: string, pathname: string, res: http.ServerResponse): void {
  const resolvedRoot = path.resolve(root);
  let file = path.resolve(resolvedRoot, '.' + decodeURIComponent(pathname));
  if (!file.startsWith(resolvedRoot)) {
    res.writeHead(403).end();
    return;
  }
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    // Client-side routes (/, /trace/<id>) get the app shell; missing assets get 404.
    if (path.extname(pathname)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    file = path.join(resolvedRoot, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('The UI is not built. Run `npm run build` first.');
      return;
    }
  }
  const ext = path.extname(file);
  if (path.basename(file) === 'index.html') {
    // The build uses relative asset paths (so Electron can load it from file://); at /trace/<id>
    // a <base> makes them resolve from the root again.
    const html = fs.readFileSync(file, 'utf8').replace('<head>', '<head><base href="/">');
    res.writeHead(200, { 'Content-Type': MIME['.html']!, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    res.end(html);
    return;
  }
  res.writeHead(200, {
    'Content-Type': MIME[ext] ?? 'application/octet-stream',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': ext === '.html' ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  fs.createReadStream(file).pipe(res);
}
