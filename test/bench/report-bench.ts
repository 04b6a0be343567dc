/**
 * npm run bench:report — a 30-day report over 10 million spans (BENCH_REPORT_REQUESTS
 * requests × 4 spans; default 2.5M): a storage-slowdown scenario spread over 30 days, made by
 * the scenario generator and imported once (cached in test-results/ between runs), then
 * `sightline report` to HTML, timed end to end as a user runs it. The last line is one JSON
 * object with seconds and bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeScenarioArchive } from '../scenarios/write-archive.js';
import { ROOT, runCli } from '../helpers/serve-process.js';

const REQUESTS = Number(process.env['BENCH_REPORT_REQUESTS'] ?? 2_500_000);
const DAYS = 30;
const dir = path.join(ROOT, 'test-results', 'bench-report');
const dbPath = path.join(dir, `report-${REQUESTS}.db`);

async function buildStore(): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const archive = path.join(dir, `report-${REQUESTS}.jsonl.gz`);
  process.stderr.write(`generating ${REQUESTS.toLocaleString()} requests over ${DAYS} days…\n`);
  await writeScenarioArchive(archive, { scenario: 'storage-slowdown', model: 'ranker', requests: REQUESTS, durationMs: DAYS * 86_400_000, startMs: Date.UTC(2026, 8, 1), seed: 30 });
  process.stderr.write('importing…\n');
  const r = await runCli(['import', archive, '--db', dbPath, '--dataset', 'month', '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  fs.rmSync(archive);
}

if (!fs.existsSync(dbPath)) await buildStore();
const out = path.join(dir, 'month.html');
const started = performance.now();
const r = await runCli(['report', '--db', dbPath, '--out', out, '--key-dir', path.join(dir, 'keys'), '--json']);
const seconds = (performance.now() - started) / 1000;
if (r.code !== 0) throw new Error(r.stderr);
const result = JSON.parse(r.stdout) as { bytes: number; findings: number; topCause: string | null };
const spans = Number((await runCli(['stats', '--db', dbPath, '--json'])).stdout.match(/"spans":(\d+)/)?.[1] ?? 0);
const figures = {
  spans,
  days: DAYS,
  seconds: Math.round(seconds * 100) / 100,
  bytes: result.bytes,
  findings: result.findings,
  topCause: result.topCause,
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
};
console.log(`30-day report over ${spans.toLocaleString()} spans: ${figures.seconds} s, ${(figures.bytes / 1024).toFixed(0)} KiB HTML; ${figures.findings} finding(s), top cause ${figures.topCause}`);
console.log(JSON.stringify(figures));
