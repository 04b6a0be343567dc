/**
 * The whole-range trace list (issue #14): pages in any column's order cover every trace once,
 * the total is every match, and the heatmap counts every match in the right cell, across
 * datasets and filters. Real archive files imported into a real SQLite store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openCoreSession, type CoreSession } from '../../electron/core/core-session.js';
import type { ApiMethod, ApiResponses } from '../../shared/api/contract.js';
import type { ImportFilesResult } from '../../shared/model/imports.js';
import type { TraceSortKey } from '../../shared/model/trace-list.js';
import type { TraceSummary } from '../../shared/model/telemetry.js';
import { cliJson, tempDir } from '../helpers/serve-process.js';

const dir = tempDir('sightline-trace-list-');
const T0_MS = 1_760_000_000_000;
const HOURS_2_MS = 2 * 3600_000;

interface Planned {
  traceId: string;
  service: string;
  startMs: number;
  durationMs: number;
  error: boolean;
}

/** Traces spread over two hours, durations 1 ms to ~2 s (log-uniform), a few with errors; seeded. */
function plan(count: number, seed: number, services: string[]): Planned[] {
  let s = seed;
  const rand = (): number => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, (_, i) => ({
    traceId: (seed * 1_000_000 + i).toString(16).padStart(32, '0'),
    service: services[i % services.length]!,
    startMs: T0_MS + Math.floor(rand() * HOURS_2_MS),
    durationMs: Math.round(Math.exp(rand() * Math.log(2000)) * 1000) / 1000,
    error: rand() < 0.07,
  }));
}

function writeArchive(name: string, traces: Planned[]): string {
  const lines = traces.map((t) =>
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: t.service } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: t.traceId,
                  spanId: '00000000000000a1',
                  name: `GET /${t.service}`,
                  startTimeUnixNano: String(BigInt(t.startMs) * 1_000_000n),
                  endTimeUnixNano: String(BigInt(t.startMs) * 1_000_000n + BigInt(Math.round(t.durationMs * 1e6))),
                  status: t.error ? { code: 2 } : {},
                },
              ],
            },
          ],
        },
      ],
    }),
  );
  const p = path.join(dir, name);
  fs.writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

const A = plan(1500, 7, ['checkout', 'ranker', 'feature-store']);
const B = plan(300, 11, ['gateway']);
const dbPath = path.join(dir, 'list.db');
// Imported by the CLI (import workers run from the build); read in process through the contract.
const imported = (async () => {
  const a = await cliJson<ImportFilesResult>(['import', writeArchive('a.jsonl', A), '--db', dbPath, '--json']);
  const b = await cliJson<ImportFilesResult>(['import', writeArchive('b.jsonl', B), '--db', dbPath, '--json']);
  return { a: a.datasetId!, b: b.datasetId! };
})();
let opened: CoreSession | null = null;
const session = {
  api: {
    call: async <M extends ApiMethod>(method: M, request: unknown): Promise<ApiResponses[M]> => {
      await imported;
      opened ??= openCoreSession({ dbPath, create: false });
      return opened.api.call(method, request);
    },
  },
};
test.after(() => opened?.close());

async function allPages(request: Record<string, unknown>): Promise<{ traces: TraceSummary[]; pages: number; total: number }> {
  const traces: TraceSummary[] = [];
  let after: unknown = undefined;
  let pages = 0;
  let total: number;
  do {
    const page = await session.api.call('listTraces', { ...request, ...(after ? { after } : {}) });
    traces.push(...page.traces);
    total = page.total;
    after = page.next;
    pages++;
  } while (after && pages < 1000);
  return { traces, pages, total };
}

const VALUE: Record<TraceSortKey, (t: TraceSummary) => number | string> = {
  start: (t) => t.startTimeMs,
  duration: (t) => t.durationMs,
  spans: (t) => t.spanCount,
  errors: (t) => t.errorCount,
  service: (t) => t.rootServiceName ?? '',
  operation: (t) => t.rootSpanName ?? '',
};

test('paging in any column order visits every trace once, in order, with the total', async () => {
  const { a } = await imported;
  for (const sort of ['duration', 'start', 'service', 'errors'] as const) {
    for (const desc of [true, false]) {
      const { traces, pages, total } = await allPages({ datasetId: a, sort, desc, limit: 97 });
      assert.equal(total, A.length);
      assert.equal(pages, Math.ceil(A.length / 97), `${sort} ${desc}: pages of 97`);
      assert.equal(new Set(traces.map((t) => t.traceId)).size, A.length, `${sort} ${desc}: every trace once`);
      for (let i = 1; i < traces.length; i++) {
        const [p, c] = [VALUE[sort](traces[i - 1]!), VALUE[sort](traces[i]!)];
        assert.ok(desc ? p >= c : p <= c, `${sort} ${desc ? 'desc' : 'asc'} out of order at ${i}: ${p} then ${c}`);
      }
    }
  }
  const slowest = Math.max(...A.map((t) => t.durationMs));
  const first = await session.api.call('listTraces', { datasetId: a, sort: 'duration', desc: true, limit: 1 });
  assert.ok(Math.abs(first.traces[0]!.durationMs - slowest) < 0.01, 'the slowest trace of the whole range comes first, not of the newest 200');
});

test('filters and "every dataset" count and page alike', async () => {
  const { a, b } = await imported;
  const errors = await allPages({ datasetId: a, errorsOnly: true, sort: 'duration', limit: 50 });
  assert.equal(errors.total, A.filter((t) => t.error).length);
  assert.ok(errors.traces.every((t) => t.errorCount > 0));
  const everywhere = await session.api.call('listTraces', { limit: 10 });
  assert.equal(everywhere.total, A.length + B.length);
  const onlyB = await allPages({ datasetId: b, service: 'gateway', sort: 'start', desc: false, limit: 1000 });
  assert.equal(onlyB.total, B.length);
  assert.equal(onlyB.traces[0]!.startTimeMs, Math.min(...B.map((t) => t.startMs)));
  const window = { fromMs: T0_MS + 3600_000, toMs: T0_MS + 5400_000 };
  const inWindow = await session.api.call('listTraces', { datasetId: a, ...window, limit: 1 });
  assert.equal(inWindow.total, A.filter((t) => t.startMs >= window.fromMs && t.startMs < window.toMs).length);
  await assert.rejects(session.api.call('listTraces', { datasetId: a, sort: 'duration', after: { key: "1 OR 1=1'", seq: 3 } }), /not a cursor/);
});

test('the heatmap counts every matching trace, by start time and duration', async () => {
  const { a } = await imported;
  const map = await session.api.call('traceHeatmap', { datasetId: a, columns: 60, rows: 16 });
  assert.equal(map.total, A.length);
  assert.equal(
    map.counts.reduce((s, n) => s + n, 0),
    A.length,
  );
  assert.equal(
    map.errors.reduce((s, n) => s + n, 0),
    A.filter((t) => t.error).length,
  );
  assert.equal(map.fromMs, Math.min(...A.map((t) => t.startMs)));
  assert.ok(map.toMs > Math.max(...A.map((t) => t.startMs)));
  // Each trace in its cell: recount from the plan with the map's own scales.
  const expected = new Array<number>(60 * 16).fill(0);
  const logMin = Math.log(map.minDurationMs);
  const logSpan = Math.log(map.maxDurationMs) - logMin;
  for (const t of A) {
    const x = Math.min(59, Math.floor(((t.startMs - map.fromMs) / (map.toMs - map.fromMs)) * 60));
    const y = Math.min(15, Math.max(0, Math.floor(((Math.log(t.durationMs) - logMin) / logSpan) * 16)));
    expected[y * 60 + x]!++;
  }
  const misplaced = expected.reduce((s, n, i) => s + Math.abs(n - map.counts[i]!), 0);
  assert.ok(misplaced <= 4, `traces in the wrong cell: ${misplaced / 2} (rounding at cell edges only)`);
  // The slowest traces are in the top row, and a range narrows the map to it.
  assert.ok(map.counts.slice(15 * 60).reduce((s, n) => s + n, 0) >= 1);
  const half = await session.api.call('traceHeatmap', { datasetId: a, fromMs: T0_MS, toMs: T0_MS + 3600_000 });
  assert.equal(half.fromMs, T0_MS);
  assert.equal(half.total, A.filter((t) => t.startMs < T0_MS + 3600_000).length);
  const none = await session.api.call('traceHeatmap', { datasetId: a, text: 'no trace says this' });
  assert.equal(none.total, 0);
  assert.equal(
    none.counts.every((n) => n === 0),
    true,
  );
});
