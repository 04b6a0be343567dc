/**
 * npm run bench:analysis — drift detection and attribution over 1 million predictions
 * (4 million spans; BENCH_PREDICTIONS to change): a 24-hour storage-slowdown scenario made by
 * the scenario generator, written as an OTLP JSON Lines archive and imported with
 * `sightline import` (cached in test-results/ between runs: building it takes minutes).
 * Times `analyze` in process as the app runs it (the ground truth, half the drift tests and half of each
 * attribution on a second thread) and on one thread, medians of 3; `sightline analyze` end to
 * end; and, as the floor in the same run, a bare SELECT of what it reads (the prediction blocks
 * packed at ingest, and the factor rows of the traces after them). A cached store from an older
 * schema is upgraded (and packed) first. The last line is one JSON object with the figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openReader, openWriter } from '../../electron/core/store/open-store.js';
import '../../electron/core/ml/refill-old-stores.js';
import { analyze } from '../../electron/core/analysis/analyze.js';
import { qualityThread } from '../../electron/core/analysis/quality-thread.js';
import { writeScenarioArchive } from '../scenarios/write-archive.js';
import { ROOT, runCli } from '../helpers/serve-process.js';
import { machine, percentile, runCliWithPeak } from './bench-helpers.js';

const PREDICTIONS = Number(process.env['BENCH_PREDICTIONS'] ?? 1_000_000);
const CACHE_DIR = path.join(ROOT, 'test-results', 'bench-analysis');
const dbPath = path.join(CACHE_DIR, `analysis-${PREDICTIONS}.db`);

async function buildStore(): Promise<void> {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const archive = path.join(CACHE_DIR, `analysis-${PREDICTIONS}.jsonl.gz`);
  const started = performance.now();
  process.stderr.write(`generating ${PREDICTIONS.toLocaleString()} requests (${(PREDICTIONS * 4).toLocaleString()} spans)…\n`);
  await writeScenarioArchive(archive, {
    scenario: 'storage-slowdown',
    model: 'ranker',
    requests: PREDICTIONS,
    durationMs: 24 * 3600_000,
    startMs: Date.UTC(2026, 9, 1),
    seed: 99,
  });
  process.stderr.write(`archive ${(fs.statSync(archive).size / 1e6).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(0)} s; importing…\n`);
  const r = await runCli(['import', archive, '--db', dbPath, '--dataset', 'bench', '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  fs.rmSync(archive);
}

if (!fs.existsSync(dbPath)) await buildStore();
openWriter(dbPath).close(); // migrates a store cached by an older build
const db = openReader(dbPath);
const predictions = db.prepare('SELECT count(*) FROM predictions').pluck().get() as number;
const spans = db.prepare('SELECT sum(spans) FROM datasets').pluck().get() as number;

// Floors, doing nothing with what they read: the packed prediction blocks (written at ingest,
// with their traces' factors) and the factor rows of the traces after them, which is what
// analyze reads; and, for comparison, the prediction rows the blocks replace.
const timed = (read: () => void): number => {
  const started = performance.now();
  read();
  return (performance.now() - started) / 1000;
};
let touched = 0;
const floorSeconds = timed(() => {
  for (const row of db.prepare('SELECT columns, factors FROM prediction_blocks').raw(true).iterate()) touched += (row as Buffer[])[0]!.length;
  for (const row of db
    .prepare('SELECT trace_seq, observations FROM trace_factors WHERE trace_seq > (SELECT coalesce(max(max_trace_seq), 0) FROM prediction_blocks)')
    .raw(true)
    .iterate())
    touched += (row as unknown[]).length;
});
const rowsSeconds = timed(() => {
  for (const row of db
    .prepare('SELECT time_unix_nano / 1000000, trace_seq, model_version, score, label, confidence, host, features FROM predictions ORDER BY time_unix_nano')
    .raw(true)
    .iterate())
    touched += (row as unknown[]).length;
});
const packed = db.prepare('SELECT sum(rows) FROM prediction_blocks').pluck().get() as number | null;

// In process, twice: on one thread, and as the app runs it (the job worker and reports pass a
// quality thread: the ground truth, half the drift tests and half of each attribution on the second core, here
// the built worker).
const quality = qualityThread(db, undefined, { workerUrl: new URL('../../dist/app/quality-worker.js', import.meta.url) });
const runs: number[] = [];
const threadedRuns: number[] = [];
let findings = 0;
let topCause = '';
for (let i = 0; i < 3; i++) {
  for (const io of [null, quality.io]) {
    const started = performance.now();
    const result = await analyze(db, {}, io ?? {});
    (io ? threadedRuns : runs).push((performance.now() - started) / 1000);
    findings = result.findings.length;
    topCause = result.findings[0]?.causes[0] ? `${result.findings[0].causes[0].kind}: ${result.findings[0].causes[0].factor}` : 'none';
  }
}
quality.stop();
db.close();
const median = (xs: number[]): number => percentile(xs, 50);
const seconds = median(runs);
const threadedSeconds = median(threadedRuns);
// And as a user runs it: `sightline analyze` (a job worker, with its second thread), end to end.
const cliRuns: number[] = [];
const cliPeaks: number[] = [];
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  const r = await runCliWithPeak(['analyze', '--db', dbPath, '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  cliRuns.push((performance.now() - started) / 1000);
  cliPeaks.push(r.peakRssMb);
}
const cliSeconds = median(cliRuns);
const figures = {
  predictions,
  spans,
  threadedSeconds: Math.round(threadedSeconds * 1000) / 1000,
  seconds: Math.round(seconds * 1000) / 1000,
  cliSeconds: Math.round(cliSeconds * 1000) / 1000,
  cliPeakRssMb: median(cliPeaks),
  rowsPerSecond: Math.round(predictions / threadedSeconds),
  floorSeconds: Math.round(floorSeconds * 1000) / 1000,
  predictionRowsSeconds: Math.round(rowsSeconds * 1000) / 1000,
  packedPredictions: packed ?? 0,
  ratioToFloor: Math.round((floorSeconds / threadedSeconds) * 100) / 100,
  findings,
  topCause,
  machine: machine(),
};
if (touched === 0) throw new Error('no rows read');
console.log(
  `analysis of ${predictions.toLocaleString()} predictions (${spans.toLocaleString()} spans): ${figures.threadedSeconds} s in process as the app runs it (ground truth on a second thread; median of 3), ${figures.rowsPerSecond.toLocaleString()} predictions/s; on one thread ${figures.seconds} s; \`sightline analyze\` end to end (process start included) ${figures.cliSeconds} s, peak RSS ${figures.cliPeakRssMb} MiB; reading the blocks (and the factor rows after them) alone: ${figures.floorSeconds} s (ratio ${figures.ratioToFloor}; ${figures.packedPredictions.toLocaleString()} predictions in blocks; reading them as rows instead: ${figures.predictionRowsSeconds} s); ${findings} finding(s), top cause ${topCause}`,
);
console.log(JSON.stringify(figures));
