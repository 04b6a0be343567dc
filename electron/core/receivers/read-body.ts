/**
 * Reads a request body with a hard limit, then undoes gzip with the same limit on the
 * decompressed size, so neither a huge upload nor a small gzip bomb can exhaust memory.
 */
import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) {
    return Promise.reject(new BodyError(413, `request body of ${declared} bytes is over the ${maxBytes}-byte limit`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        reject(new BodyError(413, `request body is over the ${maxBytes}-byte limit`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
      failed = true;
    });
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
