/** Messages between the ingest queue (main thread) and the writer worker. */
import type { Signal } from '../otlp/model.js';
import type { WriteTotals } from '../store/batch-writer.js';
import type { RetentionOptions } from '../store/retention.js';

export type Encoding = 'protobuf' | 'json';

export interface WriterInit {
  dbPath: string;
  retention: RetentionOptions;
  nativeBinding?: string | undefined;
}

export interface IngestRequestMessage {
  type: 'ingest';
  id: number;
  signal: Signal;
  encoding: Encoding;
  body: Uint8Array;
}

export type ToWriter = IngestRequestMessage | { type: 'close' };

/** The outcome of one request: committed (with what was rejected), or refused whole. */
export type IngestOutcome =
  | { status: 'ok'; accepted: number; rejected: number; rejectReasons: string[] }
  | { status: 'invalid'; message: string }
  | { status: 'unavailable'; message: string };

export type FromWriter =
  | { type: 'ready' }
  | { type: 'result'; id: number; outcome: IngestOutcome }
  | { type: 'committed'; totals: WriteTotals }
  | { type: 'closed' }
  | { type: 'fatal'; message: string };
