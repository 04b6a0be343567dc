/**
 * Issue #17 end to end: a RAG service made with the OpenTelemetry SDK and the GenAI
 * conventions (test/scenarios/genai-traffic.ts) sends two hours of traffic per scenario over
 * OTLP/HTTP protobuf (traces, DCGM metrics, evaluation results as log records) to a running
 * `sightline serve`, and `sightline analyze --json` must name, for the chat model:
 * a throttled GPU for answers cut at `length`; a slow vector store for answers that lost
 * their grounding (with a GPU that slowed at the same time named as a coincidence); and
 * nothing at all for the quiet run or for any of the embedding models.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import fs from 'node:fs';
import { apiResult, cliJson, runCli, startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { GENAI_SCENARIOS, generateGenAiScenario, PRIVATE_PROMPT, type GenAiScenario, type GenAiScenarioTruth } from '../scenarios/genai-traffic.js';
import type { AlertPreview } from '../../shared/model/alert-preview.js';
import type { Finding } from '../../shared/model/analysis.js';
import type { GenAiOverview } from '../../shared/model/genai.js';

let serve: ServeProcess;
let dbPath: string;
const truths = new Map<GenAiScenario, GenAiScenarioTruth>();
let findings: Finding[];

before(async () => {
  dbPath = path.join(tempDir('sightline-genai-'), 'genai.db');
  serve = await startServe(dbPath);
  const base = `http://127.0.0.1:${serve.ports.otlpHttp}`;
  for (const [k, scenario] of GENAI_SCENARIOS.entries()) {
    const sinks = {
      spans: new OTLPTraceExporter({ url: `${base}/v1/traces` }),
      metrics: new OTLPMetricExporter({ url: `${base}/v1/metrics` }),
      logs: new OTLPLogExporter({ url: `${base}/v1/logs` }),
    };
    truths.set(scenario, await generateGenAiScenario({ scenario, seed: 11 + k }, sinks));
  }
  findings = (await cliJson<{ findings: Finding[] }>(['analyze', '--db', dbPath, '--json'])).findings;
});
after(async () => serve?.stop());

const TOLERANCE_MS = 8 * 60_000;

function describe(fs: Finding[]): string {
  return JSON.stringify(
    fs.map((f) => ({ model: f.model, start: f.start, end: f.end, signals: f.signals.map((s) => s.signal), causes: f.causes.map((c) => c.factor) })),
  );
}

for (const scenario of GENAI_SCENARIOS) {
  test(`GenAI scenario ${scenario}: ${scenario === 'genai-quiet' ? 'no finding' : 'the planted cause is named first'}`, () => {
    const truth = truths.get(scenario)!;
    const embedder = findings.filter((f) => f.model === truth.embedder);
    assert.deepEqual(embedder, [], `the embedding model did not change: ${describe(embedder)}`);
    const found = findings.filter((f) => f.model === truth.model);
    if (!truth.expectDrift) {
      assert.deepEqual(found, [], `nothing changed, nothing found: ${describe(found)}`);
      return;
    }
    assert.equal(found.length, 1, describe(found));
    const f = found[0]!;
    assert.ok(Math.abs(Date.parse(f.start) - truth.incident!.startMs) <= TOLERANCE_MS, `starts ${f.start}`);
    assert.ok(Math.abs(Date.parse(f.end) - truth.incident!.endMs) <= TOLERANCE_MS, `ends ${f.end}`);
    const signals = f.signals.map((s) => s.signal);
    assert.ok(
      signals.some((s) => truth.expectedSignal!.test(s)),
      `the quality signal ${truth.expectedSignal} drifts: ${signals.join(', ')}`,
    );
    assert.ok(
      signals.slice(0, 1).every((s) => s.startsWith('quality:')),
      `a language model's finding is about its quality first: ${signals.join(', ')}`,
    );
    const roots = f.causes.filter((c) => c.role === 'root');
    const top = roots[0];
    assert.ok(top, `a cause is named: ${f.note}`);
    assert.equal(top.kind, truth.expectedCause, `top cause ${top.factor} (${top.kind}); ${f.note}`);
    assert.match(top.factor, truth.expectedFactor!);
    if (truth.coincidentFactor) {
      assert.ok(
        !roots.some((c) => truth.coincidentFactor!.test(c.factor)),
        `the GPU slowed too but explains nothing: ${roots.map((c) => c.factor).join(', ')}`,
      );
      assert.ok(
        f.coincident.some((c) => truth.coincidentFactor!.test(c.factor)),
        `and is said to have changed at the same time: ${f.coincident.map((c) => c.factor).join(', ')}`,
      );
    }
  });
}

const api = <T>(method: string, body: object): Promise<T> => apiResult<T>(serve, method, body);

test('the GenAI view: per model and operation, the throttled hour shows in the series, with exemplar traces that open', async () => {
  const truth = truths.get('llm-gpu-throttle')!;
  const view = await api<GenAiOverview>('genAiOverview', { fromMs: truth.startMs, toMs: truth.endMs, buckets: 24 });
  const chat = view.groups.find((g) => g.model === truth.model && g.operation === 'chat');
  const embeddings = view.groups.find((g) => g.model === truth.embedder && g.operation === 'embeddings');
  assert.ok(chat && embeddings, view.groups.map((g) => `${g.model}/${g.operation}`).join(', '));
  assert.equal(chat.calls, truth.requests);
  assert.equal(embeddings.calls, truth.requests);
  assert.deepEqual(chat.services, ['rag-api']);
  assert.ok(chat.latencyMs.p50! > 2000 && chat.latencyMs.p95! > chat.latencyMs.p50!, JSON.stringify(chat.latencyMs));
  assert.ok(chat.timeToFirstTokenMs.p50! > 50, JSON.stringify(chat.timeToFirstTokenMs));
  assert.deepEqual(
    chat.finishReasons.map((f) => f.reason),
    ['stop', 'length'],
  );
  assert.deepEqual(
    chat.evaluations.map((e) => e.name),
    ['groundedness', 'relevance'],
  );
  assert.equal(chat.retrieval?.requests, truth.requests);
  assert.equal(chat.retrieval?.emptyShare, 0, 'no search failed in this run');
  assert.equal(embeddings.retrieval, null, 'the question was embedded before the search');
  // 24 buckets of 5 minutes: the incident (minutes 50 to 90) is buckets 10 to 17; answers are cut there.
  const cut = chat.series.truncatedShare;
  const inIncident = cut.slice(10, 18).map((v) => v!);
  const outside = [...cut.slice(0, 10), ...cut.slice(18)].map((v) => v!);
  assert.ok(Math.min(...inIncident) > 3 * Math.max(...outside), `truncated share per bucket: ${cut.join(' ')}`);
  assert.ok(chat.series.outputTokensPerSecondP50[12]! < chat.series.outputTokensPerSecondP50[2]!, 'slower generation in the incident');
  assert.equal(chat.exemplars.truncated.length, 5);
  assert.equal(chat.exemplars.slowest.length, 5);
  const slowest = chat.exemplars.slowest[0]!;
  assert.ok(Number(slowest.value) >= chat.latencyMs.p95!, 'the slowest call is an example of slowness');
  const detail = await api<{ spans: unknown[] } | null>('getTrace', { traceId: slowest.traceId });
  assert.ok(detail && detail.spans.length >= 5, 'an exemplar opens as a trace');
});

test('prompts and answers stay private: redacted when stored, absent from exports and reports; a GenAI finding is reported and alerts', async () => {
  const truth = truths.get('rag-vector-slowdown')!;
  const view = await api<GenAiOverview>('genAiOverview', { model: truth.model });
  const traceId = view.groups[0]!.exemplars.slowest[0]!.traceId;
  const exported = JSON.stringify(await api<object>('exportTrace', { traceId }));
  assert.match(exported, /gen_ai\.input\.messages/, 'the attribute is kept, its content is not');
  assert.ok(!exported.includes('jane.doe@example.com') && !exported.includes('4481-2290'), 'the prompt is redacted by default');
  assert.ok(!exported.includes('Settings → Account'), 'so is the answer');

  const dir = tempDir('sightline-genai-report-');
  const html = path.join(dir, 'rag.html');
  const r = await runCli(['report', '--db', dbPath, '--out', html, '--model', truth.model, '--key-dir', path.join(dir, 'keys')]);
  assert.equal(r.code, 0, r.stderr);
  const text = fs.readFileSync(html, 'utf8');
  assert.match(text, new RegExp(`${truth.model}[^<]*·`), 'the finding of the language model is in the report');
  assert.match(text, /quality:eval\.groundedness/);
  assert.match(text, /search docs/);
  assert.ok(!text.includes(PRIVATE_PROMPT.slice(0, 30)) && !text.includes('jane.doe@example.com'), 'no prompt text in the report');

  const preview = await api<AlertPreview>('previewAlertRule', {
    rule: { name: 'assistant quality', kind: 'drift', model: truth.model, threshold: 1, forSeconds: 0, windowSeconds: 600 },
  });
  assert.ok(preview.firings.length >= 1, `a drift rule on the language model would have fired: ${JSON.stringify(preview.firings)}`);
  const firing = preview.firings[0]!;
  assert.ok(Math.abs(firing.fromMs - truth.incident!.startMs) < 15 * 60_000, `fires from ${new Date(firing.fromMs).toISOString()}`);
});

test('sightline genai prints the same numbers for automation, and as text', async () => {
  const truth = truths.get('llm-gpu-throttle')!;
  const json = await cliJson<GenAiOverview>(['genai', '--db', dbPath, '--model', truth.model, '--json']);
  assert.deepEqual(
    json.groups.map((g) => g.operation),
    ['chat'],
  );
  assert.equal(json.groups[0]!.calls, truth.requests);
  const text = await runCli(['genai', '--db', dbPath, '--model', truth.model]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`${truth.model} \\(chat\\) · rag-api: 6,000 calls`));
  assert.match(text.stdout, /finish reasons stop [\d,]+, length [\d,]+ · cut at the limit \d+\.\d%/);
  assert.match(text.stdout, /evaluation groundedness: 6,000 results, mean 0\.\d+ \(grounded \d+/);
  assert.match(text.stdout, /slowest: trace [0-9a-f]{32}/);
  const none = await runCli(['genai', '--db', dbPath, '--model', 'no-such-model']);
  assert.match(none.stdout, /No language model calls in scope/);
});
