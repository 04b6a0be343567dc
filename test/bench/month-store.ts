/**
 * The benchmarks' 30-day store: BENCH_REPORT_REQUESTS requests × 5 spans (default 2.5M, so
 * 12.5 million spans) of the storage-slowdown scenario, made by the scenario generator and imported
 * once, then cached in test-results/bench-report/ for bench:report and bench:ui.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeScenarioArchive } from '../scenarios/write-archive.js';
import { ROOT, runCli } from '../helpers/serve-process.js';

export const MONTH_REQUESTS = Number(process.env['BENCH_REPORT_REQUESTS'] ?? 2_500_000);
export const MONTH_DAYS = 30;
export const MONTH_DIR = path.join(ROOT, 'test-results', 'bench-report');
export const MONTH_DB = path.join(MONTH_DIR, `report-${MONTH_REQUESTS}.db`);

/** The store's path, built first if it is not cached yet (about 20 minutes at 10M spans). */
export async function monthStore(): Promise<string> {
  if (fs.existsSync(MONTH_DB)) return MONTH_DB;
  fs.mkdirSync(MONTH_DIR, { recursive: true });
  const archive = path.join(MONTH_DIR, `report-${MONTH_REQUESTS}.jsonl.gz`);
  process.stderr.write(`generating ${MONTH_REQUESTS.toLocaleString()} requests over ${MONTH_DAYS} days…\n`);
  await writeScenarioArchive(archive, {
    scenario: 'storage-slowdown',
    model: 'ranker',
    requests: MONTH_REQUESTS,
    durationMs: MONTH_DAYS * 86_400_000,
    startMs: Date.UTC(2026, 8, 1),
    seed: 30,
  });
  process.stderr.write('importing…\n');
  const r = await runCli(['import', archive, '--db', MONTH_DB, '--dataset', 'month', '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  fs.rmSync(archive);
  return MONTH_DB;
}
