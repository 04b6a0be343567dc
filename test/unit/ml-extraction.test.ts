/**
 * The ML lens at ingest: predictions under Sightline's names and the aliases seen in the
 * wild, features from prefixes and JSON objects, a user mapping stored in settings that the
 * running writer picks up, ground truth from logs, infrastructure factors from spans, and
 * rebuilding everything from spans (after a mapping change, or for a schema-1 store).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openWriter } from '../../electron/core/store/open-store.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import { MIGRATIONS } from '../../electron/core/store/migrations.js';
import { extractPrediction } from '../../electron/core/ml/extract-prediction.js';
import { classifyFactors, factorsNeedAttributes, spanClass } from '../../electron/core/ml/classify-factors.js';
import { parseUserMapping, writeUserMapping } from '../../electron/core/ml/mapping-settings.js';
import { reextractMlIndex } from '../../electron/core/ml/reextract.js';
import { deleteDataset } from '../../electron/core/store/datasets.js';
import { DEFAULT_ML_MAPPING, mergeMapping } from '../../shared/model/ml-mapping.js';
import { tempDir } from '../helpers/serve-process.js';
import { undoMigrationsAfter } from '../helpers/older-store.js';

type Attr = { key: string; value: Record<string, unknown> };
const str = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const dbl = (key: string, v: number): Attr => ({ key, value: { doubleValue: v } });
let spanCounter = 0;

function traces(spans: { name: string; attrs: Attr[]; kind?: number; status?: number; ms?: number; events?: object[] }[], host = 'node-1'): string {
  const traceId = (++spanCounter).toString(16).padStart(32, '0');
  const t0 = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'ranker-api'), str('host.name', host)] },
        scopeSpans: [
          {
            scope: { name: 't' },
            spans: spans.map((s, i) => ({
              traceId,
              spanId: (++spanCounter).toString(16).padStart(16, '0'),
              name: s.name,
              kind: s.kind ?? 1,
              startTimeUnixNano: String(t0 + BigInt(i)),
              endTimeUnixNano: String(t0 + BigInt(i) + BigInt(Math.round((s.ms ?? 1) * 1e6))),
              attributes: s.attrs,
              status: { code: s.status ?? 0, message: s.status === 2 ? 'deadline exceeded' : '' },
              events: s.events ?? [],
            })),
          },
        ],
      },
    ],
  });
}

test('predictions are read under ml.* names and common aliases, features from prefixes and JSON objects', () => {
  const m = mergeMapping({});
  assert.deepEqual(
    extractPrediction(
      { 'ml.model.name': 'ranker', 'ml.model.version': 'v2', 'ml.prediction.score': 0.7, 'ml.feature.ctr': 0.1, 'ml.feature.device': 'ios' },
      m,
    ),
    {
      modelName: 'ranker',
      modelVersion: 'v2',
      score: 0.7,
      label: null,
      confidence: null,
      predictionId: null,
      features: { ctr: 0.1, device: 'ios' },
    },
  );
  const alias = extractPrediction(
    {
      'gen_ai.request.model': 'gpt-x',
      model_version: '3',
      prediction: '0.25',
      predicted_label: 'spam',
      confidence: 0.9,
      'model.input_features': '{"len": 42, "lang": "en"}',
    },
    m,
  )!;
  assert.equal(alias.modelName, 'gpt-x');
  assert.equal(alias.modelVersion, '3');
  assert.equal(alias.score, 0.25, 'a numeric string is a score');
  assert.equal(alias.label, 'spam');
  assert.deepEqual(alias.features, { len: 42, lang: 'en' });
  assert.equal(extractPrediction({ 'ml.model.name': 'ranker' }, m), null, 'no score and no label: not a prediction');
  assert.equal(extractPrediction({ 'ml.prediction.score': 0.3 }, m), null, 'no model: not a prediction');
  assert.equal(
    extractPrediction({ 'model.name': 'r', 'prediction.score': 1, 'features.data': { a: 1 } }, m)!.features!.a,
    1,
    'a map value works as a feature object',
  );
});

test('user mapping: its names come first, bad files are refused with the reason', () => {
  const m = mergeMapping({ score: ['risk_score'], modelName: ['svc.model'] });
  assert.deepEqual(m.score.slice(0, 2), ['risk_score', DEFAULT_ML_MAPPING.score[0]]);
  assert.equal(extractPrediction({ 'svc.model': 'fraud', risk_score: 0.93 }, m)!.score, 0.93);
  assert.throws(() => parseUserMapping('{"score": "risk"}'), /score: /);
  assert.throws(() => parseUserMapping('{"nope": []}'), /not valid/);
  assert.throws(() => parseUserMapping('{'), /not JSON/);
});

test('infrastructure factors: storage, GPU, queue and network spans; errors, timeouts and fallback events', () => {
  const base = { kind: 1, durationMs: 12, statusCode: 0, statusMessage: '', attributesJson: '{}', eventsJson: null };
  assert.equal(spanClass({ ...base, name: 'GetObject', kind: 3 }, { 'rpc.service': 'S3' }), 'storage');
  assert.equal(spanClass({ ...base, name: 'SELECT users' }, { 'db.system': 'postgresql' }), 'storage');
  assert.equal(spanClass({ ...base, name: 'infer' }, { 'gpu.id': '0' }), 'gpu');
  assert.equal(spanClass({ ...base, name: 'publish', kind: 4 }, {}), 'queue');
  assert.equal(spanClass({ ...base, name: 'GET /users', kind: 3 }, { 'http.request.method': 'GET' }), 'network');
  assert.equal(spanClass({ ...base, name: 'tokenize' }, {}), null);
  const f = classifyFactors(
    { ...base, name: 'read', kind: 3, statusCode: 2, statusMessage: 'timeout after 500 ms', durationMs: 510 },
    { 'aws.s3.bucket': 'b', storage_latency_ms: 505 },
    [{ name: 'features.default_used' }],
  );
  assert.deepEqual(
    f.map((x) => `${x.kind} ${x.name} ${x.unit} ${x.value}`),
    [
      'storage read duration ms 510',
      'storage read storage_latency_ms ms 505',
      'storage read error count 1',
      'other event features.default_used count 1',
      'storage read timeout count 1',
    ],
  );
  const gpu = classifyFactors({ ...base, name: 'gpu.inference' }, { 'gpu.temperature_c': 91.5, 'gpu.throttled': true, 'ml.prediction.score': 0.4 }, []);
  assert.deepEqual(
    gpu.map((x) => `${x.kind} ${x.name} ${x.unit} ${x.value}`),
    ['gpu gpu.inference duration ms 12', 'gpu gpu.inference gpu.temperature_c  91.5', 'gpu gpu.inference gpu.throttled count 1'],
  );
});

test('a span whose attribute text shows nothing that classifies gets the same factors without parsing its attributes', () => {
  // Random spans over keys that matter (class prefixes, targets, measurements, in any case)
  // and keys that do not: whenever the text test says "no need", classifying with no
  // attributes must give exactly what classifying with them gives.
  const keys = [
    'db.system',
    'DB.System',
    'aws.s3.bucket',
    'gpu.temperature_c',
    'hw.gpu.power',
    'messaging.system',
    'rpc.service',
    'peer.service',
    'server.address',
    'error.type',
    'queue.wait_ms',
    'storage_latency_ms',
    'Latency',
    'net.ms',
    'http.route',
    'http.attr_3',
    'op.attr_1',
    'user.id',
    'ml.model.name',
    'model.memory',
    'thing',
    'db',
    'gpu',
    'rpc',
    'x.s3.y',
    'feature-store',
  ];
  const values = ['s3', 'feature-store', 'timeout', 'ok', 12.5, 3, true, false, 'bucket-9', 'redis'];
  let seed = 7;
  const r = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  let skipped = 0;
  for (let i = 0; i < 3000; i++) {
    const attrs: Record<string, unknown> = {};
    const n = Math.floor(r() * 5);
    for (let k = 0; k < n; k++) attrs[keys[Math.floor(r() * keys.length)]!] = values[Math.floor(r() * values.length)];
    const json = JSON.stringify(attrs);
    const span = {
      name: ['GET', 's3 GetObject', 'queue.pop', 'infer'][i % 4]!,
      kind: i % 6,
      durationMs: 5,
      statusCode: i % 7 === 0 ? 2 : 0,
      statusMessage: i % 5 === 0 ? 'deadline' : '',
      attributesJson: json,
      eventsJson: null,
    };
    const full = classifyFactors(span, attrs, []);
    if (factorsNeedAttributes(json)) continue;
    skipped++;
    assert.deepEqual(classifyFactors(span, {}, []), full, json);
  }
  assert.ok(skipped > 300, `only ${skipped} spans took the cheap path`);
});

test('the writer fills predictions, factors and ground truth; a mapping change reaches it and a rebuild applies it to old spans', () => {
  const dbPath = path.join(tempDir(), 'ml.db');
  const db = openWriter(dbPath);
  const writer = new IngestWriter(db);
  writer.write([
    decodeJson(
      'traces',
      traces(
        [
          { name: 'feature-store.read', kind: 3, ms: 700, status: 2, attrs: [str('rpc.service', 'S3')] },
          {
            name: 'model.predict',
            attrs: [
              str('ml.model.name', 'ranker'),
              str('ml.model.version', 'v1'),
              dbl('ml.prediction.score', 0.8),
              str('ml.prediction.id', 'p-1'),
              dbl('ml.feature.ctr', 0.05),
            ],
          },
        ],
        'gpu-7',
      ),
    ),
    decodeJson('traces', traces([{ name: 'fraud.score', attrs: [str('svc.model', 'fraud'), dbl('risk_score', 0.9)] }])),
    decodeJson(
      'logs',
      JSON.stringify({
        resourceLogs: [
          {
            resource: {},
            scopeLogs: [
              {
                scope: {},
                logRecords: [
                  { timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), attributes: [str('ml.prediction.id', 'p-1'), str('ml.actual.label', 'click')] },
                ],
              },
            ],
          },
        ],
      }),
    ),
  ]);
  const rows = db.prepare('SELECT model_name, model_version, score, host, prediction_id, features FROM predictions').all();
  assert.deepEqual(rows, [{ model_name: 'ranker', model_version: 'v1', score: 0.8, host: 'gpu-7', prediction_id: 'p-1', features: '{"ctr":0.05}' }]);
  assert.deepEqual(db.prepare('SELECT prediction_id, label FROM actuals').all(), [{ prediction_id: 'p-1', label: 'click' }]);
  const [packed, ...more] = db.prepare('SELECT observations FROM trace_factors').pluck().all() as Buffer[];
  assert.equal(more.length, 0, 'one row for the trace');
  const pairs = Array.from({ length: packed!.length / 16 }, (_, k) => [packed!.readDoubleLE(k * 16), packed!.readDoubleLE(k * 16 + 8)] as const);
  const names = new Map(
    (db.prepare('SELECT id, kind, name FROM factors').all() as { id: number; kind: string; name: string }[]).map((f) => [f.id, `${f.kind}:${f.name}`]),
  );
  assert.deepEqual(pairs.map(([id, v]) => `${names.get(id)}=${v}`).sort(), [
    'storage:feature-store.read duration=700',
    'storage:feature-store.read error=1',
    'storage:feature-store.read timeout=1',
  ]);

  // The user maps their own names; new data uses them at once, old data after a rebuild.
  writeUserMapping(db, { modelName: ['svc.model'], score: ['risk_score'] });
  writer.write([decodeJson('traces', traces([{ name: 'fraud.score', attrs: [str('svc.model', 'fraud'), dbl('risk_score', 0.4)] }]))]);
  assert.deepEqual(db.prepare("SELECT score FROM predictions WHERE model_name = 'fraud'").pluck().all(), [0.4]);
  const rebuilt = reextractMlIndex(db);
  assert.equal(rebuilt.predictions, 3);
  assert.deepEqual(db.prepare("SELECT score FROM predictions WHERE model_name = 'fraud' ORDER BY score").pluck().all(), [0.4, 0.9]);
  assert.equal(rebuilt.actuals, 1);
  assert.equal(rebuilt.factors, 3);
  db.close();
});

test('a schema-1 store is upgraded and its existing spans are indexed once', () => {
  const dbPath = path.join(tempDir(), 'old.db');
  const old = new Database(dbPath);
  old.pragma('journal_mode = WAL');
  old.exec(MIGRATIONS[0]!.sql);
  old.pragma('user_version = 1');
  old.close();
  // Write spans with a writer of today, then pretend they were written before the ML tables.
  let db = openWriter(dbPath);
  new IngestWriter(db).write([decodeJson('traces', traces([{ name: 'model.predict', attrs: [str('model.name', 'ranker'), dbl('prediction', 0.5)] }]))]);
  db.exec('DELETE FROM predictions');
  // Undo every later migration (the tables, indexes and columns they create), as if the spans
  // had been written before them.
  undoMigrationsAfter(db, 1);
  db.close();
  db = openWriter(dbPath);
  assert.equal(db.prepare('SELECT count(*) FROM predictions').pluck().get(), 1);
  db.close();
});

test('deleting a dataset removes its predictions and factors', () => {
  const db = openWriter(path.join(tempDir(), 'del.db'));
  db.prepare("INSERT INTO datasets(id, name, kind, source, created_at_ms) VALUES (2, 'imp', 'import', 'x', 0)").run();
  new IngestWriter(db).write(
    [
      decodeJson(
        'traces',
        traces([
          { name: 'read', kind: 3, attrs: [str('db.system', 'redis')] },
          { name: 'p', attrs: [str('ml.model.name', 'm'), dbl('ml.prediction.score', 1)] },
        ]),
      ),
    ],
    2,
  );
  assert.equal(db.prepare('SELECT count(*) FROM predictions').pluck().get(), 1);
  deleteDataset(db, 'imp');
  assert.equal(db.prepare('SELECT count(*) FROM predictions').pluck().get(), 0);
  assert.equal(db.prepare('SELECT count(*) FROM trace_factors').pluck().get(), 0);
  db.close();
});

test('a language model call is a prediction: the model that answered, its token usage; an embeddings call too; a model name alone is not', () => {
  const mapping = mergeMapping({});
  const p = extractPrediction(
    {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.response.finish_reasons': ['length', 'stop'],
      'gen_ai.usage.input_tokens': 812,
      'gen_ai.usage.output_tokens': 256,
      'gen_ai.request.max_tokens': 256,
    },
    mapping,
  );
  assert.ok(p);
  assert.deepEqual([p.modelName, p.modelVersion], ['gpt-4o', 'gpt-4o-2024-08-06'], 'the model asked for; the snapshot that answered is its version');
  assert.equal(p.label, null, 'why it stopped is a quality signal, not a label');
  assert.deepEqual(p.features, { input_tokens: 812, output_tokens: 256 });
  const openInference = extractPrediction(
    { 'llm.model_name': 'llama-3', 'gen_ai.response.finish_reasons': 'stop', 'llm.token_count.prompt': 40, 'llm.token_count.completion': 12 },
    mapping,
  );
  assert.deepEqual([openInference?.modelName, openInference?.features], ['llama-3', { prompt: 40, completion: 12 }]);
  const embed = extractPrediction(
    { 'gen_ai.request.model': 'text-embedding-3', 'gen_ai.operation.name': 'embeddings', 'gen_ai.usage.input_tokens': 9 },
    mapping,
  );
  assert.deepEqual([embed?.modelName, embed?.features], ['text-embedding-3', { input_tokens: 9 }]);
  assert.equal(extractPrediction({ 'gen_ai.request.model': 'gpt-4o', 'http.route': '/chat' }, mapping), null, 'a model named in passing is no call');
  const agent = extractPrediction(
    { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support-agent', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.output_tokens': 900 },
    mapping,
  );
  assert.equal(agent?.modelName, 'support-agent', "an agent invocation is the agent's, not its model's");
  const db = openWriter(path.join(tempDir(), 'agent.db'));
  new IngestWriter(db).write([
    decodeJson(
      'traces',
      traces([{ name: 'invoke_agent support', attrs: [str('gen_ai.operation.name', 'invoke_agent'), str('gen_ai.agent.name', 'support-agent')] }]),
    ),
  ]);
  assert.deepEqual(
    db.prepare('SELECT model_name, operation FROM predictions').raw(true).all(),
    [['support-agent', 'invoke_agent']],
    'named by its agent alone',
  );
  db.close();
  const oiEmbed = extractPrediction({ 'openinference.span.kind': 'EMBEDDING', 'embedding.model_name': 'bge-small-en' }, mapping);
  assert.equal(oiEmbed?.modelName, 'bge-small-en', 'an OpenInference embedding span');
});

test('a language model call stored by the writer: output tokens per second as a feature, the answer length and how it ended as quality', () => {
  const db = openWriter(path.join(tempDir(), 'genai-rate.db'));
  const writer = new IngestWriter(db);
  const finish = { key: 'gen_ai.response.finish_reasons', value: { arrayValue: { values: [{ stringValue: 'stop' }] } } };
  const int = (key: string, v: number): Attr => ({ key, value: { intValue: String(v) } });
  writer.write([
    decodeJson(
      'traces',
      traces([{ name: 'chat llama', kind: 3, ms: 2000, attrs: [str('gen_ai.response.model', 'llama'), finish, int('gen_ai.usage.output_tokens', 150)] }]),
    ),
    decodeJson('traces', traces([{ name: 'chat llama', kind: 3, ms: 500, attrs: [str('gen_ai.response.model', 'llama'), finish] }])),
  ]);
  const rows = db.prepare('SELECT features, quality FROM predictions ORDER BY id').raw(true).all() as [string | null, string | null][];
  assert.deepEqual(
    rows.map((r) => r.map((f) => (f ? (JSON.parse(f) as Record<string, number | string>) : null))),
    [
      [{ output_tokens_per_s: 75 }, { truncated: 'no', refused: 'no', response_tokens: 150 }],
      [null, { truncated: 'no', refused: 'no' }],
    ],
    '150 tokens in 2 s; no usage, no rate',
  );
  db.close();
});
