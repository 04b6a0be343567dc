/**
 * A file as a stream of decompressed chunks, whatever its compression: detected from the
 * magic bytes (gzip 1f 8b, zstd 28 b5 2f fd), never from the file name. Memory stays bounded:
 * chunks flow through as they are read. Hands each chunk of the file's own bytes (compressed or
 * not) to `onRead` as it is read, for progress and the file's hash.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { Decompress } from 'fzstd';

export type Compression = 'none' | 'gzip' | 'zstd';

export function detectCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

export function readHead(path: string, bytes = 8): Buffer {
  const fd = fs.openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

export class DecompressError extends Error {
  override name = 'DecompressError';
}

export async function* decompressedChunks(path: string, compression: Compression, onRead: (fileBytes: Buffer) => void): AsyncGenerator<Buffer> {
  const input = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  let read = 0;
  input.on('data', (c: string | Buffer) => {
    const bytes = typeof c === 'string' ? Buffer.from(c) : c; // no encoding is set: always bytes
    read += bytes.length;
    onRead(bytes);
  });
  if (compression === 'none') {
    for await (const chunk of input) yield chunk as Buffer;
    return;
  }
  if (compression === 'gzip') {
    // 1 MiB out at a time, as plain files are read: the default 16 KiB cost a round through the
    // importer's loop (and its line splitting) per 16 KiB.
    const gunzip = zlib.createGunzip({ chunkSize: 1 << 20 });
    input.pipe(gunzip);
    input.on('error', (e) => gunzip.destroy(e));
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (e) {
      throw new DecompressError(`gzip data is corrupt or truncated after ${read} compressed bytes: ${(e as Error).message}`);
    }
    return;
  }
  const out: Buffer[] = [];
  const zstd = new Decompress((data) => void out.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength)));
  try {
    for await (const chunk of input) {
      zstd.push(chunk as Buffer);
      while (out.length > 0) yield out.shift()!;
    }
    // The final push throws on a stream that ends early.
    zstd.push(new Uint8Array(0), true);
  } catch (e) {
    throw new DecompressError(`zstd data is corrupt after ${read} compressed bytes: ${(e as Error).message}`);
  }
  while (out.length > 0) yield out.shift()!;
}
