/**
 * npm run bench:ui — the explorer in Chromium through Playwright, against `sightline serve`:
 *   1. one 200,000-span trace (BENCH_UI_SPANS): first waterfall paint and full load (from
 *      navigation start, the app's own loading included; the full load also as a ratio to its
 *      floor, the same getTraceSpans requests fetched and parsed in the page alone, measured in
 *      the same run), the p95 frame time of scrolling from 0.5 s after the
 *      first row while the remaining pages arrive, collapse all and expand all, the p95 frame
 *      time of a scripted 10 s scroll through the whole waterfall, and span-detail open time;
 *   2. the 30-day store of 10 million spans (month-store.ts, shared with bench:report): p95
 *      of trace searches that combine service, attribute and duration, as the UI sends them.
 * Chromium runs with vsync and the frame-rate limit off, so a frame's interval is the work it
 * took rather than the display's 16.7 ms. The last line is one JSON object of the figures.
 * The 200k-span store is made once and cached in test-results/bench-ui/. BENCH_UI_PARTS=trace
 * or =search runs one half. The trace is loaded once the running core has kept its outline in
 * the store (stored-outlines.ts), which it does in the background seconds after spans arrive.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page, type Request } from 'playwright-core';
import Database from 'better-sqlite3';
import { ROOT, runCli, startServe } from '../helpers/serve-process.js';
import { chromiumPath } from '../helpers/browser.js';
import { monthStore } from './month-store.js';
import { quantileSorted } from '../../shared/stats/descriptive.js';
import type { DatasetInfo } from '../../shared/model/telemetry.js';

const SPANS = Number(process.env['BENCH_UI_SPANS'] ?? 200_000);
const SCROLL_MS = 10_000;
const TRACE_ID = 'b1e5b1e5b1e5b1e5b1e5b1e5b1e5b1e5';
const dir = path.join(ROOT, 'test-results', 'bench-ui');
const traceDb = path.join(dir, `trace-${SPANS}.db`);

const p95 = (xs: number[]): number => quantileSorted(Float64Array.from(xs).sort(), 0.95);
const median = (xs: number[]): number => quantileSorted(Float64Array.from(xs).sort(), 0.5);
const r1 = (x: number): number => Math.round(x * 10) / 10;

/** root → groups of 99 leaves; 6 attributes a span, an event on every 50th leaf. */
async function buildTraceStore(): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `trace-${SPANS}.jsonl`);
  const out = fs.createWriteStream(file);
  const t0 = BigInt(Date.now() - 3600_000) * 1_000_000n;
  const id = (n: number): string => n.toString(16).padStart(16, '0');
  const groups = Math.ceil((SPANS - 1) / 100);
  const us = 1000n;
  type Span = Record<string, unknown>;
  let batch: Span[] = [];
  const flush = (): void => {
    out.write(
      JSON.stringify({
        resourceSpans: [
          {
            resource: {
              attributes: [
                { key: 'service.name', value: { stringValue: 'batch-scorer' } },
                { key: 'host.name', value: { stringValue: 'gpu-7' } },
              ],
            },
            scopeSpans: [{ scope: { name: 'bench' }, spans: batch }],
          },
        ],
      }) + '\n',
    );
    batch = [];
  };
  const attrs = (i: number): object[] => [
    { key: 'worker.id', value: { intValue: i % 64 } },
    { key: 'item.index', value: { intValue: i } },
    { key: 'tenant', value: { stringValue: ['acme', 'globex', 'initech'][i % 3] } },
    { key: 'db.system', value: { stringValue: 'postgresql' } },
    { key: 'db.statement', value: { stringValue: `SELECT features FROM items WHERE id = ${i}` } },
    { key: 'retry', value: { boolValue: i % 97 === 0 } },
  ];
  batch.push({
    traceId: TRACE_ID,
    spanId: id(1),
    name: 'score-batch',
    startTimeUnixNano: String(t0),
    endTimeUnixNano: String(t0 + BigInt(groups) * 500n * us + 30_000n * us),
    attributes: attrs(0),
  });
  let n = 1;
  for (let g = 0; g < groups && n < SPANS; g++) {
    const gid = ++n;
    const gs = t0 + BigInt(g) * 500n * us;
    batch.push({
      traceId: TRACE_ID,
      spanId: id(gid),
      parentSpanId: id(1),
      name: `shard-${g % 50}`,
      startTimeUnixNano: String(gs),
      endTimeUnixNano: String(gs + 30_000n * us),
      attributes: attrs(gid),
    });
    for (let k = 0; k < 99 && n < SPANS; k++) {
      const sid = ++n;
      const s = gs + BigInt(k) * 300n * us;
      batch.push({
        traceId: TRACE_ID,
        spanId: id(sid),
        parentSpanId: id(gid),
        name: k % 3 ? 'score-item' : 'fetch-features',
        startTimeUnixNano: String(s),
        endTimeUnixNano: String(s + 250n * us),
        attributes: attrs(sid),
        ...(k % 50 === 0 ? { events: [{ timeUnixNano: String(s + 100n * us), name: 'cache.miss' }] } : {}),
        ...(sid % 997 === 0 ? { status: { code: 2, message: 'timeout' } } : {}),
      });
      if (batch.length >= 10_000) flush();
    }
  }
  if (batch.length) flush();
  await new Promise<void>((resolve) => out.end(resolve));
  const r = await runCli(['import', file, '--db', traceDb, '--dataset', 'big-trace']);
  if (r.code !== 0) throw new Error(r.stderr);
  fs.rmSync(file);
}

/** Runs in the page: ms until the frame after `action` has been painted. */
async function timeToPaint(page: Page, testId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;
    const t0 = performance.now();
    el.click();
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return performance.now() - t0;
  }, testId);
}

/** Waits until the store holds the bench trace's outline at its span count; ms waited. */
async function outlineKept(): Promise<number> {
  const t0 = performance.now();
  const db = new Database(traceDb, { readonly: true });
  try {
    for (;;) {
      const kept = db
        .prepare('SELECT o.span_count = t.span_count FROM trace_outlines o JOIN traces t ON t.trace_seq = o.trace_seq WHERE t.trace_id = ?')
        .pluck()
        .get(Buffer.from(TRACE_ID, 'hex'));
      if (kept === 1) return Math.round(performance.now() - t0);
      if (performance.now() - t0 > 120_000) throw new Error("the running core did not keep the trace's outline within 2 minutes");
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    db.close();
  }
}

async function traceFigures(): Promise<Record<string, number>> {
  if (!fs.existsSync(traceDb)) {
    process.stderr.write(`making a ${SPANS.toLocaleString()}-span trace…\n`);
    await buildTraceStore();
  }
  const serve = await startServe(traceDb, ['--otlp-grpc-port', 'off']);
  // A running core keeps a huge trace's outline in the store soon after it starts or after the
  // trace's spans arrive (stored-outlines.ts); the loads below are of a trace whose outline is
  // kept, as an engineer opening it a few seconds after its spans came would find it.
  process.stderr.write(`outline kept ${await outlineKept()} ms after serve started\n`);
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-gpu-vsync',
      '--disable-frame-rate-limit',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    // tsx keeps function names with an __name() helper that in-page functions would call.
    await page.addInitScript({ content: 'window.__name = (fn) => fn;' });
    // First paint and full load are timed in the page, the same way: when the DOM shows it (the
    // first row; the "Loading spans" label gone), after the next frame. Asking from Playwright
    // when it has noticed came 150-250 ms late while the minimap was still drawing in slices.
    await page.addInitScript(() => {
      const w = window as unknown as { __firstRowMs?: number; __allLoadedMs?: number };
      let loading = false;
      let firstRow = false;
      const afterFrame = (set: (ms: number) => void): void => {
        requestAnimationFrame(() => setTimeout(() => set(performance.now()), 0));
      };
      new MutationObserver((_, obs) => {
        if (!firstRow && document.querySelector('[data-testid="waterfall-span-row"]')) {
          firstRow = true;
          afterFrame((ms) => (w.__firstRowMs = ms));
        }
        const label = document.querySelector('[data-testid="trace-page-loading-label"]') !== null;
        if (label) loading = true;
        else if (loading) {
          obs.disconnect();
          afterFrame((ms) => (w.__allLoadedMs = ms));
        }
      }).observe(document, { subtree: true, childList: true });
    });
    const url = `http://127.0.0.1:${serve.ports.ui}/trace/${TRACE_ID}`;
    const firstPaints: number[] = [];
    const allLoaded: number[] = [];
    // The page sizes the UI asks for, to ask for the same pages without the UI (the floor below).
    const pageLimits: number[] = [];
    const onRequest = (r: Request): void => {
      if (r.url().endsWith('/api/getTraceSpans')) pageLimits.push((JSON.parse(r.postData() ?? '{}') as { limit: number }).limit);
    };
    page.on('request', onRequest);
    for (let i = 0; i < 3; i++) {
      pageLimits.length = 0;
      await page.goto(url);
      const timed = await page.waitForFunction(
        () => {
          const w = window as unknown as { __firstRowMs?: number; __allLoadedMs?: number };
          return w.__allLoadedMs !== undefined && w.__firstRowMs !== undefined && [w.__firstRowMs, w.__allLoadedMs];
        },
        null,
        { timeout: 120_000 },
      );
      const [firstRowMs, allLoadedMs] = (await timed.jsonValue()) as [number, number];
      firstPaints.push(firstRowMs);
      allLoaded.push(allLoadedMs);
    }
    page.off('request', onRequest);
    // The floor of a full load: the same getTraceSpans requests, one after another, each answer
    // read with JSON.parse (res.json()), and nothing else: no tree, no rows, no drawing.
    const floor: { ms: number; bytes: number }[] = [];
    for (let i = 0; i < 3; i++) {
      floor.push(
        await page.evaluate(
          async ({ traceId, limits }) => {
            const t0 = performance.now();
            let after: unknown;
            let bytes = 0;
            for (const limit of limits) {
              const res = await fetch('/api/getTraceSpans', {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ traceId, limit, ...(after ? { after } : {}) }),
              });
              bytes += Number(res.headers.get('content-length') ?? 0);
              const answer = (await res.json()) as { result: { next: unknown } };
              after = answer.result.next;
              if (!after) break;
            }
            return { ms: performance.now() - t0, bytes };
          },
          { traceId: TRACE_ID, limits: [...pageLimits] },
        ),
      );
    }
    const floorMs = median(floor.map((f) => f.ms));
    process.stderr.write(
      `full load ${allLoaded.map(r1).join(', ')} ms; floor (the same ${pageLimits.length} requests, fetch + JSON.parse only) ${floor.map((f) => r1(f.ms)).join(', ')} ms, ${(floor[0]!.bytes / 1e6).toFixed(1)} MB\n`,
    );
    // Scrolling while the remaining pages arrive: from 0.5 s after the first row until all are in.
    const loadingScrollP95: number[] = [];
    const loadingScrollMax: number[] = [];
    const loadingScrollFrames: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { __firstRowMs?: number }).__firstRowMs !== undefined, null, { timeout: 60_000 });
      await page.waitForTimeout(500);
      const frames = await page.evaluate(async () => {
        const el = document.querySelector<HTMLElement>('[data-testid="waterfall-scroll"]')!;
        const out: number[] = [];
        await new Promise<void>((resolve) => {
          let last = -1;
          let start = -1;
          const step = (t: number): void => {
            if (last >= 0) out.push(t - last);
            else start = t;
            last = t;
            // Down and up through what has arrived so far, a screen's height every 50 ms.
            const max = el.scrollHeight - el.clientHeight;
            el.scrollTop = (((t - start) / 50) * el.clientHeight) % Math.max(1, max);
            const loading = document.querySelector('[data-testid="trace-page-loading-label"]') !== null;
            if (loading || t - start < 1000) requestAnimationFrame(step);
            else resolve();
          };
          requestAnimationFrame(step);
        });
        return out;
      });
      loadingScrollP95.push(p95(frames));
      loadingScrollMax.push(Math.max(...frames));
      loadingScrollFrames.push(frames.length);
    }
    process.stderr.write(`scroll while loading: p95 ${loadingScrollP95.map(r1).join(', ')} ms; max ${loadingScrollMax.map(r1).join(', ')} ms\n`);
    const rowsLabel = page.getByText(`${SPANS.toLocaleString('en-US')} of ${SPANS.toLocaleString('en-US')} rows`);
    await rowsLabel.waitFor();
    process.stderr.write(`first paint ${firstPaints.map(r1).join(', ')} ms; all ${SPANS} spans in ${allLoaded.map(r1).join(', ')} ms\n`);

    const collapse: number[] = [];
    const expand: number[] = [];
    for (let i = 0; i < 3; i++) {
      collapse.push(await timeToPaint(page, 'waterfall-collapse-all'));
      await page.getByText(`1 of ${SPANS.toLocaleString('en-US')} rows`).waitFor();
      expand.push(await timeToPaint(page, 'waterfall-expand-all'));
      await rowsLabel.waitFor();
    }

    const intervals = await page.evaluate(async (durationMs) => {
      const el = document.querySelector<HTMLElement>('[data-testid="waterfall-scroll"]')!;
      const max = el.scrollHeight - el.clientHeight;
      const out: number[] = [];
      await new Promise<void>((resolve) => {
        let start = -1;
        let last = 0;
        const step = (t: number): void => {
          if (start < 0) start = t;
          else out.push(t - last);
          last = t;
          const f = (t - start) / durationMs;
          // Down the whole trace and back up, at a steady pace.
          el.scrollTop = max * (f < 0.5 ? f * 2 : 2 - f * 2);
          if (t - start < durationMs) requestAnimationFrame(step);
          else resolve();
        };
        requestAnimationFrame(step);
      });
      return out;
    }, SCROLL_MS);
    const domRows = await page.getByTestId('waterfall-span-row').count();

    const detailOpen: number[] = [];
    const detailFull: number[] = [];
    for (let i = 0; i < 10; i++) {
      await page.getByTestId('waterfall-scroll').evaluate((el, k) => (el.scrollTop = (el.scrollHeight / 10) * k), i);
      await page.waitForTimeout(50);
      const t = await page.evaluate(async (k) => {
        const rows = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="waterfall-span-row"]'));
        const row = rows[Math.floor(rows.length / 2) + (k % 5)]!;
        const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        const t0 = performance.now();
        row.click();
        await frame();
        const open = document.querySelector('[data-testid="span-detail-title"]')?.textContent ? performance.now() - t0 : NaN;
        while (document.querySelector('[data-testid="span-detail-loading-label"]')) await frame();
        return { open, full: performance.now() - t0 };
      }, i);
      detailOpen.push(t.open);
      detailFull.push(t.full);
    }
    return {
      spans: SPANS,
      firstPaintMs: r1(median(firstPaints)),
      allSpansLoadedMs: r1(median(allLoaded)),
      fullLoadFloorMs: r1(floorMs),
      fullLoadToFloor: Math.round((median(allLoaded) / floorMs) * 100) / 100,
      fullLoadMegabytes: Math.round(floor[0]!.bytes / 1e5) / 10,
      collapseAllMs: r1(median(collapse)),
      expandAllMs: r1(median(expand)),
      loadingScrollFrameP95Ms: r1(median(loadingScrollP95)),
      loadingScrollFrameMaxMs: r1(median(loadingScrollMax)),
      loadingScrollFrames: median(loadingScrollFrames),
      scrollFrames: intervals.length,
      scrollFrameP95Ms: r1(p95(intervals)),
      scrollFrameMaxMs: r1(Math.max(...intervals)),
      domRowsWhileScrolling: domRows,
      detailOpenP95Ms: r1(p95(detailOpen)),
      detailAttributesP95Ms: r1(p95(detailFull)),
    };
  } finally {
    await browser.close();
    await serve.stop();
  }
}

/** Searches as the trace list sends them: service + attribute + duration, on the 10M-span store. */
async function searchFigures(): Promise<Record<string, number | string>> {
  const db = await monthStore();
  const serve = await startServe(db, ['--otlp-grpc-port', 'off']);
  // A store from before the attribute Bloom filter is indexed by the writer first.
  const started = performance.now();
  const probe = new Database(db, { readonly: true });
  const unindexed = probe.prepare('SELECT count(*) FROM traces WHERE attr_bloom_0 IS NULL').pluck();
  const before = unindexed.get() as number;
  while ((unindexed.get() as number) > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
  probe.close();
  const backfillSeconds = before > 0 ? r1((performance.now() - started) / 1000) : 0;
  if (before > 0) process.stderr.write(`indexed ${before.toLocaleString()} older traces in ${backfillSeconds} s\n`);
  try {
    const api = async <T>(method: string, body: object): Promise<{ ms: number; value: T }> => {
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${serve.ports.ui}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await res.json()) as { result: T } | { error: string };
      if (!res.ok || !('result' in answer)) throw new Error(`${method}: ${JSON.stringify(answer)}`);
      return { ms: performance.now() - t0, value: answer.result };
    };
    const datasets = (await api<DatasetInfo[]>('listDatasets', {})).value;
    const month = datasets.find((d) => d.name === 'month')!;
    const service = 'ranker-api';
    const searches: { kind: string; body: object }[] = [];
    for (let k = 0; k < 6; k++) {
      searches.push({
        kind: 'label, slow',
        body: { attributes: [{ key: 'ml.prediction.label', op: 'eq', value: k % 2 ? 'click' : 'skip' }], minDurationMs: 40 + k * 10 },
      });
      searches.push({
        kind: 'one S3 object',
        body: { attributes: [{ key: 'aws.s3.key', op: 'eq', value: `users/${100 + k * 37}.parquet` }], minDurationMs: 5 },
      });
      searches.push({
        kind: 'status, very slow',
        body: { attributes: [{ key: 'http.response.status_code', op: 'eq', value: 200 }], minDurationMs: 150 + k * 20 },
      });
      searches.push({ kind: 'version, fast', body: { attributes: [{ key: 'ml.model.version', op: 'eq', value: k % 2 ? 'v1' : 'lite' }], maxDurationMs: 30 } });
    }
    // The first search reads a cold 5 GB file from disk; it is reported on its own.
    const cold = await api<unknown[]>('searchTraces', { datasetId: month.id, service, limit: 200, ...searches[0]!.body });
    const times: number[] = [];
    const byKind = new Map<string, number[]>();
    const found: number[] = [];
    for (const s of searches) {
      const r = await api<unknown[]>('searchTraces', { datasetId: month.id, service, limit: 200, ...s.body });
      times.push(r.ms);
      found.push(r.value.length);
      byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), r.ms]);
    }
    for (const [kind, ms] of byKind) process.stderr.write(`search ${kind}: p50 ${r1(median(ms))} ms, max ${r1(Math.max(...ms))} ms\n`);
    return {
      storeSpans: month.spans,
      backfilledTraces: before,
      backfillSeconds,
      searches: times.length,
      firstSearchColdMs: r1(cold.ms),
      searchP50Ms: r1(median(times)),
      searchP95Ms: r1(p95(times)),
      searchMaxMs: r1(Math.max(...times)),
      tracesFoundMedian: median(found),
    };
  } finally {
    await serve.stop();
  }
}

// BENCH_UI_PARTS=trace or =search runs one half (the JSON then has that half's figures only).
const parts = process.env['BENCH_UI_PARTS'] ?? 'trace,search';
const trace = parts.includes('trace') ? await traceFigures() : {};
const search = parts.includes('search') ? await searchFigures() : {};
const figures = {
  ...trace,
  ...search,
  goals: {
    firstPaintUnder1s: trace['firstPaintMs']! < 1000,
    fullLoadUnder1s: trace['allSpansLoadedMs']! < 1000,
    scrollP95Under16ms: trace['scrollFrameP95Ms']! < 16,
    loadingScrollP95Under25ms: trace['loadingScrollFrameP95Ms']! < 25,
    detailOpenUnder16ms: trace['detailOpenP95Ms']! < 16,
    searchP95Under250ms: (search['searchP95Ms'] as number) < 250,
  },
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
};
console.log(
  `${SPANS.toLocaleString()}-span trace: first paint ${trace['firstPaintMs']} ms, all spans ${trace['allSpansLoadedMs']} ms (${trace['fullLoadToFloor']}× its floor of ${trace['fullLoadFloorMs']} ms: the same pages fetched and parsed alone), collapse all ${trace['collapseAllMs']} ms, expand all ${trace['expandAllMs']} ms, scroll p95 frame ${trace['scrollFrameP95Ms']} ms over ${trace['scrollFrames']} frames, while loading ${trace['loadingScrollFrameP95Ms']} ms (max ${trace['loadingScrollFrameMaxMs']} ms), detail open p95 ${trace['detailOpenP95Ms']} ms`,
);
console.log(
  `search over ${Number(search['storeSpans']).toLocaleString()} spans: p95 ${search['searchP95Ms']} ms (p50 ${search['searchP50Ms']} ms, max ${search['searchMaxMs']} ms)`,
);
console.log(JSON.stringify(figures));
