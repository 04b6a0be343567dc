/** Decodes one request body by encoding; a payload error becomes a readable message. */
import { decodeProtobuf } from '../otlp/decode-proto.js';
import { decodeJson } from '../otlp/decode-json.js';
import { ProtobufError } from '../otlp/protobuf-reader.js';
import { PayloadError } from '../otlp/payload-error.js';
import type { DecodedBatch, Signal } from '../otlp/model.js';
import type { Encoding } from './messages.js';
import { traceBloomsOf } from '../store/attribute-bloom.js';

export function decodeRequest(signal: Signal, encoding: Encoding, body: Buffer): { batch: DecodedBatch } | { error: string } {
  try {
    const batch = encoding === 'protobuf' ? decodeProtobuf(signal, body) : decodeJson(signal, body);
    // The attribute index is made here, in the decode worker, so the writer only ORs it in.
    if (batch.spans.length > 0) batch.traceBlooms = traceBloomsOf(batch);
    return { batch };
  } catch (e) {
    if (e instanceof ProtobufError) return { error: `invalid protobuf ${signal} payload: ${e.message}` };
    if (e instanceof PayloadError) return { error: `invalid JSON ${signal} payload: ${e.message}` };
    return { error: `invalid ${signal} payload: ${(e as Error).message}` };
  }
}
