/** Messages between the ingest queue (main thread), the decode worker and the writer worker. */
import type { MessagePort } from 'node:worker_threads';
import type { Signal } from '../otlp/model.js';
import type { PackedBatches } from './batch-transfer.js';
import type { WriteTotals } from '../store/batch-writer.js';
import type { RetentionOptions } from '../store/retention.js';

export type Encoding = 'protobuf' | 'json';

export interface WriterInit {
  dbPath: string;
  retention: RetentionOptions;
  nativeBinding?: string | undefined;
  // Decoded batches arrive over ports of the decode workers, handed over later as `port` messages.
}

export interface DecodeWorkerInit {
  /** Where decoded batches go: the writer worker's end of the MessageChannel. */
  writerPort: MessagePort;
  /** The store, read (read-only) for the redaction rules; its keys/ folder holds the pseudonym key. */
  dbPath: string;
  nativeBinding?: string | undefined;
}

/** main → decoder */
export type ToDecoder = { type: 'decode'; id: number; signal: Signal; encoding: Encoding; body: Uint8Array } | { type: 'close' };

/** decoder → writer (over the MessageChannel) */
export type ToWriter = { type: 'batch'; id: number; packed: PackedBatches } | { type: 'close' };

/** The outcome of one request: committed (with what was rejected), or refused whole. */
export type IngestOutcome =
  | { status: 'ok'; accepted: number; rejected: number; rejectReasons: string[] }
  | { status: 'invalid'; message: string }
  | { status: 'unavailable'; message: string };

/** decoder → main: a refused payload's result, or "handed to the writer" (so a crash knows what it was decoding). */
export type FromDecoder = { type: 'result'; id: number; outcome: IngestOutcome } | { type: 'handedOver'; id: number };

/** main → writer: the receiving end of a (new) decode worker's channel. */
export type ToWriterControl = { type: 'port'; port: MessagePort };

export type FromWriter =
  | { type: 'ready' }
  | { type: 'result'; id: number; outcome: IngestOutcome }
  | { type: 'committed'; totals: WriteTotals }
  | { type: 'closed' }
  | { type: 'fatal'; message: string };
