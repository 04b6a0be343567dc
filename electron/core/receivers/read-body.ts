/**
 * Reads a request body with a hard limit, then undoes gzip with the same limit on the
 * decompressed size, so neither a huge upload nor a small gzip bomb can exhaust memory.
 */
import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415 | 503,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The bytes of all request bodies being read at once. Admission control counts a body only
 * once it is queued; this bounds what many slow or simultaneous uploads can hold before that.
 */
export class ReadBudget {
  private used = 0;
  constructor(readonly maxBytes: number) {}
  take(bytes: number): boolean {
    if (this.used > 0 && this.used + bytes > this.maxBytes) return false;
    this.used += bytes;
    return true;
  }
  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

export function readBody(req: IncomingMessage, maxBytes: number, budget?: ReadBudget): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) {
    return Promise.reject(new BodyError(413, `request body of ${declared} bytes is over the ${maxBytes}-byte limit`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const release = (): void => budget?.give(size);
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      if (budget && !budget.take(chunk.length)) {
        failed = true;
        release();
        chunks.length = 0;
        reject(new BodyError(503, 'too many request bodies are being received at once'));
        return;
      }
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        release();
        chunks.length = 0;
        reject(new BodyError(413, `request body is over the ${maxBytes}-byte limit`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      // The queue's admission control counts the body from here on.
      release();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', (e) => {
      if (!failed) {
        release();
        reject(e);
      }
      failed = true;
    });
  });
}

/** What a refused request may still send before its connection is cut (dropRest). */
const DRAIN_MAX_BYTES = 16 * 1048576;
const DRAIN_MAX_MS = 5_000;

/**
 * Once a refused request's answer is sent, reads and drops the rest of its body, so the
 * connection stays whole: closing a socket with unread bytes makes the kernel send a reset, and
 * a client still writing its body lost the answer to it, never learning why (19 of 30 8-MiB
 * uploads here; a test client waited forever for its 413). The connection is then kept like any
 * other (a keep-alive client may send its next request on it); a body that goes on past 16 MiB
 * or 5 s is cut off.
 */
export function dropRest(req: IncomingMessage, res: { on(event: 'finish', listener: () => void): unknown }): void {
  res.on('finish', () => {
    if (req.complete) return;
    let dropped = 0;
    const cut = (): void => {
      clearTimeout(timer);
      req.destroy();
    };
    const timer = setTimeout(cut, DRAIN_MAX_MS);
    req.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > DRAIN_MAX_BYTES) cut();
    });
    req.on('end', () => clearTimeout(timer));
    req.on('error', cut);
    req.resume();
  });
}

export function decodeContentEncoding(body: Buffer, encoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === 'identity' || enc === '') return Promise.resolve(body);
  if (enc !== 'gzip' && enc !== 'deflate') return Promise.reject(new BodyError(415, `unsupported Content-Encoding "${enc}"; use gzip or none`));
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, out: Buffer): void => {
      if (!err) return resolve(out);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') reject(new BodyError(413, `decompressed body is over the ${maxBytes}-byte limit`));
      else reject(new BodyError(400, `invalid ${enc} body: ${err.message}`));
    };
    if (enc === 'gzip') zlib.gunzip(body, { maxOutputLength: maxBytes }, done);
    else zlib.inflate(body, { maxOutputLength: maxBytes }, done);
  });
}
