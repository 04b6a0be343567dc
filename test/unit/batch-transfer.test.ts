import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import { packBatches, unpackBatches, type PackedBatches } from '../../electron/core/ingest/batch-transfer.js';
import { traceBloomsOf } from '../../electron/core/store/attribute-bloom.js';
import type { DecodedBatch } from '../../electron/core/otlp/model.js';

const T1 = '5b8efff798038103d269b633813fc60c';
const T2 = '0af7651916cd43dd8448eb211c80319c';
const span = (traceId: string, spanId: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  traceId,
  spanId,
  name: `op ${spanId}`,
  startTimeUnixNano: '1700000000000000001',
  endTimeUnixNano: '9223372036854775807', // the largest time a store keeps
  attributes: [{ key: 'k', value: { stringValue: `v-${spanId}` } }],
  ...extra,
});
const resource = (service: string): Record<string, unknown> => ({ attributes: [{ key: 'service.name', value: { stringValue: service } }] });

function traces(): DecodedBatch {
  return decodeJson(
    'traces',
    JSON.stringify({
      resourceSpans: [
        {
          resource: resource('checkout'),
          scopeSpans: [
            {
              scope: { name: 'a' },
              spans: [
                span(T1, 'eee19b7ec3c1b174', {
                  parentSpanId: '00f067aa0ba902b7',
                  kind: 3,
                  flags: 257,
                  traceState: 'k=v',
                  droppedAttributesCount: 2,
                  status: { code: 2, message: 'boom — naïve ünïcode ✓' },
                  attributes: [
                    { key: 'city', value: { stringValue: 'Zürich 東京 🚀' } },
                    { key: 'n', value: { intValue: '9007199254740993' } },
                  ],
                  events: [{ timeUnixNano: '1700000000000000500', name: 'retry', attributes: [{ key: 'attempt', value: { intValue: 2 } }] }],
                  droppedEventsCount: 1,
                }),
                span(T1, '00f067aa0ba902b7'),
              ],
            },
            {
              scope: { name: 'b', version: '2' },
              spans: [span(T2, '1111111111111111', { links: [{ traceId: T1, spanId: 'eee19b7ec3c1b174' }], droppedLinksCount: 3 })],
            },
          ],
        },
        { resource: resource('search'), scopeSpans: [{ spans: [span(T2, '2222222222222222', { parentSpanId: '1111111111111111' })] }] },
      ],
    }),
  );
}

function logs(): DecodedBatch {
  return decodeJson(
    'logs',
    JSON.stringify({
      resourceLogs: [
        {
          resource: resource('checkout'),
          scopeLogs: [
            {
              logRecords: [
                { timeUnixNano: '1700000000000000000', body: { stringValue: 'hello' }, traceId: T1, spanId: 'eee19b7ec3c1b174' },
                { body: { stringValue: 'no ids' } },
              ],
            },
          ],
        },
      ],
    }),
  );
}

/** A value with every byte array as hex and every Map as entries, so a Buffer and a Uint8Array of the same bytes compare equal. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return `hex:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  if (v instanceof Map) return [...v].map(([k, x]) => [k, plain(x)]);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Crosses a real MessagePort with the transfer list, as the writer threads receive it. */
async function crossThreads(batches: DecodedBatch[], segmentChars?: number): Promise<{ received: DecodedBatch[]; packed: PackedBatches }> {
  const { port1, port2 } = new MessageChannel();
  const got = new Promise<PackedBatches>((resolve) => (port2 as MessagePort).once('message', (m: PackedBatches) => resolve(m)));
  const { packed, transfer } = packBatches(batches, segmentChars);
  port1.postMessage(packed, transfer);
  const arrived = await got;
  port1.close();
  return { received: unpackBatches(arrived), packed };
}

test('batches cross packed and come back field for field: spans, groups, IDs as Buffers, times, text outside Latin-1, nulls', async () => {
  const a = traces();
  a.redacted = true;
  a.redactionCounts = { email: 2 };
  a.traceBlooms = traceBloomsOf(a);
  const b = logs();
  const c = traces();
  c.rejected = 1;
  c.rejectReasons = ['span 7: traceId is missing'];
  const expected = structuredClone([a, b, c]);
  const { received, packed } = await crossThreads([a, b, c]);

  assert.equal(received.length, 3);
  for (const [i, batch] of received.entries()) assert.deepEqual(plain(batch), plain(expected[i]));
  const spans = received[0]!.spans;
  assert.deepEqual(
    spans.map((g) => [g.resource.serviceName, g.scope.name, g.spans.length]),
    [
      ['checkout', 'a', 2],
      ['checkout', 'b', 1],
      ['search', '', 1],
    ],
  );
  const first = spans[0]!.spans[0]!;
  assert.ok(Buffer.isBuffer(first.traceId) && Buffer.isBuffer(first.spanId) && Buffer.isBuffer(first.parentSpanId), 'IDs bind as Buffers');
  assert.equal(first.traceId.toString('hex'), T1);
  assert.equal(first.parentSpanId!.toString('hex'), '00f067aa0ba902b7');
  assert.equal(spans[0]!.spans[1]!.parentSpanId, null);
  assert.equal(first.endTimeUnixNano, 9223372036854775807n);
  assert.equal(first.statusMessage, 'boom — naïve ünïcode ✓');
  assert.match(first.attributesJson, /Zürich 東京 🚀/);
  assert.equal(first.linksJson, null);
  assert.match(first.eventsJson!, /retry/);
  assert.match(spans[1]!.spans[0]!.linksJson!, new RegExp(T1));
  assert.equal(spans[1]!.spans[0]!.eventsJson, null);
  assert.deepEqual([first.kind, first.flags, first.droppedAttributesCount, first.droppedEventsCount, first.statusCode], [3, 257, 2, 1, 2]);
  assert.equal(spans[1]!.spans[0]!.droppedLinksCount, 3);
  // What the decoder marked rides along: the redaction, its counts, the attribute index, rejections.
  assert.equal(received[0]!.redacted, true);
  assert.deepEqual(received[0]!.redactionCounts, { email: 2 });
  assert.deepEqual([...received[0]!.traceBlooms!.keys()].sort(), [...a.traceBlooms.keys()].sort());
  assert.deepEqual([received[2]!.rejected, received[2]!.rejectReasons], [1, ['span 7: traceId is missing']]);
  // Log IDs come back as Buffers too; absent ones stay null.
  const records = received[1]!.logs[0]!.logs;
  assert.ok(Buffer.isBuffer(records[0]!.traceId));
  assert.equal(records[0]!.traceId!.toString('hex'), T1);
  assert.equal(records[1]!.traceId, null);
  // The column buffers were moved, not copied: the sender's arrays are empty now.
  assert.equal(packed.ids.byteLength, 0);
  assert.equal(packed.times.byteLength, 0);
});

test('a batch without spans, and no batches at all, cross too', async () => {
  assert.deepEqual((await crossThreads([])).received, []);
  const { received } = await crossThreads([logs()]);
  assert.equal(received[0]!.spans.length, 0);
  assert.equal(received[0]!.logs[0]!.logs.length, 2);
});

test('text too long for one string is split into segments, and every piece comes back whole', async () => {
  // Segments of 60 characters here (2^28 in use): most attribute texts start a new one, some share one, a few are longer.
  const batches = [traces(), logs(), traces()];
  const expected = structuredClone(batches);
  const { received, packed } = await crossThreads(batches, 60);
  assert.ok(packed.json.length > 5, `${packed.json.length} segments`);
  for (const [i, batch] of received.entries()) assert.deepEqual(plain(batch), plain(expected[i]));
});
