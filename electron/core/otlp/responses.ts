/**
 * OTLP responses in both encodings: Export{Trace,Metrics,Logs}ServiceResponse with an
 * optional partial_success, and google.rpc.Status for errors. Only these tiny messages are
 * ever encoded, so a few lines of varint writing replace a protobuf library.
 */
import type { Signal } from './model.js';

const REJECTED_FIELD: Record<Signal, string> = {
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
};

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function lengthDelimited(field: number, bytes: Uint8Array | number[]): number[] {
  return [(field << 3) | 2, ...varint(bytes.length), ...bytes];
}

export interface PartialSuccess {
  rejected: number;
  message: string;
}

export function exportResponseProto(partial: PartialSuccess | null): Buffer {
  if (!partial || (partial.rejected === 0 && !partial.message)) return Buffer.alloc(0);
  const inner: number[] = [];
  if (partial.rejected > 0) inner.push(1 << 3, ...varint(partial.rejected));
  if (partial.message) inner.push(...lengthDelimited(2, Buffer.from(partial.message, 'utf8')));
  return Buffer.from(lengthDelimited(1, inner));
}

export function exportResponseJson(signal: Signal, partial: PartialSuccess | null): string {
  if (!partial || (partial.rejected === 0 && !partial.message)) return '{}';
  return JSON.stringify({ partialSuccess: { [REJECTED_FIELD[signal]]: String(partial.rejected), errorMessage: partial.message } });
}

/** gRPC status codes used in Status bodies. */
export const GRPC_INVALID_ARGUMENT = 3;
export const GRPC_PERMISSION_DENIED = 7;
export const GRPC_RESOURCE_EXHAUSTED = 8;
export const GRPC_UNIMPLEMENTED = 12;
export const GRPC_UNAVAILABLE = 14;
export const GRPC_UNAUTHENTICATED = 16;

export function statusProto(code: number, message: string): Buffer {
  return Buffer.from([(1 << 3) | 0, ...varint(code), ...lengthDelimited(2, Buffer.from(message, 'utf8'))]);
}

export function statusJson(code: number, message: string): string {
  return JSON.stringify({ code, message });
}

/**
 * A google.rpc.Status carrying a google.rpc.RetryInfo detail (for the gRPC trailer
 * `grpc-status-details-bin`): the OTLP throttling answer, telling exporters when to retry.
 */
export function statusWithRetryInfo(code: number, message: string, retryAfterSeconds: number): Buffer {
  const duration = [(1 << 3) | 0, ...varint(Math.max(1, Math.round(retryAfterSeconds)))]; // Duration.seconds
  const retryInfo = lengthDelimited(1, duration); // RetryInfo.retry_delay
  const any = [...lengthDelimited(1, Buffer.from('type.googleapis.com/google.rpc.RetryInfo')), ...lengthDelimited(2, retryInfo)];
  return Buffer.from([(1 << 3) | 0, ...varint(code), ...lengthDelimited(2, Buffer.from(message, 'utf8')), ...lengthDelimited(3, any)]);
}
