/**
 * npm run bench:report — a 30-day report over 12.5 million spans (BENCH_REPORT_REQUESTS
 * requests × 5 spans; default 2.5M): a storage-slowdown scenario spread over 30 days, made by
 * the scenario generator and imported once (cached in test-results/ between runs), then
 * `sightline report` to HTML, timed end to end as a user runs it, with the process's peak RSS.
 * The last line is one JSON object with seconds, peak RSS and bytes.
 */
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/serve-process.js';
import { runCliWithPeak } from './bench-helpers.js';
import { MONTH_DAYS as DAYS, MONTH_DIR as dir, monthStore } from './month-store.js';

const dbPath = await monthStore();
const out = path.join(dir, 'month.html');
const started = performance.now();
const r = await runCliWithPeak(['report', '--db', dbPath, '--out', out, '--key-dir', path.join(dir, 'keys'), '--json']);
const seconds = (performance.now() - started) / 1000;
if (r.code !== 0) throw new Error(r.stderr);
const result = JSON.parse(r.stdout) as { bytes: number; findings: number; topCause: string | null };
const spans = Number((await runCli(['stats', '--db', dbPath, '--json'])).stdout.match(/"spans":(\d+)/)?.[1] ?? 0);
const figures = {
  spans,
  days: DAYS,
  seconds: Math.round(seconds * 100) / 100,
  peakRssMb: r.peakRssMb,
  bytes: result.bytes,
  findings: result.findings,
  topCause: result.topCause,
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
};
console.log(
  `30-day report over ${spans.toLocaleString()} spans: ${figures.seconds} s (peak RSS ${figures.peakRssMb} MiB), ${(figures.bytes / 1024).toFixed(0)} KiB HTML; ${figures.findings} finding(s), top cause ${figures.topCause}`,
);
console.log(JSON.stringify(figures));
