import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import { PayloadError } from '../../electron/core/otlp/payload-error.js';

const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] };

test('JSON quirks: hex of either case, base64 IDs, int as string, enum names, missing kind/status/scope', () => {
  const batch = decodeJson(
    'traces',
    JSON.stringify({
      resourceSpans: [
        {
          resource,
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5B8EFFF798038103D269B633813FC60C',
                  spanId: 'eee19b7ec3c1b174',
                  name: 'upper-hex',
                  kind: 'SPAN_KIND_CLIENT',
                  startTimeUnixNano: '1700000000000000001',
                  endTimeUnixNano: 1700000000000001000,
                  attributes: [
                    { key: 'big', value: { intValue: '9007199254740993' } },
                    { key: 'n', value: { intValue: 7 } },
                    { key: 'd', value: { doubleValue: 2 } },
                    { key: 'b', value: { boolValue: true } },
                    { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: '1' }] } } },
                    { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { doubleValue: 0.5 } }] } } },
                    { key: 'bytes', value: { bytesValue: 'AQID' } },
                  ],
                  status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
                },
                { trace_id: 'W47/95gDgQPSabYzgT/GDA==', span_id: '7uGbfsPBsXQ=', parent_span_id: '', name: 'base64-snake' },
              ],
            },
          ],
        },
      ],
    }),
  );
  assert.equal(batch.rejected, 0);
  assert.equal(batch.spans.length, 1);
  const [a, b] = batch.spans[0]!.spans;
  assert.equal(batch.spans[0]!.resource.serviceName, 'checkout');
  assert.equal(batch.spans[0]!.scope.name, '');
  assert.equal(a!.traceId.toString('hex'), '5b8efff798038103d269b633813fc60c');
  assert.equal(a!.kind, 3);
  assert.equal(a!.statusCode, 2);
  assert.equal(a!.statusMessage, 'boom');
  assert.equal(a!.startTimeUnixNano, 1700000000000000001n);
  assert.equal(a!.attributesJson, '{"big":9007199254740993,"n":7,"d":2.0,"b":true,"arr":["x",1],"kv":{"inner":0.5},"bytes":{"$bytes":"AQID"}}');
  assert.equal(b!.traceId.toString('hex'), '5b8efff798038103d269b633813fc60c');
  assert.equal(b!.spanId.toString('hex'), 'eee19b7ec3c1b174');
  assert.equal(b!.parentSpanId, null);
  assert.equal(b!.kind, 0);
  assert.equal(b!.statusCode, 0);
});

test('a span with an unusable ID is rejected alone; the rest are kept', () => {
  const batch = decodeJson(
    'traces',
    JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'good' },
                { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b71', name: 'short-id' },
                { traceId: '00000000000000000000000000000000', spanId: 'b7ad6b7169203331', name: 'zero-trace' },
                { spanId: 'b7ad6b7169203332', name: 'no-trace' },
              ],
            },
          ],
        },
      ],
    }),
  );
  assert.equal(batch.spans[0]!.spans.length, 1);
  assert.equal(batch.rejected, 3);
  assert.match(batch.rejectReasons.join('\n'), /short-id/);
  assert.match(batch.rejectReasons.join('\n'), /all zeros/);
});

test('payloads that are not export requests are refused whole', () => {
  assert.throws(() => decodeJson('traces', '{"resourceSpans": '), PayloadError);
  assert.throws(() => decodeJson('traces', '[1,2]'), /must be a JSON object/);
  assert.throws(() => decodeJson('traces', '{"resourceSpans": {}}'), /must be an array/);
});

test('metrics: every point type, asInt as string, exemplars with IDs, temporality by name', () => {
  const batch = decodeJson(
    'metrics',
    JSON.stringify({
      resourceMetrics: [
        {
          resource,
          scopeMetrics: [
            {
              scope: { name: 'm', version: '1' },
              metrics: [
                { name: 'g', gauge: { dataPoints: [{ timeUnixNano: '5', asDouble: 0.75, attributes: [{ key: 'gpu', value: { stringValue: '0' } }] }] } },
                {
                  name: 's',
                  sum: { aggregationTemporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE', isMonotonic: true, dataPoints: [{ timeUnixNano: '5', asInt: '42' }] },
                },
                {
                  name: 'h',
                  unit: 'ms',
                  histogram: {
                    aggregationTemporality: 1,
                    dataPoints: [
                      {
                        timeUnixNano: '5',
                        count: '3',
                        sum: 30,
                        bucketCounts: ['1', '2'],
                        explicitBounds: [10],
                        min: 1,
                        max: 20,
                        exemplars: [{ timeUnixNano: '4', asDouble: 20, traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' }],
                      },
                    ],
                  },
                },
                {
                  name: 'e',
                  exponentialHistogram: {
                    dataPoints: [{ timeUnixNano: '5', count: '2', scale: 3, zeroCount: '1', positive: { offset: -2, bucketCounts: ['1'] } }],
                  },
                },
                { name: 'q', summary: { dataPoints: [{ timeUnixNano: '5', count: '2', sum: 3, quantileValues: [{ quantile: 0.5, value: 1.5 }] }] } },
              ],
            },
          ],
        },
      ],
    }),
  );
  assert.equal(batch.rejected, 0);
  assert.deepEqual(
    batch.metrics.map((m) => [m.metric.name, m.metric.type]),
    [
      ['g', 1],
      ['s', 2],
      ['h', 3],
      ['e', 4],
      ['q', 5],
    ],
  );
  assert.equal(batch.metrics[1]!.metric.aggregationTemporality, 2);
  assert.equal(batch.metrics[1]!.points[0]!.valueInt, 42n);
  const h = batch.metrics[2]!.points[0]!;
  assert.equal(h.count, 3);
  assert.equal(h.bucketsJson, '{"bucketCounts":[1,2],"explicitBounds":[10.0]}');
  assert.equal(h.exemplars[0]!.traceId!.toString('hex'), '0af7651916cd43dd8448eb211c80319c');
  assert.match(batch.metrics[3]!.points[0]!.bucketsJson!, /"scale":3,"zeroCount":1,.*"positive":\{"offset":-2,"bucketCounts":\[1\]\}/);
});

test('logs: severity by name, body of any type, trace context', () => {
  const batch = decodeJson(
    'logs',
    JSON.stringify({
      resourceLogs: [
        {
          resource,
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: '9',
                  severityNumber: 'SEVERITY_NUMBER_WARN',
                  severityText: 'WARN',
                  body: { stringValue: 'slow read' },
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                  spanId: 'b7ad6b7169203331',
                },
                { severityNumber: 17, body: { kvlistValue: { values: [{ key: 'k', value: { intValue: '1' } }] } } },
                { traceId: 'abc', body: { stringValue: 'bad id' } },
              ],
            },
          ],
        },
      ],
    }),
  );
  const logs = batch.logs[0]!.logs;
  assert.equal(logs.length, 2);
  assert.equal(batch.rejected, 1);
  assert.equal(logs[0]!.severityNumber, 13);
  assert.equal(logs[0]!.bodyJson, '"slow read"');
  assert.equal(logs[0]!.traceId!.toString('hex'), '0af7651916cd43dd8448eb211c80319c');
  assert.equal(logs[1]!.bodyJson, '{"k":1}');
});
