/**
 * The heart of Sightline, end to end: the scenario generator sends two hours of inference
 * traffic for five scenarios through the OpenTelemetry SDK (OTLP/HTTP protobuf: traces,
 * DCGM metrics, ground-truth logs) to a running `sightline serve`, and `sightline analyze`
 * must find each planted incident in the right window with the right top cause, and stay
 * quiet where nothing (or only a harmless rollout) happened.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { cliJson, runCli, startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { generateScenario, SCENARIOS, type ScenarioName, type ScenarioTruth } from '../scenarios/inference-traffic.js';
import type { AnalysisResult, Finding } from '../../shared/model/analysis.js';
import type { OtlpJsonTraces } from '../../electron/core/store/otlp-trace-export.js';

let serve: ServeProcess;
let dbPath: string;
const truths = new Map<ScenarioName, ScenarioTruth>();
let findings: Finding[];

before(async () => {
  dbPath = path.join(tempDir(), 'drift.db');
  serve = await startServe(dbPath);
  const base = `http://127.0.0.1:${serve.ports.otlpHttp}`;
  for (const [k, scenario] of SCENARIOS.entries()) {
    const sinks = {
      spans: new OTLPTraceExporter({ url: `${base}/v1/traces` }),
      metrics: new OTLPMetricExporter({ url: `${base}/v1/metrics` }),
      logs: new OTLPLogExporter({ url: `${base}/v1/logs` }),
    };
    truths.set(scenario, await generateScenario({ scenario, seed: 7 + k }, sinks));
  }
  // Analysis runs on the file while serve keeps it open (read-only WAL reader).
  findings = (await cliJson<{ findings: Finding[] }>(['analyze', '--db', dbPath, '--json'])).findings;
});
after(async () => serve.stop());

const WINDOW_TOLERANCE_MS = 8 * 60_000; // a window is 6 minutes at this volume

function findingsOf(scenario: ScenarioName): Finding[] {
  return findings.filter((f) => f.model === truths.get(scenario)!.model);
}

function assertIncidentFound(scenario: ScenarioName): Finding {
  const truth = truths.get(scenario)!;
  const found = findingsOf(scenario);
  assert.equal(found.length, 1, `${scenario}: one finding expected, got ${JSON.stringify(found.map((f) => [f.start, f.end]))}`);
  const f = found[0]!;
  assert.ok(
    Math.abs(Date.parse(f.start) - truth.incident!.startMs) <= WINDOW_TOLERANCE_MS,
    `${scenario}: starts ${f.start}, incident ${new Date(truth.incident!.startMs).toISOString()}`,
  );
  assert.ok(
    Math.abs(Date.parse(f.end) - truth.incident!.endMs) <= WINDOW_TOLERANCE_MS,
    `${scenario}: ends ${f.end}, incident ${new Date(truth.incident!.endMs).toISOString()}`,
  );
  for (const s of f.signals)
    assert.ok(s.statistic >= s.threshold || (s.pValue !== null && s.pValue < s.threshold), `signal ${s.signal} is reported as drifted`);
  return f;
}

test('storage slowdown: drift found in the incident window, storage ranked first, with evidence', () => {
  const f = assertIncidentFound('storage-slowdown');
  assert.ok(
    f.signals.some((s) => s.signal === 'score'),
    'the score drifted',
  );
  assert.ok(
    f.signals.some((s) => s.signal === 'feature:user_ctr'),
    'the defaulted feature drifted',
  );
  const top = f.causes[0]!;
  assert.equal(top.kind, 'storage');
  assert.match(top.factor, /^feature-store\.read /);
  assert.ok(top.explainedShare >= 0.6, `explains ${top.explainedShare}`);
  assert.ok(top.pValue < 0.05 && top.effectSize >= 0.2);
  assert.ok(top.evidence.hitRateWindow > 0.2 && top.evidence.hitRateBaseline < 0.02, JSON.stringify(top.evidence));
  assert.ok(top.evidence.driftAfter < top.evidence.driftBefore / 2);
  assert.ok(top.evidence.anomalyScore > 3.5, `robust anomaly score ${top.evidence.anomalyScore}`);
  assert.ok(
    top.evidence.lagCorrelation > 0.8 && Math.abs(top.evidence.lagWindows) <= 1,
    `lagged correlation ${top.evidence.lagCorrelation} at ${top.evidence.lagWindows}`,
  );
  assert.equal(top.exemplarTraceIds.length, 5);
  assert.ok(top.exemplarTraceIds.every((id) => /^[0-9a-f]{32}$/.test(id)));
  assert.match(f.note, /% of the drift goes away when requests (with|whose) feature-store\.read.* are replaced by requests of the same minutes without it/);
  // The hosts' latency histogram (a metric series, aligned by host and time) rose with it. It
  // hits most requests in the window, so it ranks below the per-request evidence, or is
  // reported as context when leaving its requests out leaves too few to compare.
  const histogram = [...f.causes, ...f.context].find((c) => c.factor === 'metric feature_store.read.duration')!;
  assert.ok(histogram, `causes and context: ${JSON.stringify([...f.causes, ...f.context].map((c) => c.factor))}`);
  assert.equal(histogram.kind, 'storage');
  assert.ok(histogram.evidence.hitRateWindow > 0.8, JSON.stringify(histogram.evidence));
  assert.ok(histogram.evidence.windowP95! > 3 * histogram.evidence.baselineP95!, JSON.stringify(histogram.evidence));
});

test('exemplar traces of a cause are real traces with the slow storage read', async () => {
  const f = findingsOf('storage-slowdown')[0]!;
  const trace = await cliJson<OtlpJsonTraces>(['trace', '--db', dbPath, f.causes[0]!.exemplarTraceIds[0]!, '--json']);
  const spans = trace.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
  const read = spans.find((s) => s.name === 'feature-store.read')!;
  const durationMs = Number(BigInt(read.endTimeUnixNano) - BigInt(read.startTimeUnixNano)) / 1e6;
  assert.ok(durationMs >= 500, `read took ${durationMs} ms`);
  assert.equal(read.status?.code, 2, 'the read failed (timeout)');
});

test('GPU throttling: fallback to the lite model is found, GPU ranked first', () => {
  const f = assertIncidentFound('gpu-throttle');
  assert.deepEqual([...f.versions].sort(), ['lite', 'v1']);
  assert.ok(
    f.signals.some((s) => s.signal === 'version_mix'),
    'the version mix changed',
  );
  assert.equal(f.causes[0]!.kind, 'gpu');
  assert.ok(f.causes[0]!.explainedShare >= 0.6);
  assert.ok(
    [...f.causes.flatMap((c) => c.corroboratedBy ?? []), ...f.context.map((c) => c.factor)].some((name) => name.startsWith('metric DCGM_')),
    'the DCGM metric series, aligned per host, corroborates the per-request evidence',
  );
  assert.ok(
    f.causes.some((c) => c.factor === 'event model.fallback'),
    'the fallback events are evidence too',
  );
});

test('drift without an infrastructure cause: found, and no cause is claimed', () => {
  const f = assertIncidentFound('drift-no-infra');
  assert.deepEqual(f.causes, []);
  assert.match(f.note, /No infrastructure factor explains this drift/);
});

test('a rollout without drift and a quiet service give no finding', () => {
  assert.deepEqual(findingsOf('rollout-no-drift'), []);
  assert.deepEqual(findingsOf('quiet'), []);
});

test('baselines: another version, or a pinned period', async () => {
  const rollout = truths.get('rollout-no-drift')!;
  const vsV1 = await cliJson<AnalysisResult>(['analyze', '--db', dbPath, '--json', '--timelines', '--model', rollout.model, '--baseline-version', 'v1']);
  assert.deepEqual(vsV1.findings, [], 'v2 behaves like v1');
  assert.equal(vsV1.models[0]!.baseline.count, vsV1.models[0]!.versions.find((v) => v.version === 'v1')!.count);
  const gpu = truths.get('gpu-throttle')!;
  const liteVsV1 = await cliJson<{ findings: Finding[] }>(['analyze', '--db', dbPath, '--json', '--model', gpu.model, '--baseline-version', 'v1']);
  assert.equal(liteVsV1.findings.length, 1, 'the lite model scores differently from v1');
  assert.deepEqual(liteVsV1.findings[0]!.versions, ['lite']);
  // A baseline pinned inside the incident makes the healthy periods look drifted instead.
  const storage = truths.get('storage-slowdown')!;
  const pinned = await cliJson<{ findings: Finding[] }>([
    'analyze',
    '--db',
    dbPath,
    '--json',
    '--model',
    storage.model,
    '--baseline-from',
    new Date(storage.incident!.startMs + 5 * 60_000).toISOString(),
    '--baseline-to',
    new Date(storage.incident!.endMs - 5 * 60_000).toISOString(),
  ]);
  assert.ok(pinned.findings.length >= 1);
  assert.ok(
    pinned.findings.every((f) => Date.parse(f.end) <= storage.incident!.startMs + 8 * 60_000 || Date.parse(f.start) >= storage.incident!.endMs - 8 * 60_000),
    'drift is found outside the pinned incident',
  );
  const both = await runCli([
    'analyze',
    '--db',
    dbPath,
    '--baseline-version',
    'v1',
    '--baseline-from',
    '2026-01-01T00:00:00Z',
    '--baseline-to',
    '2026-01-02T00:00:00Z',
  ]);
  assert.match(both.stderr, /choose one baseline/);
});

test('timelines carry volumes per version and ground-truth quality per window', async () => {
  const r = await cliJson<AnalysisResult>(['analyze', '--db', dbPath, '--json', '--timelines', '--model', truths.get('rollout-no-drift')!.model]);
  assert.equal(r.findings.length, 0);
  const m = r.models[0]!;
  assert.deepEqual(m.versions.map((v) => v.version).sort(), ['v1', 'v2']);
  const first = m.windows[0]!;
  const last = m.windows[m.windows.length - 1]!;
  const v2 = m.versions.findIndex((v) => v.version === 'v2');
  assert.equal(first.versionCounts[v2], 0, 'v2 was not served at first');
  assert.ok(last.versionCounts[v2]! > last.count * 0.9, 'v2 serves nearly everything at the end');
  assert.ok(first.actuals > 50 && first.accuracy !== null && first.accuracy > 0.4 && first.f1 !== null, JSON.stringify(first));
});

test('analyze scope and errors: unknown dataset, no predictions, bad option', async () => {
  const none = await cliJson<{ findings: Finding[] }>(['analyze', '--db', dbPath, '--json', '--model', 'no-such-model']);
  assert.deepEqual(none, { findings: [] });
  const bad = await runCli(['analyze', '--db', dbPath, '--dataset', 'nope']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /no dataset named "nope"/);
  const alpha = await runCli(['analyze', '--db', dbPath, '--alpha', 'x']);
  assert.notEqual(alpha.code, 0);
  assert.match(alpha.stderr, /--alpha takes a positive number/);
});
