/**
 * Which metric lanes a trace gets first, on a real store: two traces of a ranker on host
 * node-2, one that waited on a feature-store read (S3) and one on GPU inference; series of the
 * ranker's host (GPU gauges, a feature-read histogram, CPU), of a DCGM exporter on the same
 * host, of the ranker's other host node-1, and of a DCGM exporter on node-7 that no trace
 * touched. The storage trace gets the storage series of its own host first, the inference
 * trace the GPU series, the one that rose around the trace before the flat one; node-1's
 * series are context only (below the default threshold) and node-7's are not offered at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openReader, openWriter } from '../../electron/core/store/open-store.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { TraceQueries } from '../../electron/core/store/trace-queries.js';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import { spanWork, seriesKind } from '../../electron/core/store/lane-kinds.js';
import { changeAroundTrace } from '../../electron/core/store/lane-relevance.js';
import { LANE_DEFAULT_COUNT, LANE_DEFAULT_MIN_RELEVANCE, type MetricLane } from '../../shared/model/telemetry.js';
import { tempDir } from '../helpers/serve-process.js';

const STORAGE_TRACE = '5107a6e5107a6e5107a6e5107a6e5107';
const GPU_TRACE = '69b0069b0069b0069b0069b0069b0069';
const T0 = Date.now() - 3_600_000;
const STORAGE_AT = T0;
const GPU_AT = T0 + 20 * 60_000;
const ns = (ms: number): string => String(BigInt(Math.round(ms)) * 1_000_000n);

type Attr = { key: string; value: { stringValue: string } | { boolValue: boolean } | { doubleValue: number } };
const attrs = (o: Record<string, string | boolean | number>): Attr[] =>
  Object.entries(o).map(([key, v]) => ({
    key,
    value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : { doubleValue: v },
  }));

function resource(service: string, host: string): { attributes: Attr[] } {
  return { attributes: attrs({ 'service.name': service, 'host.name': host }) };
}

function span(
  trace: string,
  id: string,
  parent: string | null,
  name: string,
  startMs: number,
  durationMs: number,
  kind: number,
  a: Record<string, string | boolean | number> = {},
): object {
  return {
    traceId: trace,
    spanId: id,
    ...(parent ? { parentSpanId: parent } : {}),
    name,
    kind,
    startTimeUnixNano: ns(startMs),
    endTimeUnixNano: ns(startMs + durationMs),
    attributes: attrs(a),
  };
}

const traces = JSON.stringify({
  resourceSpans: [
    {
      resource: resource('ranker', 'node-2'),
      scopeSpans: [
        {
          spans: [
            // Waited 900 ms of 1 s on a feature-store read.
            span(STORAGE_TRACE, 'a000000000000001', null, 'POST /rank', STORAGE_AT, 1000, 2),
            span(STORAGE_TRACE, 'a000000000000002', 'a000000000000001', 'feature-store.read', STORAGE_AT + 10, 900, 3, {
              'rpc.service': 'S3',
              'aws.s3.bucket': 'features',
            }),
            span(STORAGE_TRACE, 'a000000000000003', 'a000000000000001', 'gpu.inference', STORAGE_AT + 920, 20, 1, { 'gpu.id': 'node-2/0' }),
            // Waited 460 ms of 500 ms on inference.
            span(GPU_TRACE, 'b000000000000001', null, 'POST /rank', GPU_AT, 500, 2),
            span(GPU_TRACE, 'b000000000000002', 'b000000000000001', 'feature-store.read', GPU_AT + 2, 15, 3, { 'rpc.service': 'S3' }),
            span(GPU_TRACE, 'b000000000000003', 'b000000000000001', 'model.infer', GPU_AT + 20, 460, 1),
          ],
        },
      ],
    },
  ],
});

/** A gauge every 30 s over the hour around both traces; `at` gives the value at a time. */
function gauge(name: string, unit: string, at: (t: number) => number): object {
  const points = [];
  for (let t = T0 - 15 * 60_000; t <= GPU_AT + 15 * 60_000; t += 30_000) points.push({ timeUnixNano: ns(t), asDouble: at(t), attributes: attrs({ gpu: '0' }) });
  return { name, unit, gauge: { dataPoints: points } };
}

/** A cumulative latency histogram every 30 s; `meanAt` gives each interval's mean. */
function latencyHistogram(name: string, meanAt: (t: number) => number): object {
  const points = [];
  let count = 0;
  let sum = 0;
  const start = T0 - 15 * 60_000;
  for (let t = start + 30_000; t <= GPU_AT + 15 * 60_000; t += 30_000) {
    count += 10;
    sum += 10 * meanAt(t);
    points.push({ startTimeUnixNano: ns(start), timeUnixNano: ns(t), count: String(count), sum, attributes: attrs({ 'rpc.service': 'S3' }) });
  }
  return { name, unit: 'ms', histogram: { aggregationTemporality: 2, dataPoints: points } };
}

const wobble = (t: number): number => Math.sin(t / 47_000);
const near = (t: number, at: number): boolean => t >= at - 15_000 && t <= at + 45_000;

function metricsOf(service: string, host: string, metrics: object[]): object {
  return { resource: resource(service, host), scopeMetrics: [{ metrics }] };
}

const metrics = JSON.stringify({
  resourceMetrics: [
    metricsOf('ranker', 'node-2', [
      latencyHistogram('feature_store.read.duration', (t) => (near(t, STORAGE_AT) ? 800 : 25 + 2 * wobble(t))),
      gauge('DCGM_FI_DEV_GPU_TEMP', 'Cel', (t) => (near(t, GPU_AT) ? 91 : 66 + wobble(t))),
      gauge('DCGM_FI_DEV_SM_CLOCK', 'MHz', (t) => 1400 + 10 * wobble(t)),
      gauge('process.cpu.utilization', '1', (t) => 0.4 + 0.01 * wobble(t)),
      gauge('http.server.active_requests', '{request}', (t) => 3 + wobble(t)),
    ]),
    metricsOf('dcgm-exporter', 'node-2', [gauge('DCGM_FI_DEV_GPU_UTIL', '%', (t) => 55 + wobble(t))]),
    metricsOf('ranker', 'node-1', [
      latencyHistogram('feature_store.read.duration', (t) => 25 + wobble(t)),
      gauge('DCGM_FI_DEV_GPU_TEMP', 'Cel', (t) => 65 + wobble(t)),
    ]),
    metricsOf('dcgm-exporter', 'node-7', [gauge('DCGM_FI_DEV_GPU_UTIL', '%', (t) => 80 + wobble(t))]),
  ],
});

function lanesOf(traceId: string): MetricLane[] {
  const dbPath = path.join(tempDir(), 'lanes.db');
  const writer = new IngestWriter(openWriter(dbPath));
  writer.write([decodeJson('traces', traces), decodeJson('metrics', metrics)]);
  const lanes = new TraceQueries(openReader(dbPath)).traceMetrics(traceId);
  assert.ok(lanes);
  return lanes;
}

/** What the lanes panel shows by default: the best few above the threshold. */
function shownByDefault(lanes: MetricLane[]): string[] {
  return lanes
    .filter((l) => l.relevance >= LANE_DEFAULT_MIN_RELEVANCE)
    .slice(0, LANE_DEFAULT_COUNT)
    .map((l) => `${l.name}@${l.host}`);
}

test('a trace that waited on a storage read gets its host’s storage series first', () => {
  const lanes = lanesOf(STORAGE_TRACE);
  const relevances = lanes.map((l) => l.relevance);
  assert.deepEqual(
    relevances,
    [...relevances].sort((a, b) => b - a),
    'best first',
  );
  const top = lanes[0]!;
  assert.equal(`${top.name}@${top.host}`, 'feature_store.read.duration@node-2');
  assert.equal(top.kind, 'storage');
  assert.equal(top.scope, 'resource');
  assert.match(top.why, /host node-2 of the slow span feature-store\.read/);
  assert.match(top.why, /rose around the trace/);
  const shown = shownByDefault(lanes);
  assert.ok(shown.length <= LANE_DEFAULT_COUNT);
  assert.ok(!shown.some((s) => s.endsWith('@node-1')), `no other host of the service by default: ${shown.join(', ')}`);
  const other = lanes.filter((l) => l.host === 'node-1');
  assert.equal(other.length, 2, 'the service’s other host stays available');
  for (const l of other) {
    assert.equal(l.scope, 'other-host');
    assert.ok(l.relevance < LANE_DEFAULT_MIN_RELEVANCE, `${l.name}@node-1: ${l.relevance}`);
    assert.match(l.why, /another host of ranker/);
  }
  assert.ok(!lanes.some((l) => l.host === 'node-7'), 'a host the trace never touched, of another service, is not offered');
  const storage = lanes.findIndex((l) => l.kind === 'storage' && l.host === 'node-2');
  const gpu = lanes.findIndex((l) => l.kind === 'gpu' && l.host === 'node-2');
  assert.ok(storage < gpu, 'storage before GPU for a storage wait');
  // The lane's points reach well before and after the trace, for context.
  assert.ok(top.points[0]!.timeMs < STORAGE_AT - 5 * 60_000);
  assert.ok(top.points.at(-1)!.timeMs > STORAGE_AT + 5 * 60_000);
  assert.equal(top.measure, 'interval mean');
  assert.ok(
    top.points.every((p) => p.startMs !== undefined && p.startMs < p.timeMs),
    'an interval mean says which interval it covers',
  );
});

test('a trace that waited on inference gets its host’s GPU series first, the one that moved before the flat one', () => {
  const lanes = lanesOf(GPU_TRACE);
  const shown = shownByDefault(lanes);
  assert.equal(shown[0], 'DCGM_FI_DEV_GPU_TEMP@node-2', shown.join(', '));
  assert.match(lanes[0]!.why, /host node-2 of the slow span model\.infer \(GPU, 460 ms\); rose around the trace/);
  const gpuOfHost = lanes.filter((l) => l.kind === 'gpu' && l.host === 'node-2').map((l) => l.name);
  assert.deepEqual(gpuOfHost.slice(0, 1), ['DCGM_FI_DEV_GPU_TEMP'], 'the gauge that rose first');
  assert.ok(gpuOfHost.includes('DCGM_FI_DEV_GPU_UTIL'), 'another service’s series on the trace’s host is offered');
  assert.ok(
    shown.every((s) => s.endsWith('@node-2')),
    shown.join(', '),
  );
  const util = lanes.find((l) => l.name === 'DCGM_FI_DEV_GPU_UTIL')!;
  assert.equal(util.scope, 'host');
  const storage = lanes.find((l) => l.kind === 'storage' && l.host === 'node-2')!;
  assert.ok(storage.relevance < util.relevance, 'the flat storage series ranks under the host’s GPU series');
});

test('spans and series are sorted into the same kinds of work', () => {
  assert.equal(spanWork('SELECT users', 3, { 'db.system': 'postgresql' }), 'storage');
  assert.equal(spanWork('GetObject', 3, { 'rpc.service': 'S3' }), 'storage');
  assert.equal(spanWork('feature_store.get', 1, {}), 'storage');
  assert.equal(spanWork('model.infer', 1, {}), 'gpu');
  assert.equal(spanWork('predict', 1, { 'ml.model.name': 'ranker' }), 'gpu');
  assert.equal(spanWork('kernel', 1, { 'gpu.id': '0' }), 'gpu');
  assert.equal(spanWork('embedding.lookup', 3, { 'rpc.service': 'EmbeddingService' }), 'network');
  assert.equal(spanWork('orders publish', 4, {}), 'queue');
  assert.equal(spanWork('POST /rank', 2, {}), null);
  assert.equal(seriesKind('DCGM_FI_DEV_GPU_TEMP', {}), 'gpu');
  assert.equal(seriesKind('hw.gpu.utilization', {}), 'gpu');
  assert.equal(seriesKind('feature_store.read.duration', {}), 'storage');
  assert.equal(seriesKind('read.duration', { 'rpc.service': 'S3' }), 'storage');
  assert.equal(seriesKind('system.disk.io', {}), 'storage');
  assert.equal(seriesKind('system.network.io', {}), 'network');
  assert.equal(seriesKind('process.cpu.utilization', {}), 'compute');
  assert.equal(seriesKind('http.server.active_requests', {}), 'network');
  assert.equal(seriesKind('orders.processed', {}), 'other');
});

test('a move around the trace counts only against a lookback that says what is usual', () => {
  const flat = Array.from({ length: 20 }, (_, i) => ({ timeMs: i * 30_000, value: 10 + (i % 3) * 0.1 }));
  const traceAt = 15 * 30_000 + 5_000;
  assert.equal(changeAroundTrace(flat, traceAt, traceAt + 500).change, 0, 'noise is no change');
  const spike = flat.map((p, i) => (i === 16 ? { ...p, value: 30 } : p));
  const moved = changeAroundTrace(spike, traceAt, traceAt + 500);
  assert.equal(moved.change, 1);
  assert.equal(moved.rose, true);
  assert.equal(changeAroundTrace(spike.slice(14), traceAt, traceAt + 500).change, 0, 'no lookback, no claim');
});
