/**
 * The per-trace attribute Bloom filter (attribute-bloom.ts) may only say "maybe" wrongly: on a
 * real store written by the real decoder and writer, every attribute search finds exactly the
 * same traces with the filter as with it switched off (columns NULL, the exact test alone),
 * across strings with escapes and non-ASCII text, ints, doubles, booleans and nested values,
 * while ruling most non-matching traces out; a store from before the filter is filled in by
 * the backfill with the same results.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openReader, openWriter } from '../../electron/core/store/open-store.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { TraceQueries } from '../../electron/core/store/trace-queries.js';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import { addAttributes, addToken, bloomColumns, bloomToken, emptyBloom, traceBloomsOf, type Bloom } from '../../electron/core/store/attribute-bloom.js';
import { backfillAttributeBlooms } from '../../electron/core/store/attribute-bloom-backfill.js';
import { tempDir } from '../helpers/serve-process.js';
import { seededRandom } from '../../electron/core/stats/significance.js';
import type { AttributeFilter } from '../../shared/model/trace-search.js';

const T0 = BigInt(Date.now() - 3600_000) * 1_000_000n;
const TENANTS = ['acme', 'globex', 'ünïcødé "quoted" \\ back', 'tab\there', 'emoji 🚀'];

function anyValue(v: string | number | boolean | object): object {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { kvlistValue: { values: [{ key: 'inner', value: { stringValue: 'x' } }] } };
}

function store(): { dbPath: string; traces: number } {
  const dbPath = path.join(tempDir(), 'bloom.db');
  const w = openWriter(dbPath);
  const writer = new IngestWriter(w);
  const r = seededRandom(7);
  const traces = 400;
  for (let t = 0; t < traces; t++) {
    const traceId = `c0${t.toString(16).padStart(30, '0')}`;
    const spans = Array.from({ length: 3 }, (_, k) => {
      const attrs: Record<string, string | number | boolean | object> = {
        tenant: TENANTS[Math.floor(r() * TENANTS.length)]!,
        'http.response.status_code': [200, 200, 200, 404, 503][Math.floor(r() * 5)]!,
        'gpu.utilization': Math.round(r() * 4) / 4, // 0, 0.25, 0.5, 0.75, 1 as doubles
        retry: r() < 0.1,
        'big.int': t === 7 ? 9007199254740992 : 1, // 2^53
        nested: { a: 1 },
        'item.key': `users/${Math.floor(r() * 50)}.parquet`,
      };
      return {
        traceId,
        spanId: (t * 10 + k + 1).toString(16).padStart(16, '0'),
        name: `op-${k}`,
        startTimeUnixNano: String(T0 + BigInt(t) * 1_000_000n + BigInt(k)),
        endTimeUnixNano: String(T0 + BigInt(t) * 1_000_000n + 500_000n),
        attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: anyValue(v) })),
      };
    });
    writer.write([
      decodeJson(
        'traces',
        JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans }] }] }),
      ),
    ]);
  }
  w.close();
  return { dbPath, traces };
}

const FILTERS: AttributeFilter[][] = [
  ...TENANTS.map((v) => [{ key: 'tenant', op: 'eq' as const, value: v }]),
  [{ key: 'http.response.status_code', op: 'eq', value: 503 }],
  [
    { key: 'http.response.status_code', op: 'eq', value: 503 },
    { key: 'tenant', op: 'eq', value: 'acme' },
  ],
  [{ key: 'gpu.utilization', op: 'eq', value: 0.25 }],
  [
    { key: 'gpu.utilization', op: 'eq', value: 1 },
    { key: 'retry', op: 'exists' },
  ],
  [{ key: 'item.key', op: 'eq', value: 'users/7.parquet' }],
  [{ key: 'big.int', op: 'eq', value: 1 }],
  [{ key: 'tenant', op: 'eq', value: 'nobody' }],
  [{ key: 'http.response.status_code', op: 'ge', value: 500 }],
];

/** How many traces the stored filters let through for `key = value` (the rest are ruled out unread). */
function passing(dbPath: string, key: string, value: string | number): number {
  const probe = emptyBloom();
  addToken(probe, bloomToken(key, value));
  const masks = bloomColumns(probe);
  const db = openReader(dbPath);
  try {
    return db
      .prepare(`SELECT count(*) FROM traces WHERE ${masks.map((_, k) => `(attr_bloom_${k} & ?) = ?`).join(' AND ')}`)
      .pluck()
      .get(...masks.flatMap((m) => [m, m])) as number;
  } finally {
    db.close();
  }
}

test('searches find the same traces with the Bloom filter as without it', () => {
  const { dbPath } = store();
  // The filter must really rule traces out: a value no span has passes few of the 400.
  assert.ok(passing(dbPath, 'tenant', 'nobody') < 40, `${passing(dbPath, 'tenant', 'nobody')} of 400 traces pass for an absent value`);
  assert.equal(passing(dbPath, 'tenant', 'acme') >= 100, true, 'a common value passes wherever it is');
  const q = new TraceQueries(openReader(dbPath));
  const withIndex = FILTERS.map((attributes) =>
    q
      .searchTraces({ attributes, limit: 10_000 })
      .map((t) => t.traceId)
      .sort(),
  );
  const w = openWriter(dbPath);
  const unindexed = w.prepare('UPDATE traces SET attr_bloom_0 = NULL, attr_bloom_1 = NULL, attr_bloom_2 = NULL, attr_bloom_3 = NULL').run().changes;
  w.close();
  assert.equal(unindexed, 400);
  const q2 = new TraceQueries(openReader(dbPath));
  FILTERS.forEach((attributes, i) => {
    const exact = q2
      .searchTraces({ attributes, limit: 10_000 })
      .map((t) => t.traceId)
      .sort();
    assert.deepEqual(withIndex[i], exact, `filter ${JSON.stringify(attributes)}`);
  });
  assert.ok(withIndex[0]!.length > 20, 'a common tenant matches many traces');

  // A store from before the filter: the writer fills it in, in slices, with the same result.
  const w2 = openWriter(dbPath);
  let slices = 0;
  while (backfillAttributeBlooms(w2, 150) > 0) slices++;
  assert.equal(slices, 3, '400 traces in slices of 150');
  assert.equal(w2.prepare('SELECT count(*) FROM traces WHERE attr_bloom_0 IS NULL').pluck().get(), 0);
  w2.close();
  assert.ok(passing(dbPath, 'tenant', 'nobody') < 40, 'the backfilled filters rule traces out too');
  const q3 = new TraceQueries(openReader(dbPath));
  FILTERS.forEach((attributes, i) =>
    assert.deepEqual(
      q3
        .searchTraces({ attributes, limit: 10_000 })
        .map((t) => t.traceId)
        .sort(),
      withIndex[i],
      `backfilled: ${JSON.stringify(attributes)}`,
    ),
  );
  assert.equal(withIndex[FILTERS.length - 2]!.length, 0, 'nobody');
  assert.ok(withIndex[2]!.length > 0, 'the quoted, escaped, non-ASCII tenant is found');
});

function has(bloom: Bloom, token: string): boolean {
  const probe = emptyBloom();
  addToken(probe, token);
  return probe.every((word, k) => (bloom[k]! & word) >>> 0 === word);
}

test('the filter holds every scalar attribute of a map and rules most others out', () => {
  const b = emptyBloom();
  addAttributes(b, '{"tenant":"acme","code":200,"ratio":0.5,"double":200.0,"ok":true,"n":null,"obj":{"a":"x"},"arr":[1,"y"],"esc":"a\\"b\\u00e9"}');
  for (const t of ['tenant=acme', 'code=200', 'ratio=0.5', 'double=200', 'ok=true', 'esc=a"bé']) assert.ok(has(b, t), t);
  assert.equal(has(b, bloomToken('code', 200)), true, 'a number token is the same on both sides');
  let falsePositives = 0;
  for (let i = 0; i < 1000; i++) if (has(b, `tenant=other-${i}`)) falsePositives++;
  assert.ok(falsePositives < 30, `${falsePositives} of 1000 absent values pass`);
  const unreadable = emptyBloom();
  addAttributes(unreadable, '{"broken": ');
  assert.ok(
    unreadable.every((w) => w === 0xffffffff),
    'text it cannot read matches everything',
  );
});

test('a freshly decoded batch is indexed with the same bits as stored text is: doubles of every kind, ints, escapes', () => {
  // traceBloomsOf hashes the decoder's doubles as they read (they are String(d) already);
  // addAttributes parses and prints them again. The two must agree bit for bit.
  const r = seededRandom(11);
  const doubles = (): number => {
    const k = Math.floor(r() * 8);
    if (k === 0) return Math.floor(r() * 1000); // integral: written "5.0"
    if (k === 1) return -r() * 1e-9; // exponent form
    if (k === 2) return r() * 1e25;
    if (k === 3) return r() < 0.1 ? -0 : r();
    if (k === 4) return Number.MAX_VALUE * r();
    return (r() - 0.5) * 10 ** Math.floor(r() * 30 - 15);
  };
  for (let t = 0; t < 300; t++) {
    const attributes = Array.from({ length: 1 + Math.floor(r() * 8) }, (_, i) => {
      const k = i % 4;
      const value =
        k === 0
          ? { doubleValue: doubles() }
          : k === 1
            ? { intValue: String(Math.floor((r() - 0.5) * 2 ** 62)) }
            : k === 2
              ? { stringValue: TENANTS[Math.floor(r() * TENANTS.length)]! }
              : { boolValue: r() < 0.5 };
      return { key: `k${i}${TENANTS[i % TENANTS.length]!}`, value };
    });
    const span = { traceId: 'ab'.repeat(16), spanId: '01'.repeat(8), name: 's', startTimeUnixNano: '1', endTimeUnixNano: '2', attributes };
    const batch = decodeJson('traces', JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }));
    const json = batch.spans[0]!.spans[0]!.attributesJson;
    const exact = emptyBloom();
    addAttributes(exact, json);
    const fast = [...traceBloomsOf(batch).values()][0]!;
    assert.deepEqual([...fast], [...exact], json);
  }
});

test('the filter is part of the stored format: the same bits as the version that first wrote it', () => {
  // Stores keep these columns: a change of hash or token would make searches rule out traces
  // written before it (a false "no"). The expected words were computed by the first version.
  const text = `{"tenant":"acme","code":200,"ratio":0.5,"double":200.0,"ok":true,"n":null,"obj":{"a":"x"},"arr":[1,"y"],"esc":"a\\"b\\u00e9","big":9007199254740993,"ünï":"🚀","long":"${'x'.repeat(100)}"}`;
  const b = emptyBloom();
  addAttributes(b, text);
  assert.deepEqual(bloomColumns(b).map(String), ['577591121663230208', '549755813888', '17593528221696', '285873023221888']);
  const t = emptyBloom();
  addToken(t, 'tenant=acme');
  assert.deepEqual(bloomColumns(t).map(String), ['0', '0', '17593259786240', '0']);
});
