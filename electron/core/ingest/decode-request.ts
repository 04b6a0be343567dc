/**
 * Decodes one request body by encoding; a payload error becomes a readable message. Redaction
 * runs here too, in the decode worker, so the writer never does it; then the attribute index is
 * made from the redacted attributes (so a search for a pseudonym finds its traces).
 */
import { decodeProtobuf } from '../otlp/decode-proto.js';
import { decodeJson } from '../otlp/decode-json.js';
import { ProtobufError } from '../otlp/protobuf-reader.js';
import { PayloadError } from '../otlp/payload-error.js';
import type { DecodedBatch, Signal } from '../otlp/model.js';
import type { Encoding } from './messages.js';
import { indexRedacted } from '../store/attribute-bloom.js';

/** `redact` applies the rules in force (it never throws; a batch it could not redact is left unmarked for the writer). */
export function decodeRequest(
  signal: Signal,
  encoding: Encoding,
  body: Buffer,
  redact: ((batch: DecodedBatch) => void) | null = null,
): { batch: DecodedBatch } | { error: string } {
  let batch: DecodedBatch;
  try {
    batch = encoding === 'protobuf' ? decodeProtobuf(signal, body) : decodeJson(signal, body);
  } catch (e) {
    if (e instanceof ProtobufError) return { error: `invalid protobuf ${signal} payload: ${e.message}` };
    if (e instanceof PayloadError) return { error: `invalid JSON ${signal} payload: ${e.message}` };
    return { error: `invalid ${signal} payload: ${(e as Error).message}` };
  }
  redact?.(batch);
  // The attribute index is made here, in the decode worker, so the writer only ORs it in; a
  // batch left for the writer to redact is indexed there too, after its redaction.
  indexRedacted(batch);
  return { batch };
}
