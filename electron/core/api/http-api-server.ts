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
import path from 'node:path';
import { ApiRequestError, isApiMethod, LOCAL_ONLY_METHODS } from '../../../shared/api/contract.js';
import { CONTENT_SECURITY_POLICY } from '../../../shared/api/security.js';
import type { ApiService } from './api-service.js';
import type { LiveEvents } from '../events/live-events.js';
import {
  failRequest,
  guardListener,
  hostHeader,
  isCrossSite,
  loopbackHosts,
  requestPath,
  requestQuery,
  safeDecodeURIComponent,
} from '../util/request-guard.js';
import { type UploadLimits, defaultUploadLimits, receiveUpload } from './upload.js';

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
  onUpload?: (file: string, name: string) => { importId: string; datasetName: string };
  /** Upload size limits (default: defaultUploadLimits()). */
  uploadLimits?: UploadLimits;
}

export async function startUiServer(api: ApiService, events: LiveEvents, options: UiServerOptions): Promise<{ port: number; server: http.Server }> {
  let port = options.port;
  let ownHosts = loopbackHosts(port);
  const uploadLimits = options.uploadLimits ?? defaultUploadLimits();
  const server = http.createServer(
    guardListener('UI server', (req, res) => {
      if (!ownHosts.has(hostHeader(req))) {
        res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Sightline answers only on its loopback address.');
        return;
      }
      const pathname = requestPath(req.url);
      if (pathname === null) {
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end('malformed request target');
        return;
      }
      if (pathname.startsWith('/api/')) {
        // Only our own pages may call the API: a page of another site (or a DNS-rebinding one,
        // which the Host check above already stops) gets nothing, not even an upload.
        if (isCrossSite(req, ownHosts)) return sendJson(res, 403, { error: 'cross-site requests are refused' });
        if (pathname === '/api/events') return streamEvents(req, res, events);
        if (pathname === '/api/upload' && options.onUpload)
          return handleUpload(req, res, requestQuery(req.url).get('name') ?? 'upload', options.onUpload, uploadLimits);
        return handleApi(api, pathname.slice(5), req, res);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET' }).end();
        return;
      }
      serveFile(options.rendererDir, pathname, res);
    }),
  );
  port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve((server.address() as { port: number }).port));
  });
  ownHosts = loopbackHosts(port);
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
  if (LOCAL_ONLY_METHODS.has(method))
    return sendJson(res, 403, {
      error: `${method} reads or writes files at paths you give, so only the desktop app and the CLI offer it (a browser opens an archive by uploading it)`,
    });
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
      (result) => {
        try {
          sendJson(res, 200, { result });
        } catch (e) {
          failRequest(`API ${method}`, req, res, e);
        }
      },
      (e: Error) => sendJson(res, e instanceof ApiRequestError ? 400 : 500, { error: e.message }),
    );
  });
}

/** Browser mode's way to open a file: the raw bytes are streamed to a temp file, then imported. */
function handleUpload(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  name: string,
  onUpload: NonNullable<UiServerOptions['onUpload']>,
  limits: UploadLimits,
): void {
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
  // A content type no HTML form or simple cross-site request can send: browsers preflight it.
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/octet-stream') return sendJson(res, 415, { error: 'upload the file as Content-Type: application/octet-stream' });
  receiveUpload(req, limits).then(
    (file) => {
      try {
        sendJson(res, 200, { result: onUpload(file, path.basename(name)) });
      } catch (e) {
        fs.rm(file, { force: true }, () => undefined);
        sendJson(res, 400, { error: (e as Error).message });
      }
    },
    (e: Error & { status?: number }) => {
      if (res.headersSent) return;
      sendJson(res, e.status ?? 400, { error: e.message });
      if (e.status === 413 || e.status === 507) res.on('finish', () => req.destroy());
    },
  );
}

function streamEvents(req: http.IncomingMessage, res: http.ServerResponse, events: LiveEvents): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
  res.write(': connected\n\n');
  const unsubscribe = events.subscribe((e) => {
    try {
      res.write(`data: ${JSON.stringify(e)}\n\n`);
    } catch {
      res.destroy();
    }
  });
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}

function serveFile(root: string, pathname: string, res: http.ServerResponse): void {
  const resolvedRoot = path.resolve(root);
  const decoded = safeDecodeURIComponent(pathname);
  if (decoded === null || decoded.includes('\0')) {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end('malformed path');
    return;
  }
  let file = path.resolve(resolvedRoot, '.' + decoded);
  if (file !== resolvedRoot && !file.startsWith(resolvedRoot + path.sep)) {
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
    res.writeHead(200, {
      'Content-Type': MIME['.html']!,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
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
  const stream = fs.createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
