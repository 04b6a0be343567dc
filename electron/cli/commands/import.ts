/**
 * `sightline import FILE… [--db PATH] [--dataset NAME] [--json]`: reads trace archives of any
 * supported format into a dataset of the store (named after the first file unless given; an
 * existing dataset is added to), with progress on stderr, and prints what was imported and
 * what was rejected (with file, line or byte offset, and reason). Through the contract's
 * `importFiles`, so each file is read by the same import worker the app uses. Safe beside a
 * running `sightline serve` on the same store: both write in short immediate transactions.
 * Ctrl-C cancels; what was committed stays.
 */
import path from 'node:path';
import type { ImportEvent } from '../../../shared/api/events.js';
import type { ImportFilesResult, ImportSummary, ImportTotals } from '../../../shared/model/imports.js';
import { CliError, UsageError } from '../cli-error.js';
import { withCore, type CliCore } from '../core-client.js';
import { filesUnder } from '../input-files.js';
import { parseOptions } from '../options.js';

export const IMPORT_USAGE = `sightline import FILE|FOLDER… [--db PATH] [--dataset NAME] [--json]
      OTLP JSON, OTLP JSON Lines, OTLP protobuf (single or length-prefixed stream),
      Jaeger JSON, Zipkin v2 JSON; plain, gzip or zstd; detected from the content.
      A folder: every file in it, recursively (hidden ones left out).`;

/** How many paths one importFiles call takes (the contract's limit). */
const PATHS_PER_CALL = 1000;

function formatProgress(e: ImportEvent): string {
  const seconds = e.elapsedMs / 1000;
  const mb = e.bytesRead / 1048576;
  const rate = seconds > 0 ? mb / seconds : 0;
  const left = rate > 0 ? Math.max(0, (e.totalBytes - e.bytesRead) / 1048576 / rate) : NaN;
  const pct = e.totalBytes > 0 ? Math.min(100, (e.bytesRead / e.totalBytes) * 100) : 100;
  return `${path.basename(e.file)}: ${pct.toFixed(0)}% ${mb.toFixed(1)}/${(e.totalBytes / 1048576).toFixed(1)} MB, ${e.spans.toLocaleString()} spans, ${rate.toFixed(1)} MB/s${Number.isFinite(left) ? `, ${left.toFixed(0)} s left` : ''}`;
}

function printSummary(s: ImportSummary): void {
  process.stdout.write(
    `${shown(s.file)}: ${s.format}${s.compression !== 'none' ? `, ${s.compression}` : ''}: ${s.spans} spans in ${s.traces} new traces, ${s.metricPoints} metric points, ${s.logRecords} log records`,
  );
  process.stdout.write(s.rejected || s.badRecords ? `; ${s.rejected} items rejected, ${s.badRecords} records unreadable\n` : '\n');
  if (s.renamedSpans)
    process.stdout.write(
      `  ${s.renamedSpans} spans shared a span ID with another span of their trace: all kept, the later ones under new IDs marked sightline.original_span_id\n`,
    );
  if (s.duplicateSpans) process.stdout.write(`  ${s.duplicateSpans} spans were exact repeats of stored spans and were not stored again\n`);
  for (const i of s.issues)
    process.stdout.write(
      `  ${shown(i.file)}${i.line !== undefined ? `:${i.line}` : ''}${i.byteOffset !== undefined ? ` @${i.byteOffset}` : ''}: ${i.reason}\n`,
    );
}

/** A path as the user would write it: relative to the working folder when it is inside it. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Several importFiles answers (a folder of more files than one call takes) as one. */
function merged(results: ImportFilesResult[]): ImportFilesResult {
  const totals = { ...results[0]!.totals };
  for (const r of results.slice(1)) for (const k of Object.keys(totals) as (keyof ImportTotals)[]) totals[k] += r.totals[k];
  const kept = results.filter((r) => r.kept);
  return { ...results[0]!, datasetId: kept.at(-1)?.datasetId ?? null, files: results.flatMap((r) => r.files), totals, kept: kept.length > 0 };
}

async function importAll(core: CliCore, paths: string[], datasetName: string): Promise<ImportFilesResult> {
  const results: ImportFilesResult[] = [];
  for (let i = 0; i < paths.length; i += PATHS_PER_CALL)
    results.push(await core.call('importFiles', { paths: paths.slice(i, i + PATHS_PER_CALL), datasetName }));
  return merged(results);
}

export async function importCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseOptions(argv, { db: { type: 'string' }, dataset: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (positionals.length === 0) throw new UsageError('name the files (or folders) to import: sightline import FILE…');
  // Checked before the store is made, so a typo leaves nothing behind.
  const files = positionals.flatMap((f) => {
    const found = filesUnder(f);
    if (found.length === 0) throw new CliError(`${f}: the folder has no files to import`);
    return found.map((file) => path.resolve(file));
  });
  const datasetName = values.dataset ?? path.basename(path.resolve(positionals[0]!));
  if (datasetName === 'live') throw new CliError('imports go into a dataset of their own; "live" is the receivers\' dataset');
  const result = await withCore(values.db, { create: true }, async (core) => {
    const tty = process.stderr.isTTY;
    let running: string | null = null;
    let cancelled = false;
    let lastLineMs = -Infinity;
    const unsubscribe = core.subscribe((e) => {
      if (e.type !== 'import') return;
      running = e.state === 'running' ? e.importId : null;
      // Ctrl-C stops the batch: a file that starts after it (the cancel landed between files) is stopped too.
      if (cancelled && running) void core.call('cancelImport', { importId: running });
      if (tty) process.stderr.write(`\r${formatProgress(e)}\x1b[K${e.state === 'running' ? '' : '\n'}`);
      else if (e.state === 'running' && e.elapsedMs - lastLineMs >= 2000) {
        lastLineMs = e.elapsedMs;
        process.stderr.write(formatProgress(e) + '\n');
      }
    });
    const cancel = (): void => {
      if (cancelled) process.exit(130); // a second Ctrl-C: stop now; what was committed stays
      cancelled = true;
      process.stderr.write('\ncancelling (Ctrl-C again to stop at once)…\n');
      if (running) void core.call('cancelImport', { importId: running });
    };
    process.on('SIGINT', cancel);
    try {
      return await importAll(core, files, datasetName);
    } finally {
      process.off('SIGINT', cancel);
      unsubscribe();
    }
  });
  if (!result.kept && !values.json) process.stderr.write(`nothing was imported; dataset "${result.datasetName}" was not kept\n`);
  if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    process.stdout.write(`dataset "${result.datasetName}"\n`);
    for (const s of result.files) printSummary(s);
  }
  // Nothing at all could be read from some file: say so with the exit code.
  if (result.files.some((s) => s.spans + s.metricPoints + s.logRecords + s.duplicateSpans === 0 && s.badRecords > 0)) process.exitCode = 1;
}
