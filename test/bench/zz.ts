import path from 'node:path';
import { makeSpans, encodeRequest, ReplayableBody } from './realistic-traces.js';
import { decodeProtobuf } from '../../electron/core/otlp/decode-proto.js';
import { openWriter } from '../../electron/core/store/open-store.js';
import { BatchWriter } from '../../electron/core/store/batch-writer.js';
import { tempDir } from '../helpers/serve-process.js';
const bodies: ReplayableBody[] = [];
for (let i = 0; i < 8; i++) { const s = await makeSpans(60, i + 1); bodies.push(new ReplayableBody(encodeRequest(s), s)); }
const db = openWriter(path.join(tempDir(), 'w.db'));
const w = new BatchWriter(db);
const payloads = Array.from({ length: 1000 }, (_, i) => bodies[i % 8]!.replay(i + 1));
let spans = 0, tDecode = 0, tWrite = 0;
for (let i = 0; i < payloads.length; i += 4) {
  const t0 = performance.now();
  const batches = payloads.slice(i, i + 4).map((p) => decodeProtobuf('traces', p));
  const t1 = performance.now();
  spans += w.write(batches).spans;
  tWrite += performance.now() - t1; tDecode += t1 - t0;
}
console.log('spans', spans, 'decode/s', Math.round(spans / tDecode * 1000), 'write/s', Math.round(spans / tWrite * 1000), 'total/s', Math.round(spans / (tDecode + tWrite) * 1000));
