/**
 * Searches skip the ten-minute buckets where nothing can match (issue #16), and must find
 * exactly what a walk of every trace finds: for traces whose spans arrive over several
 * batches, grow longer, gain errors and services late, or start earlier than first thought.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tempDir } from '../helpers/serve-process.js';
import { openWriter } from '../../electron/core/store/open-store.js';
import type { Db } from '../../electron/core/store/db.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import { TraceQueries } from '../../electron/core/store/trace-queries.js';
import { traceSearchWhere, type TraceSearch } from '../../electron/core/store/trace-search.js';
import { traceListPage } from '../../electron/core/store/trace-list.js';
import { candidateStartRanges } from '../../electron/core/store/trace-buckets.js';
import { deleteDataset, ensureDataset } from '../../electron/core/store/datasets.js';
import { undoMigrationsAfter } from '../helpers/older-store.js';

const T0_MS = 1_790_000_000_000;
const MINUTE_MS = 60_000;

interface SpanSpec {
  trace: number;
  span: number;
  parent?: number;
  service: string;
  startMs: number;
  durationMs: number;
  error?: boolean;
  attributes?: Record<string, string>;
}

function batch(spans: SpanSpec[]): ReturnType<typeof decodeJson> {
  const byService = new Map<string, SpanSpec[]>();
  for (const s of spans) byService.set(s.service, [...(byService.get(s.service) ?? []), s]);
  return decodeJson(
    'traces',
    JSON.stringify({
      resourceSpans: [...byService].map(([service, list]) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            spans: list.map((s) => {
              const start = BigInt(Math.round((T0_MS + s.startMs) * 1000)) * 1000n;
              return {
                traceId: s.trace.toString(16).padStart(32, '0'),
                spanId: s.span.toString(16).padStart(16, '0'),
                ...(s.parent !== undefined ? { parentSpanId: s.parent.toString(16).padStart(16, '0') } : {}),
                name: `op-${s.span}`,
                startTimeUnixNano: String(start),
                endTimeUnixNano: String(start + BigInt(Math.round(s.durationMs * 1e6))),
                ...(s.error ? { status: { code: 2 } } : {}),
                attributes: Object.entries(s.attributes ?? {}).map(([key, v]) => ({ key, value: { stringValue: v } })),
              };
            }),
          },
        ],
      })),
    }),
  );
}

/** A day of traces, a few of them unusual, some arriving in pieces. */
function fill(db: Db): void {
  const writer = new IngestWriter(db);
  let trace = 0;
  for (let minute = 0; minute < 24 * 60; minute += 7) {
    const specs: SpanSpec[] = [];
    for (let k = 0; k < 3; k++) {
      trace++;
      const slow = trace % 97 === 0;
      const failing = trace % 131 === 0;
      const startMs = minute * MINUTE_MS + k * 1000;
      specs.push({
        trace,
        span: 1,
        service: 'api',
        startMs,
        durationMs: slow ? 900 : 40 + (trace % 13),
        attributes: { tier: trace % 50 === 0 ? 'gold' : 'free' },
      });
      specs.push({ trace, span: 2, parent: 1, service: trace % 211 === 0 ? 'rare-db' : 'db', startMs: startMs + 5, durationMs: 20, error: failing });
    }
    writer.write([batch(specs)]);
  }
  // Pieces arriving later: a span that makes trace 40 long and failing, one from a new service;
  // a span of trace 300 that started 25 minutes before its root (its start moves a bucket back).
  const t40 = Math.floor((40 - 1) / 3) * 7 * MINUTE_MS;
  writer.write([batch([{ trace: 40, span: 9, parent: 1, service: 'late-cache', startMs: t40 + 3000, durationMs: 4000, error: true }])]);
  const t300 = Math.floor((300 - 1) / 3) * 7 * MINUTE_MS + ((300 - 1) % 3) * 1000;
  writer.write([batch([{ trace: 300, span: 8, parent: 1, service: 'early-queue', startMs: t300 - 25 * MINUTE_MS, durationMs: 10 }])]);
  // Trace 5000 (0x1388), alone of its service, then a span 25 minutes before it: its bucket moves.
  const t5000 = 20 * 60 * MINUTE_MS + 123;
  writer.write([batch([{ trace: 5000, span: 1, service: 'solo', startMs: t5000, durationMs: 30 }])]);
  writer.write([batch([{ trace: 5000, span: 2, parent: 1, service: 'pre', startMs: t5000 - 25 * MINUTE_MS, durationMs: 5 }])]);
  // A second dataset, whose buckets must not answer for the first.
  const other = ensureDataset(db, 'other', 'import', 'test').id;
  writer.write([batch([{ trace: 9999, span: 1, service: 'rare-db', startMs: 12 * 60 * MINUTE_MS, durationMs: 5000, error: true }])], other);
}

/** What a walk of every trace finds, newest first. */
function walkEverything(db: Db, q: TraceSearch): string[] {
  const w = traceSearchWhere(q);
  return (
    db
      .prepare(`SELECT lower(hex(t.trace_id)) FROM traces t WHERE ${w.sql} ORDER BY t.start_time_unix_nano DESC, t.trace_seq DESC LIMIT ?`)
      .pluck()
      .all(...w.params, q.limit) as string[]
  ).map((id) => id.replace(/^0+/, ''));
}

const searches: Omit<TraceSearch, 'dataset' | 'limit'>[] = [
  { service: 'api', minDurationMs: 500 },
  { service: 'api', minDurationMs: 3000 },
  { service: 'late-cache' },
  { service: 'late-cache', minDurationMs: 1 },
  { service: 'early-queue', maxDurationMs: 1e9 },
  { service: 'rare-db', errorsOnly: true },
  { service: 'rare-db', minDurationMs: 10 },
  { errorsOnly: true },
  { errorsOnly: true, minDurationMs: 2000 },
  { maxDurationMs: 45 },
  { service: 'db', maxDurationMs: 41, fromMs: T0_MS + 3 * 3_600_000, toMs: T0_MS + 5 * 3_600_000 },
  { service: 'api', attributes: [{ key: 'tier', op: 'eq', value: 'gold' }], minDurationMs: 800 },
  { service: 'nobody', minDurationMs: 1 },
  { service: 'solo', minDurationMs: 1 },
  { service: 'solo', maxDurationMs: 10 },
  { minDurationMs: 100_000 },
];

test('a search skips buckets that cannot match, and finds exactly what walking every trace finds', () => {
  const db = openWriter(path.join(tempDir('sightline-buckets-'), 'buckets.db'));
  fill(db);
  const queries = new TraceQueries(db);
  let pruned = 0;
  for (const s of searches) {
    for (const limit of [3, 500]) {
      const q: TraceSearch = { ...s, dataset: 1, limit };
      const found = queries.searchTraces(q).map((t) => t.traceId.replace(/^0+/, ''));
      assert.deepEqual(found, walkEverything(db, q), JSON.stringify(q));
    }
    const ranges = candidateStartRanges(db, {
      dataset: 1,
      service: s.service,
      minDurationNs: s.minDurationMs ? BigInt(s.minDurationMs * 1e6) : undefined,
      errorsOnly: s.errorsOnly,
    });
    if (ranges && ranges.reduce((sum, [a, b]) => sum + Number(b - a), 0) < 24 * 3_600_000 * 1e6 * 0.5) pruned++;
  }
  assert.ok(pruned >= 8, `most searches narrow the walk to a few buckets (${pruned})`);
  assert.deepEqual(
    queries.searchTraces({ dataset: 1, service: 'late-cache', limit: 10 }).map((t) => t.traceId.replace(/^0+/, '')),
    ['28'],
    'a service that joined trace 40 (0x28) in a later batch is found',
  );
  assert.deepEqual(
    queries.searchTraces({ dataset: 1, service: 'early-queue', minDurationMs: 1, limit: 10 }).map((t) => t.traceId.replace(/^0+/, '')),
    ['12c'],
    'so is trace 300 (0x12c), whose start moved into an earlier bucket',
  );
  assert.deepEqual(
    queries.searchTraces({ dataset: 1, service: 'solo', minDurationMs: 1, limit: 10 }).map((t) => t.traceId.replace(/^0+/, '')),
    ['1388'],
    'and trace 5000, whose earlier services moved with it',
  );
});

test('the trace list pages through the same traces with and without the buckets', () => {
  const db = openWriter(path.join(tempDir('sightline-buckets-'), 'pages.db'));
  fill(db);
  for (const s of searches) {
    for (const [dataset, desc] of [
      [1, true],
      [1, false],
      [undefined, true], // every dataset
    ] as const) {
      const pages = (timeBuckets: boolean): { ids: string[]; totals: number[] } => {
        const ids: string[] = [];
        const totals: number[] = [];
        let after;
        for (let i = 0; i < 50; i++) {
          const page = traceListPage(db, { ...s, dataset, sort: 'start', desc, after, limit: 7 }, { timeBuckets });
          ids.push(...page.traces.map((t) => t.traceId));
          totals.push(page.total);
          if (!page.next) break;
          after = page.next;
        }
        return { ids, totals };
      };
      assert.deepEqual(pages(true), pages(false), `${JSON.stringify(s)} ${dataset ?? 'every dataset'} ${desc ? 'newest' : 'oldest'} first`);
    }
  }
});

test('a store from before the buckets gets them on upgrade, and a deleted dataset takes its buckets along', () => {
  const file = path.join(tempDir('sightline-buckets-'), 'upgrade.db');
  const old = openWriter(file);
  fill(old);
  undoMigrationsAfter(old, 7);
  old.close();
  const db = openWriter(file); // migration 8 summarises the stored traces
  const queries = new TraceQueries(db);
  for (const s of searches) {
    const q: TraceSearch = { ...s, dataset: 1, limit: 500 };
    assert.deepEqual(
      queries.searchTraces(q).map((t) => t.traceId.replace(/^0+/, '')),
      walkEverything(db, q),
      JSON.stringify(q),
    );
  }
  const other = ensureDataset(db, 'other', 'import', 'test').id;
  assert.ok((db.prepare('SELECT count(*) FROM trace_buckets WHERE dataset_id = ?').pluck().get(other) as number) > 0);
  deleteDataset(db, 'other');
  assert.equal(db.prepare('SELECT count(*) FROM trace_bucket_services WHERE dataset_id = ?').pluck().get(other), 0);
});
