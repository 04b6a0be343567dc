/**
 * Receives a browser-mode upload (an archive the user opened) into a private temp file,
 * within limits: a declared or streamed size over the limit, or more than the disk can hold
 * beside a reserve, is refused before the disk fills (413 / 507), and a failed or aborted
 * upload leaves no file behind.
 */
import type http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

export interface UploadLimits {
  /** Largest upload accepted, in bytes. */
  maxBytes: number;
  /** Free space an upload must leave on the temp folder's disk, in bytes. */
  reserveBytes: number;
  /** Where uploads are written (a private folder is made inside). */
  tempDir: string;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 16 * 1024 ** 3;
const DEFAULT_RESERVE_BYTES = 512 * 1024 ** 2;

export function defaultUploadLimits(): UploadLimits {
  return { maxBytes: DEFAULT_MAX_UPLOAD_BYTES, reserveBytes: DEFAULT_RESERVE_BYTES, tempDir: os.tmpdir() };
}

export class UploadError extends Error {
  constructor(
    readonly status: 400 | 413 | 507,
    message: string,
  ) {
    super(message);
  }
}

function freeBytes(dir: string): number {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

const mib = (n: number): string => `${Math.round(n / 1048576)} MiB`;

/** Streams the request body to a new 0600 file and resolves with its path. */
export function receiveUpload(req: http.IncomingMessage, limits: UploadLimits): Promise<string> {
  const dir = path.join(limits.tempDir, 'sightline-uploads');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const room = Math.min(limits.maxBytes, freeBytes(dir) - limits.reserveBytes);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limits.maxBytes)
    return Promise.reject(
      new UploadError(413, `the file (${mib(declared)}) is over the ${mib(limits.maxBytes)} upload limit; import it with \`sightline import\` instead`),
    );
  if (declared > room) return Promise.reject(new UploadError(507, `not enough free disk space for this ${mib(declared)} file`));
  const file = path.join(dir, randomUUID());
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(file, { mode: 0o600 });
    let size = 0;
    let failed = false;
    const fail = (e: UploadError): void => {
      if (failed) return;
      failed = true;
      req.unpipe(out);
      out.destroy();
      fs.rm(file, { force: true }, () => undefined);
      reject(e);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) fail(new UploadError(413, `the file is over the ${mib(limits.maxBytes)} upload limit`));
      else if (size > room) fail(new UploadError(507, 'not enough free disk space for this file'));
    });
    req.on('aborted', () => fail(new UploadError(400, 'upload aborted')));
    req.on('error', () => fail(new UploadError(400, 'upload aborted')));
    out.on('error', (e) => fail(new UploadError(507, `cannot store the upload: ${e.message}`)));
    out.on('finish', () => {
      if (!failed) resolve(file);
    });
    req.pipe(out);
  });
}
