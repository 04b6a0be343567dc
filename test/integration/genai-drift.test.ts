/**
 * Issue #17: the drift question asked of a language model. Synthetic OTLP traffic of a RAG
 * service (a vector-store search, a chat call with the GenAI attributes, the GPU work under it),
 * four hours of it: in one model, an hour where half the requests run on a throttled GPU and
 * most of those answers are cut at `length`; in another, nothing changes. The share of answers
 * cut is a quality signal, so the truncation drifts (and output tokens per second with it), and the
 * attribution names the GPU first; the quiet model has no finding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from '../helpers/serve-process.js';
import { openReader, openWriter } from '../../electron/core/store/open-store.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { ensureDataset } from '../../electron/core/store/datasets.js';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import { analyze } from '../../electron/core/analysis/analyze.js';
import { seededRandom } from '../../electron/core/stats/significance.js';

const HOUR_MS = 3_600_000;
const START_MS = Date.UTC(2026, 10, 2, 8);
const INCIDENT = { fromMs: START_MS + 2.5 * HOUR_MS, toMs: START_MS + 3.5 * HOUR_MS };
const EVERY_MS = 3000;

type Attr = { key: string; value: Record<string, unknown> };
const s = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const i = (key: string, v: number): Attr => ({ key, value: { intValue: String(Math.round(v)) } });
const d = (key: string, v: number): Attr => ({ key, value: { doubleValue: v } });
const b = (key: string, v: boolean): Attr => ({ key, value: { boolValue: v } });
const ns = (ms: number): string => String(BigInt(Math.round(ms * 1000)) * 1000n);

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** One request of `model`: the spans of three services, and whether its GPU was throttled. */
function request(model: string, modelIndex: number, n: number, atMs: number, r: () => number, incident: boolean) {
  const traceId = hex(modelIndex + 1, 8) + hex(n, 24);
  const id = (k: number): string => hex(n * 8 + k, 16);
  const throttled = incident && r() < 0.5;
  const searchMs = 15 + r() * 10;
  const generateMs = (250 + r() * 150) * (throttled ? 3 : 1);
  const truncated = throttled ? r() < 0.8 : r() < 0.03;
  const outputTokens = truncated ? 256 : 60 + Math.floor(r() * 140);
  const t0 = atMs;
  const t1 = t0 + 2;
  const t2 = t1 + searchMs + 1;
  const t3 = t2 + generateMs + 5;
  const span = (spanId: string, parent: string | undefined, name: string, kind: number, from: number, to: number, attributes: Attr[]) => ({
    traceId,
    spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name,
    kind,
    startTimeUnixNano: ns(from),
    endTimeUnixNano: ns(to),
    attributes,
  });
  return [
    { service: 'rag-api', span: span(id(1), undefined, 'POST /chat', 2, t0, t3 + 2, [s('http.request.method', 'POST')]) },
    {
      service: 'rag-api',
      span: span(id(2), id(1), 'search documents', 3, t1, t1 + searchMs, [
        s('db.system', 'qdrant'),
        s('db.operation', 'search'),
        i('retrieval.documents.count', 5),
      ]),
    },
    {
      service: 'rag-api',
      span: span(id(3), id(1), `chat ${model}`, 3, t2, t3, [
        s('gen_ai.operation.name', 'chat'),
        s('gen_ai.provider.name', 'vllm'),
        s('gen_ai.request.model', model),
        s('gen_ai.response.model', model),
        i('gen_ai.request.max_tokens', 256),
        i('gen_ai.usage.input_tokens', 700 + r() * 200),
        i('gen_ai.usage.output_tokens', outputTokens),
        { key: 'gen_ai.response.finish_reasons', value: { arrayValue: { values: [{ stringValue: truncated ? 'length' : 'stop' }] } } },
      ]),
    },
    {
      service: 'llm-server',
      span: span(id(4), id(3), 'generate', 1, t2 + 2, t2 + 2 + generateMs, [
        d('gpu.utilization', 0.6 + r() * 0.3),
        d('gpu.temperature_c', throttled ? 88 + r() * 4 : 62 + r() * 6),
        b('gpu.throttled', throttled),
      ]),
    },
  ];
}

test('a language model whose answers are cut at length while its GPU throttles: the truncation drifts and the GPU is named; a quiet model has no finding', async () => {
  const dbPath = path.join(tempDir('sightline-genai-'), 'genai.db');
  const db = openWriter(dbPath);
  const writer = new IngestWriter(db);
  const dataset = ensureDataset(db, 'genai', 'import', 'genai-drift test');
  const models = [
    { name: 'llama-rag', incident: true },
    { name: 'llama-quiet', incident: false },
  ];
  models.forEach((model, m) => {
    const r = seededRandom(17 + m);
    const requests = Math.floor((4 * HOUR_MS) / EVERY_MS);
    for (let from = 0; from < requests; from += 300) {
      const byService = new Map<string, object[]>();
      for (let n = from; n < Math.min(requests, from + 300); n++) {
        const atMs = START_MS + n * EVERY_MS + r() * 1000;
        const incident = model.incident && atMs >= INCIDENT.fromMs && atMs < INCIDENT.toMs;
        for (const x of request(model.name, m, n, atMs, r, incident)) {
          if (!byService.has(x.service)) byService.set(x.service, []);
          byService.get(x.service)!.push(x.span);
        }
      }
      const body = {
        resourceSpans: [...byService].map(([service, spans]) => ({
          resource: { attributes: [s('service.name', service), s('host.name', `${service}-1`)] },
          scopeSpans: [{ spans }],
        })),
      };
      writer.write([decodeJson('traces', JSON.stringify(body))], dataset.id);
    }
  });
  db.close();
  const reader = openReader(dbPath);
  const result = await analyze(reader);
  reader.close();

  assert.deepEqual(
    result.findings.filter((f) => f.model === 'llama-quiet').map((f) => f.signals.map((x) => x.signal)),
    [],
    'nothing changed, nothing found',
  );
  const found = result.findings.filter((f) => f.model === 'llama-rag');
  assert.equal(found.length, 1, JSON.stringify(found.map((f) => [f.start, f.end, f.signals.map((x) => x.signal)])));
  const f = found[0]!;
  const signals = f.signals.map((x) => x.signal);
  assert.ok(signals.includes('quality:truncated'), `the share of answers cut at length drifts: ${signals.join(', ')}`);
  assert.ok(signals.includes('feature:output_tokens_per_s'), `so does the generation rate: ${signals.join(', ')}`);
  assert.ok(Math.abs(Date.parse(f.start) - INCIDENT.fromMs) < 10 * 60_000, `starts ${f.start}`);
  assert.ok(Math.abs(Date.parse(f.end) - INCIDENT.toMs) < 10 * 60_000, `ends ${f.end}`);
  const top = f.causes[0];
  assert.ok(top, `a cause is named: ${f.note}`);
  assert.equal(top.kind, 'gpu', `top cause ${top.factor} (${top.kind}); all: ${f.causes.map((c) => c.factor).join(', ')}`);
  assert.ok(!f.causes.some((c) => c.role === 'root' && /search documents/.test(c.factor)), 'the vector store did not change and is not a cause');
});
