/**
 * Defences shared by every HTTP listener of the core (OTLP receiver, browser-mode UI and API).
 * A request must never be able to end the process: request targets are parsed without
 * throwing, handlers run inside a guard that answers 500 instead of letting an exception
 * escape, and cross-site or DNS-rebinding requests are recognised by their headers.
 *
 * Why headers and not CORS alone: a web page in the user's browser can send "simple"
 * requests (text/plain POSTs, <img> GETs) to 127.0.0.1 without a preflight, and a
 * DNS-rebinding page can even make them same-origin. The Host header names the site the
 * browser thinks it talks to, and Origin / Sec-Fetch-Site name the page that asked.
 */
import type http from 'node:http';

/** The path of a request target ('/v1/traces?x' → '/v1/traces'), or null when it is not a usable origin-form target. */
export function requestPath(rawUrl: string | undefined): string | null {
  const target = rawUrl ?? '/';
  // Origin-form only ("/path?query"); absolute-form ("http://host/path") is for proxies.
  if (!target.startsWith('/')) return null;
  const q = target.search(/[?#]/);
  return q < 0 ? target : target.slice(0, q);
}

/** The query parameters of a request target; malformed escapes are kept as written. */
export function requestQuery(rawUrl: string | undefined): URLSearchParams {
  const target = rawUrl ?? '';
  const q = target.indexOf('?');
  if (q < 0) return new URLSearchParams();
  try {
    return new URLSearchParams(target.slice(q + 1).split('#')[0]);
  } catch {
    return new URLSearchParams();
  }
}

/** decodeURIComponent that answers null instead of throwing on malformed escapes (`%zz`). */
export function safeDecodeURIComponent(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** The Host header values a loopback listener on `port` answers to (and its own address, if another loopback one). */
export function loopbackHosts(port: number, listenHost?: string): Set<string> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (listenHost)
    hosts.add(listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost.toLowerCase()}]:${port}` : `${listenHost.toLowerCase()}:${port}`);
  return hosts;
}

/** True for addresses that only this machine can reach. */
export function isLoopbackAddress(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** The lower-cased Host header without a trailing dot, or '' when absent. */
export function hostHeader(req: http.IncomingMessage): string {
  return (req.headers.host ?? '').toLowerCase().replace(/\.(?=:\d+$|$)/, '');
}

/**
 * Whether a browser says another site sent this request. Same-origin requests (our own UI)
 * and requests no browser made (SDKs, curl: no Origin, no Sec-Fetch-Site) pass.
 */
export function isCrossSite(req: http.IncomingMessage, ownHosts: Set<string>): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  if (origin === 'null') return true;
  const m = /^https?:\/\/([^/]+)$/i.exec(origin);
  return !m || !ownHosts.has(m[1]!.toLowerCase());
}

/**
 * Runs a request listener so that nothing it throws synchronously can end the process:
 * the client gets a 500 (or the connection is closed if the answer had started).
 */
export function guardListener(name: string, listener: http.RequestListener): http.RequestListener {
  return (req, res) => {
    try {
      listener(req, res);
    } catch (e) {
      failRequest(name, req, res, e);
    }
  };
}

/** Answers 500 for an unexpected error (or closes a half-sent answer) and logs it once. */
export function failRequest(name: string, req: http.IncomingMessage, res: http.ServerResponse, e: unknown): void {
  process.stderr.write(`sightline: ${name}: ${req.method ?? '?'} request failed: ${(e as Error)?.message ?? String(e)}\n`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: 'internal error; the request was not processed' });
  res.writeHead(500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  req.resume();
}
