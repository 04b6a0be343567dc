/**
 * The decode thread: turns request bodies (transferred from the main thread, not copied) into
 * DecodedBatches and hands them straight to the writer over a MessageChannel, so decoding
 * and SQLite inserts run on different cores. Undecodable payloads are answered from here.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeRequest } from './decode-request.js';
import { DecoderRedaction } from './decoder-redaction.js';
import { DecoderMlFacts } from './decoder-ml-facts.js';
import { DecoderStore } from './decoder-store.js';
import { packBatches } from './batch-transfer.js';
import type { DecodeWorkerInit, FromDecoder, ToDecoder, ToWriter } from './messages.js';

const port = parentPort!;
const { writerPort, dbPath, nativeBinding } = workerData as DecodeWorkerInit;
// Redaction runs here, beside decoding, not on the writer (decoder-redaction.ts).
const store = new DecoderStore(dbPath, nativeBinding);
const redaction = new DecoderRedaction(store);
// So is what the ML index takes from each span (decoder-ml-facts.ts).
const mlFacts = new DecoderMlFacts(store);

port.on('message', (m: ToDecoder) => {
  if (m.type === 'close') {
    writerPort.postMessage({ type: 'close' } satisfies ToWriter);
    writerPort.close();
    store.close();
    port.close();
    return;
  }
  const body = Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength);
  const result = decodeRequest(m.signal, m.encoding, body, redaction.forRequest());
  if ('error' in result) {
    port.postMessage({ type: 'result', id: m.id, outcome: { status: 'invalid', message: result.error } } satisfies FromDecoder);
    return;
  }
  mlFacts.annotate(result.batch);
  const { packed, transfer } = packBatches([result.batch]);
  writerPort.postMessage({ type: 'batch', id: m.id, packed } satisfies ToWriter, transfer);
  port.postMessage({ type: 'handedOver', id: m.id } satisfies FromDecoder);
});
