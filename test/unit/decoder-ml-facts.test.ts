/**
 * The ML index's facts worked out in the decode worker (ingest/decoder-ml-facts.ts,
 * ml/span-facts.ts) on real SQLite files: a storage incident and a RAG incident from the
 * scenario generator (the OpenTelemetry SDK's spans, as JSON Lines), decoded and redacted as the
 * decode worker does, then written with the facts and without them into two stores: the ML
 * tables come out the same. The writer takes the facts it is handed (a changed score is
 * stored), but not when the mapping was changed in between, nor for a batch that was not
 * redacted before its facts were made.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openReader, openWriter } from '../../electron/core/store/open-store.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { decodeRequest } from '../../electron/core/ingest/decode-request.js';
import { DecoderStore } from '../../electron/core/ingest/decoder-store.js';
import { DecoderRedaction } from '../../electron/core/ingest/decoder-redaction.js';
import { DecoderMlFacts } from '../../electron/core/ingest/decoder-ml-facts.js';
import { packBatches, unpackBatches } from '../../electron/core/ingest/batch-transfer.js';
import { writeUserMapping } from '../../electron/core/ml/mapping-settings.js';
import type { DecodedBatch, SpanFacts } from '../../electron/core/otlp/model.js';
import { generateScenario } from '../scenarios/inference-traffic.js';
import { generateGenAiScenario } from '../scenarios/genai-traffic.js';
import { jsonLinesSinks } from '../scenarios/jsonl-sinks.js';
import { tempDir } from '../helpers/serve-process.js';

async function spanLines(): Promise<string[]> {
  const lines: string[] = [];
  const keep = (line: string): void => void (line.startsWith('{"resourceSpans"') && lines.push(line));
  const startMs = Date.UTC(2026, 10, 3, 12);
  await generateScenario({ scenario: 'storage-slowdown', requests: 600, startMs, durationMs: 3_600_000, seed: 7 }, jsonLinesSinks(keep));
  await generateGenAiScenario({ scenario: 'rag-vector-slowdown', requests: 300, startMs, durationMs: 3_600_000, seed: 11 }, jsonLinesSinks(keep));
  return lines;
}

/** Each line decoded and redacted as the decode worker does; with the ML facts when `facts` is given. */
function decoded(dbPath: string, lines: string[], facts: DecoderMlFacts | null): DecodedBatch[] {
  const redaction = new DecoderRedaction(new DecoderStore(dbPath, undefined));
  const batches = lines.map((line) => {
    const r = decodeRequest('traces', 'json', Buffer.from(line), redaction.forRequest());
    assert.ok('batch' in r);
    facts?.annotate(r.batch);
    return r.batch;
  });
  redaction.close();
  return batches;
}

function newStore(): string {
  const dbPath = path.join(tempDir(), 'facts.db');
  openWriter(dbPath).close();
  return dbPath;
}

function write(dbPath: string, batches: DecodedBatch[]): void {
  const w = openWriter(dbPath);
  const writer = new IngestWriter(w);
  for (const b of batches) writer.write([b]);
  w.close();
}

/** The ML tables, without row IDs. */
function mlTables(dbPath: string): Record<string, unknown[]> {
  const db = openReader(dbPath);
  const all = (q: string): unknown[] => db.prepare(q).raw().all();
  const tables = {
    predictions: all(
      `SELECT dataset_id, trace_seq, hex(span_id), time_unix_nano, duration_ns, service_name, host, model_name, model_version, score, label, confidence,
         prediction_id, features, quality, operation, finish_reason FROM predictions ORDER BY trace_seq, span_id`,
    ),
    actuals: all('SELECT dataset_id, prediction_id, time_unix_nano, label, score FROM actuals ORDER BY prediction_id, time_unix_nano'),
    evaluations: all('SELECT dataset_id, hex(span_id), time_unix_nano, name, score, label FROM evaluations ORDER BY span_id, name'),
    retrievals: all('SELECT dataset_id, trace_seq, time_unix_nano, duration_ns, documents FROM retrievals ORDER BY trace_seq, time_unix_nano'),
    factors: all('SELECT id, kind, name, unit FROM factors ORDER BY id'),
    traceFactors: all('SELECT trace_seq, hex(observations) FROM trace_factors ORDER BY trace_seq, hex(observations)'),
    blocks: all('SELECT count(*) FROM prediction_blocks'),
  };
  db.close();
  return tables;
}

test('facts worked out in the decode worker index the same rows as the writer working them out', async () => {
  const lines = await spanLines();
  const withFacts = newStore();
  const facts = new DecoderMlFacts(new DecoderStore(withFacts, undefined));
  const handed = decoded(withFacts, lines, facts);
  facts.close();
  const factsOf = (b: DecodedBatch): (SpanFacts | null)[] => JSON.parse(b.spanFacts!.json) as (SpanFacts | null)[];
  assert.ok(
    handed.every((b) => factsOf(b).length === b.spans.reduce((n, g) => n + g.spans.length, 0)),
    'every batch has a fact slot per span',
  );
  const all = handed.flatMap(factsOf);
  assert.ok(
    all.some((f) => f?.prediction) && all.some((f) => f?.factors?.length) && all.some((f) => f?.documents !== undefined),
    'predictions, factors and retrievals among them',
  );
  write(withFacts, handed);
  const without = newStore();
  write(without, decoded(without, lines, null));
  const a = mlTables(withFacts);
  const b = mlTables(without);
  assert.ok(a['predictions']!.length > 500 && a['traceFactors']!.length > 100 && a['retrievals']!.length > 0);
  assert.deepEqual(a, b);
});

test('the writer takes the facts it is handed, unless the mapping changed since or the batch was not redacted first', async () => {
  const lines = (await spanLines()).slice(0, 20);
  const scoreOf = (dbPath: string): number[] => {
    const db = openReader(dbPath);
    const scores = db.prepare('SELECT score FROM predictions WHERE score IS NOT NULL ORDER BY id').pluck().all() as number[];
    db.close();
    return scores;
  };
  /** Decoded with facts whose every prediction score was changed to 42. */
  const tampered = (dbPath: string): DecodedBatch[] => {
    const facts = new DecoderMlFacts(new DecoderStore(dbPath, undefined));
    const batches = decoded(dbPath, lines, facts);
    facts.close();
    for (const b of batches) {
      const facts = JSON.parse(b.spanFacts!.json) as (SpanFacts | null)[];
      for (const f of facts) if (f?.prediction && f.prediction.score !== null) f.prediction.score = 42;
      b.spanFacts!.json = JSON.stringify(facts);
    }
    return batches;
  };
  const taken = newStore();
  write(taken, tampered(taken));
  assert.ok(scoreOf(taken).length > 0 && scoreOf(taken).every((s) => s === 42), 'the facts handed over are what was stored');

  // Facts made under the built-in mapping; a mapping saved before the write: the writer works them out.
  const remapped = newStore();
  const batches = tampered(remapped);
  const w = openWriter(remapped);
  writeUserMapping(w, { modelName: ['ml.model.name', 'model.name'] });
  w.close();
  write(remapped, batches);
  assert.ok(scoreOf(remapped).length > 0 && !scoreOf(remapped).includes(42), 'worked out again under the new mapping');

  // A batch the decode worker could not redact gets no facts (the writer redacts it, then works them out).
  const unredacted = newStore();
  const facts = new DecoderMlFacts(new DecoderStore(unredacted, undefined));
  const r = decodeRequest('traces', 'json', Buffer.from(lines[0]!), null);
  assert.ok('batch' in r);
  facts.annotate(r.batch);
  facts.close();
  assert.equal(r.batch.spanFacts, undefined);
});

test('facts follow a mapping saved between two requests, stay with their spans past duplicates, and cross to the writer packed', () => {
  const dbPath = newStore();
  const t0 = BigInt(Date.UTC(2026, 10, 3, 12)) * 1_000_000n;
  const span = (id: string, score: number): object => ({
    traceId: 'c0ffeec0ffeec0ffeec0ffeec0ffeec0',
    spanId: id,
    name: 'predict',
    startTimeUnixNano: String(t0),
    endTimeUnixNano: String(t0 + 1_000_000n),
    attributes: [
      { key: 'custom.model', value: { stringValue: 'churn' } },
      { key: 'ml.prediction.score', value: { doubleValue: score } },
    ],
  });
  const request = (...spans: object[]): string =>
    JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'scorer' } }] }, scopeSpans: [{ spans }] }] });
  const facts = new DecoderMlFacts(new DecoderStore(dbPath, undefined));
  const redaction = new DecoderRedaction(new DecoderStore(dbPath, undefined));
  const decode = (body: string): DecodedBatch => {
    const r = decodeRequest('traces', 'json', Buffer.from(body), redaction.forRequest());
    assert.ok('batch' in r);
    facts.annotate(r.batch);
    // As the decode worker hands it to the writer thread.
    const { packed } = packBatches([r.batch]);
    return unpackBatches(packed)[0]!;
  };
  const first = decode(request(span('00000000000000a1', 0.25)));
  assert.deepEqual(JSON.parse(first.spanFacts!.json), [null], 'no model name under the built-in mapping');
  write(dbPath, [first]);
  const w = openWriter(dbPath);
  writeUserMapping(w, { modelName: ['custom.model'] });
  w.close();
  // The same decode worker, the next request: under the saved mapping; the first span again (a duplicate), then a new one.
  const second = decode(request(span('00000000000000a1', 0.25), span('00000000000000b2', 0.75)));
  const made = JSON.parse(second.spanFacts!.json) as (SpanFacts | null)[];
  assert.equal(made[1]?.prediction?.modelName, 'churn');
  facts.close();
  redaction.close();
  write(dbPath, [second]);
  const db = openReader(dbPath);
  const rows = db.prepare('SELECT hex(span_id) AS span, model_name AS model, score FROM predictions ORDER BY id').all();
  db.close();
  // The writer stored the first span under the built-in mapping (no prediction), skipped it as a
  // duplicate in the second batch, and gave the new span its own facts, not the duplicate's.
  assert.deepEqual(rows, [{ span: '00000000000000B2', model: 'churn', score: 0.75 }]);
});
