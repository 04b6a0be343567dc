/** Messages between the ingest queue (main thread), the decode worker and the writer worker. */
import type { MessagePort } from 'node:worker_threads';
import type { DecodedBatch, Signal } from '../otlp/model.js';
import type { WriteTotals } from '../store/batch-writer.js';
import type { RetentionOptions } from '../store/retention.js';

export type Encoding = 'protobuf' | 'json';

export interface WriterInit {
  dbPath: string;
  retention: RetentionOptions;
  nativeBinding?: string | undefined;
  /** Where decoded batches arrive from the decode worker. */
  batchPort?: MessagePort;
}

export interface DecodeWorkerInit {
  /** Where decoded batches go: the writer worker's end of the MessageChannel. */
  writerPort: MessagePort;
}

/** main → decoder */
export type ToDecoder = { type: 'decode'; id: number; signal: Signal; encoding: Encoding; body: Uint8Array } | { type: 'close' };

/** decoder → writer (over the MessageChannel) */
export type ToWriter = { type: 'batch'; id: number; batch: DecodedBatch } | { type: 'close' };

/** The outcome of one request: committed (with what was rejected), or refused whole. */
export type IngestOutcome =
  | { status: 'ok'; accepted: number; rejected: number; rejectReasons: string[] }
  | { status: 'invalid'; message: string }
  | { status: 'unavailable'; message: string };

export type FromDecoder = { type: 'result'; id: number; outcome: IngestOutcome };

export type FromWriter =
  | { type: 'ready' }
  | { type: 'result'; id: number; outcome: IngestOutcome }
  | { type: 'committed'; totals: WriteTotals }
  | { type: 'closed' }
  | { type: 'fatal'; message: string };
