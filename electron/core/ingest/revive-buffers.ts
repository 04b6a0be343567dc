/**
 * Buffers cross threads as plain Uint8Arrays (structured clone); better-sqlite3 binds only
 * Buffers. This turns every ID back into a Buffer view (no copy) in place.
 */
import type { DecodedBatch } from '../otlp/model.js';

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

function maybe(u: Uint8Array | null): Buffer | null {
  return u === null ? null : asBuffer(u);
}

export function reviveBuffers(batch: DecodedBatch): DecodedBatch {
  for (const g of batch.spans) {
    for (const s of g.spans) {
      s.traceId = asBuffer(s.traceId);
      s.spanId = asBuffer(s.spanId);
      s.parentSpanId = maybe(s.parentSpanId);
    }
  }
  for (const g of batch.metrics) {
    for (const p of g.points) {
      for (const e of p.exemplars) {
        e.traceId = maybe(e.traceId);
        e.spanId = maybe(e.spanId);
      }
    }
  }
  for (const g of batch.logs) {
    for (const l of g.logs) {
      l.traceId = maybe(l.traceId);
      l.spanId = maybe(l.spanId);
    }
  }
  return batch;
}
