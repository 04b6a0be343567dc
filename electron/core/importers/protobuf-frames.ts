/**
 * Protobuf archives come in three framings: one message (TracesData, MetricsData or LogsData,
 * the same bytes as an export request), the Collector file exporter's stream where each
 * message follows a 4-byte big-endian length (its legacy zstd mode compresses each message
 * on its own), and the specification's varint-delimited stream. The framing is read from the
 * first bytes; which signal a message holds is found by decoding it.
 */
import { decompress as zstdDecompress } from 'fzstd';
import { decodeProtobuf } from '../otlp/decode-proto.js';
import { countItems, type DecodedBatch, type Signal } from '../otlp/model.js';
import { ProtobufReader } from '../otlp/protobuf-reader.js';
import { detectCompression } from './decompress-stream.js';

export type Framing = 'single' | 'be32' | 'varint';

/** Reads a varint at `at`; returns [value, bytes] or null when it does not end in `buf`. */
function varintAt(buf: Buffer, at: number): [number, number] | null {
  let value = 0;
  for (let i = 0; i < 5 && at + i < buf.length; i++) {
    const b = buf[at + i]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) return [value, i + 1];
  }
  return null;
}

/** Does a chain of frames, read with `next`, fit the bytes we have (or end exactly at EOF)? */
function chainFits(head: Buffer, complete: boolean, next: (at: number) => [number, number] | null): boolean {
  let at = 0;
  for (let frames = 0; frames < 64; frames++) {
    if (at === head.length) return complete || frames > 0;
    const f = next(at);
    if (!f) return !complete && frames > 0;
    const [len, prefix] = f;
    const body = at + prefix;
    if (len === 0 || (body < head.length && head[body] !== 0x0a && detectCompression(head.subarray(body, body + 4)) !== 'zstd')) return false;
    at = body + len;
    if (at > head.length) return !complete; // runs past what we have: plausible only if more follows
  }
  return true;
}

export function detectFraming(head: Buffer, complete: boolean): Framing {
  if (head.length >= 4 && chainFits(head, complete, (at) => (at + 4 <= head.length ? [head.readUInt32BE(at), 4] : null))) return 'be32';
  if (head[0] === 0x0a) {
    // A single message starts with field 1; a varint-delimited stream starts with a length.
    try {
      if (complete) {
        const r = new ProtobufReader(head);
        while (r.hasMore()) r.skip(r.tag());
        return 'single';
      }
    } catch {
      /* not one whole message: try delimited */
    }
  }
  if (chainFits(head, complete, (at) => varintAt(head, at))) return 'varint';
  return 'single';
}

const SIGNALS: Signal[] = ['traces', 'metrics', 'logs'];

/** Decodes one message, finding its signal: the decoding that keeps the most items wins. */
export function decodeAnySignal(message: Buffer, preferred: Signal | null): DecodedBatch {
  const order = preferred ? [preferred, ...SIGNALS.filter((s) => s !== preferred)] : SIGNALS;
  let best: DecodedBatch | null = null;
  let bestScore = -Infinity;
  let firstError: Error | null = null;
  for (const signal of order) {
    try {
      const batch = decodeProtobuf(signal, message);
      const score = countItems(batch) - batch.rejected;
      if (score > bestScore) {
        best = batch;
        bestScore = score;
      }
      if (signal === preferred && batch.rejected === 0 && countItems(batch) > 0) break;
    } catch (e) {
      firstError ??= e as Error;
    }
  }
  if (!best) throw firstError ?? new Error('not an OTLP protobuf message');
  return best;
}

/** Incrementally splits a byte stream into frames. */
export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private offset = 0; // decompressed offset of pending[0]

  constructor(private readonly framing: Exclude<Framing, 'single'>) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
  }

  /** The next complete frame with its byte offset, or null when more bytes are needed. */
  next(): { message: Buffer; offset: number } | null {
    const p = this.pending;
    let len: number;
    let prefix: number;
    if (this.framing === 'be32') {
      if (p.length < 4) return null;
      len = p.readUInt32BE(0);
      prefix = 4;
    } else {
      const v = varintAt(p, 0);
      if (!v) return null;
      [len, prefix] = v;
    }
    if (p.length < prefix + len) return null;
    let message = p.subarray(prefix, prefix + len);
    const offset = this.offset;
    if (detectCompression(message) === 'zstd') message = Buffer.from(zstdDecompress(message));
    this.pending = p.subarray(prefix + len);
    this.offset += prefix + len;
    return { message, offset };
  }

  /** Bytes left over at the end of the input (a truncated last frame), and where they start. */
  leftover(): { bytes: number; offset: number } {
    return { bytes: this.pending.length, offset: this.offset };
  }
}
