/**
 * Huge traces' outlines kept in the store (stored-outlines.ts, outline-codec.ts) on a real
 * SQLite file: the bytes decode to the outline read from the spans; torn or foreign bytes are
 * refused, never trusted; a kept trace pages out exactly what its spans say without reading
 * them; a stored copy is not used once spans arrive, are rewritten or deleted, and a deleted
 * trace takes it along. Plus the keeper's timing (outline-keeper.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openReader, openWriter } from '../../electron/core/store/open-store.js';
import { IngestWriter } from '../../electron/core/ingest/ingest-writer.js';
import { TraceQueries } from '../../electron/core/store/trace-queries.js';
import { readTraceOutline } from '../../electron/core/store/trace-outline-read.js';
import { decodeOutline, encodeOutline } from '../../electron/core/store/outline-codec.js';
import {
  keepOutline,
  KEEP_MIN_SPANS,
  loadStoredOutline,
  readOutlineSnapshot,
  STALE_HUGE_TRACES,
  staleHugeTraces,
  storeOutline,
  type KeepPass,
} from '../../electron/core/store/stored-outlines.js';
import { outlinesHere, type OutlineSource } from '../../electron/core/store/outline-source.js';
import { applyRetention } from '../../electron/core/store/retention.js';
import { OutlineKeeper } from '../../electron/core/readers/outline-keeper.js';
import { decodeJson } from '../../electron/core/otlp/decode-json.js';
import { tempDir } from '../helpers/serve-process.js';
import type { TraceSpansPage } from '../../shared/model/telemetry.js';
import { PARENT_NOT_IN_PAGE } from '../../shared/model/span-outline.js';
import type { Db } from '../../electron/core/store/db.js';

const TRACE = '5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d5d';
const SPANS = KEEP_MIN_SPANS + 1500;
const T0 = BigInt(Date.now() - 3_600_000) * 1_000_000n;
const id = (n: number): string => ((n * 2654435761) % 2 ** 32).toString(16).padStart(8, '0') + n.toString(16).padStart(8, '0');

/** Spans `from` … `to` - 1 of the trace: IDs out of start order, a tree, two services, events, errors, text outside Latin-1. */
function spans(from: number, to: number): string {
  const bySvc: object[][] = [[], []];
  for (let n = from; n < to; n++) {
    const start = T0 + BigInt(n) * 1013n + BigInt(n % 7);
    bySvc[n % 2]!.push({
      traceId: TRACE,
      spanId: id(n + 1),
      ...(n > 0 ? { parentSpanId: id(Math.floor(n / 30) + 1) } : {}),
      name: n % 11 === 0 ? `読み込み-${n % 5}` : `op-${n % 13}`,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + BigInt(1000 + (n % 97) * 1000)),
      ...(n % 200 === 7 ? { events: [{ timeUnixNano: String(start + 10n), name: `ev-${n % 3}` }] } : {}),
      ...(n % 301 === 4 ? { status: { code: 2, message: 'timed out ⏱' } } : {}),
    });
  }
  return JSON.stringify({
    resourceSpans: bySvc.map((list, k) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: `svc-${k}` } }] },
      scopeSpans: [{ spans: list }],
    })),
  });
}

function storeWith(from: number, to: number): string {
  const dbPath = path.join(tempDir(), 'kept.db');
  write(dbPath, from, to);
  return dbPath;
}

function write(dbPath: string, from: number, to: number): void {
  const w = openWriter(dbPath);
  new IngestWriter(w).write([decodeJson('traces', spans(from, to))]);
  w.close();
}

const traceRow = (db: Db, traceId = TRACE): { seq: number; baseUs: number; spanCount: number } =>
  db
    .prepare('SELECT trace_seq AS seq, start_time_unix_nano / 1000 AS baseUs, span_count AS spanCount FROM traces WHERE trace_id = ?')
    .get(Buffer.from(traceId, 'hex')) as { seq: number; baseUs: number; spanCount: number };

const FIRST_PAGE = 1000;

/** Every page of the trace, in the order the UI asks for them. */
async function allPages(q: TraceQueries): Promise<TraceSpansPage[]> {
  const pages: TraceSpansPage[] = [];
  let after: TraceSpansPage['next'] | undefined;
  do {
    const page = (await q.traceSpansPage(TRACE, undefined, after ?? undefined, pages.length === 0 ? FIRST_PAGE : 2500))!;
    pages.push(page);
    after = page.next;
  } while (after);
  return pages;
}

/** A source that must not be asked: pages of a kept trace come from the stored copy. */
const refusing: OutlineSource = {
  build: () => Promise.reject(new Error('the trace was read although its outline is kept')),
  keepStale: () => Promise.resolve({ kept: 0, again: false }),
  stop: () => Promise.resolve(),
};

test('an outline as bytes decodes to the same outline; torn or foreign bytes are refused', () => {
  const dbPath = storeWith(0, SPANS);
  const db = openReader(dbPath);
  const t = traceRow(db);
  const outline = readTraceOutline(db, t.seq, t.baseUs);
  db.close();
  assert.ok(outline.eventTimeMs.length > 0 && outline.strings.some((s) => s.includes('読')), 'the trace has events and text outside Latin-1');
  const bytes = encodeOutline(outline);
  assert.deepEqual(decodeOutline(bytes), outline);
  // A Buffer at an odd offset of a bigger one (as SQLite may hand a blob over) decodes the same.
  const shifted = Buffer.alloc(bytes.length + 3);
  bytes.copy(shifted, 3);
  assert.deepEqual(decodeOutline(shifted.subarray(3)), outline);
  assert.equal(decodeOutline(bytes.subarray(0, bytes.length - 8)), null, 'truncated');
  assert.equal(decodeOutline(Buffer.concat([bytes, Buffer.alloc(8)])), null, 'too long');
  assert.equal(decodeOutline(Buffer.from('SLOUTL01')), null, 'no header');
  const foreign = Buffer.from(bytes);
  foreign.write('XX', 0, 'latin1');
  assert.equal(decodeOutline(foreign), null, 'another magic');
  // A name index past the string table: the header's table is cut to one string.
  const cut = encodeOutline({ ...outline, strings: [outline.strings[0]!] });
  assert.equal(decodeOutline(cut), null, 'indexes outside the string table');
  const badParent = encodeOutline({ ...outline, parentIndex: outline.parentIndex.map((p, i) => (i === 9 ? outline.count + 5 : p)) });
  assert.equal(decodeOutline(badParent), null, 'a parent position outside the trace');
  const backwards = encodeOutline({ ...outline, eventStart: outline.eventStart.map((v, i) => (i === 1 ? 0xffffffff : v)) });
  assert.equal(decodeOutline(backwards), null, 'event runs that go back');
  const twice = encodeOutline({ ...outline, hexRow: outline.hexRow.map((r, i) => (i === 1 ? outline.hexRow[0]! : r)) });
  assert.equal(decodeOutline(twice), null, 'a row named by two positions');
});

test('a kept trace pages out what its spans say without reading them; arrivals, rewrites and deletes make the copy stale', async () => {
  const dbPath = storeWith(0, SPANS);
  const reader = openReader(dbPath);
  const source = outlinesHere(reader, () => openWriter(dbPath));
  assert.equal(staleHugeTraces(reader).length, 1, 'a huge trace without a stored outline');
  // Found through the partial index of huge traces, not by scanning every trace.
  const plan = reader.prepare(`EXPLAIN QUERY PLAN ${STALE_HUGE_TRACES}`).all() as { detail: string }[];
  assert.ok(plan.some((p) => /traces_huge/.test(p.detail)) && !plan.some((p) => /SCAN t\b/.test(p.detail)), JSON.stringify(plan));
  const fromSpans = await allPages(new TraceQueries(reader));
  assert.equal((await source.keepStale(() => false)).kept, 1);
  assert.deepEqual(staleHugeTraces(reader), [], 'nothing left to keep');
  assert.equal((await source.keepStale(() => false)).kept, 0);
  const t = traceRow(reader);
  assert.deepEqual(loadStoredOutline(reader, t.seq, t.spanCount, t.baseUs), readTraceOutline(reader, t.seq, t.baseUs));
  const fromStore = await allPages(new TraceQueries(reader, refusing));
  assert.equal(
    fromStore.reduce((n, p) => n + p.outline!.parentIndex.length, 0),
    SPANS,
  );
  // The pages after the first are the same slices either way; the first differs only where the
  // trace read as its first spans alone could not know a parent beyond them.
  assert.deepEqual(
    fromStore.slice(1).map((p) => p.outline),
    fromSpans.slice(1).map((p) => p.outline),
  );
  const [a, b] = [fromStore[0]!.outline!, fromSpans[0]!.outline!];
  assert.deepEqual({ ...a, parentIndex: [] }, { ...b, parentIndex: [] });
  for (const [i, p] of b.parentIndex.entries())
    assert.ok(p === a.parentIndex[i] || (p === PARENT_NOT_IN_PAGE && a.parentIndex[i]! >= FIRST_PAGE), `parent of span ${i}`);

  // Spans arrive: the copy belongs to the trace as it was, and the pages read the spans again.
  write(dbPath, SPANS, SPANS + 10);
  const grown = traceRow(reader);
  assert.equal(grown.spanCount, SPANS + 10);
  assert.equal(loadStoredOutline(reader, grown.seq, grown.spanCount, grown.baseUs), null);
  assert.equal(staleHugeTraces(reader).length, 1);
  await assert.rejects(allPages(new TraceQueries(reader, refusing)), /read although/);
  const pages = await allPages(new TraceQueries(reader));
  assert.equal(
    pages.reduce((n, p) => n + p.outline!.parentIndex.length, 0),
    SPANS + 10,
  );
  assert.equal((await source.keepStale(() => false)).kept, 1);
  assert.equal(
    (await allPages(new TraceQueries(reader, refusing))).reduce((n, p) => n + p.outline!.parentIndex.length, 0),
    SPANS + 10,
  );

  // A span rewritten in place (same count): the copy is not used.
  const w = openWriter(dbPath);
  w.prepare("UPDATE spans SET name = 'renamed' WHERE span_id = ?").run(Buffer.from(id(9), 'hex'));
  w.close();
  assert.equal(loadStoredOutline(reader, grown.seq, grown.spanCount, grown.baseUs), null, 'a rewrite makes it stale');
  assert.equal(reader.prepare('SELECT count(*) FROM trace_outlines').pluck().get(), 0, 'and drops it');
  assert.equal((await source.keepStale(() => false)).kept, 1);
  const renamed = loadStoredOutline(reader, grown.seq, grown.spanCount, grown.baseUs)!;
  assert.ok(renamed.strings.includes('renamed'));

  // The trace deleted by retention (it started an hour ago): its stored outline goes with it.
  const d = openWriter(dbPath);
  assert.equal(applyRetention(d, { maxAgeDays: 0.01, maxBytes: 0 }).tracesDeleted, 1);
  assert.equal(d.prepare('SELECT count(*) FROM trace_outlines').pluck().get(), 0);
  d.close();
  reader.close();
});

test('deleting other traces leaves a kept copy in place; a read that a delete overtook is not stored', async () => {
  const dbPath = storeWith(0, SPANS);
  // Two small traces from two days ago, for retention to delete.
  const old = BigInt(Date.now() - 2 * 86_400_000) * 1_000_000n;
  const w = openWriter(dbPath);
  for (const traceId of ['0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a', '0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b']) {
    const span = { traceId, spanId: '00000000000000aa', name: 'old', startTimeUnixNano: String(old), endTimeUnixNano: String(old + 1000n) };
    new IngestWriter(w).write([decodeJson('traces', JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }))]);
  }
  w.close();
  const reader = openReader(dbPath);
  const writer = openWriter(dbPath);
  const t = traceRow(reader, TRACE);
  // A read, then a delete elsewhere before its write: the write does not happen (the trigger
  // that drops a changed trace's row could not have seen this one yet).
  const overtaken = readOutlineSnapshot(reader, t.seq)!;
  writer.prepare('DELETE FROM traces WHERE trace_id = ?').run(Buffer.from('0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a', 'hex'));
  writer.prepare('DELETE FROM spans WHERE trace_id = ?').run(Buffer.from('0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a', 'hex'));
  assert.equal(storeOutline(writer, overtaken), false);
  assert.equal(loadStoredOutline(reader, t.seq, t.spanCount, t.baseUs), null);
  assert.equal(keepOutline(reader, writer, t.seq), 'stored', 'read again, it is stored');
  // Retention deletes the other old trace, its spans one by one: this trace's copy stays.
  assert.equal(applyRetention(writer, { maxAgeDays: 1, maxBytes: 0 }).tracesDeleted, 1);
  assert.deepEqual(loadStoredOutline(reader, t.seq, t.spanCount, t.baseUs), readTraceOutline(reader, t.seq, t.baseUs));
  writer.close();
  reader.close();
});

test('the keeper runs a pass once the store has been quiet, at the latest after maxWait, one at a time, and stops between traces', async () => {
  const passes: number[] = [];
  let release: () => void = () => undefined;
  const t0 = Date.now();
  const keeper = new OutlineKeeper(
    () => {
      passes.push(Date.now() - t0);
      return new Promise<KeepPass>((resolve) => (release = () => resolve({ kept: 1, again: false })));
    },
    { startMs: 60_000, quietMs: 60, maxWaitMs: 200 },
    () => assert.fail('no pass fails'),
  );
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  // Pokes every 20 ms for 600 ms: quiet never comes, so maxWait starts a pass (once).
  while (Date.now() - t0 < 600) {
    keeper.poke();
    await sleep(20);
  }
  assert.equal(passes.length, 1, 'one pass while spans kept coming and the first ran');
  assert.ok(passes[0]! >= 190, `the pass began after maxWait, not after a quiet spell (${passes[0]} ms)`);
  // Pokes during the running pass bring one more pass after it, not a second at the same time.
  release();
  await sleep(300);
  assert.equal(passes.length, 2, 'spans came during the pass: one more after it');
  release();
  await sleep(20);
  assert.equal(keeper.kept, 2);
  await keeper.stop();
  keeper.poke();
  await sleep(300);
  assert.equal(passes.length, 2, 'none after stop');

  // A pass asked to stop ends between traces; one that left traces behind is followed by another.
  let traces = 0;
  const stopping = new OutlineKeeper(
    async (stop) => {
      for (let i = 0; i < 1000 && !stop(); i++, traces++) await sleep(5);
      return { kept: traces, again: true };
    },
    { startMs: 0, quietMs: 10_000, maxWaitMs: 50 },
    () => assert.fail('no pass fails'),
  );
  await sleep(100);
  await stopping.stop();
  assert.ok(traces > 0 && traces < 100, `the pass stopped between traces (${traces} done)`);
  let second = 0;
  const retrying = new OutlineKeeper(
    () => Promise.resolve({ kept: 0, again: second++ === 0 }),
    { startMs: 0, quietMs: 10_000, maxWaitMs: 50 },
    () => assert.fail('no pass fails'),
  );
  await sleep(400);
  await retrying.stop();
  assert.equal(second, 2, 'a pass that left traces to read again is followed by one more, and no further');
});
