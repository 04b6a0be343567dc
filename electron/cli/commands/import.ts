/**
 * `sightline import FILE… [--db PATH] [--dataset NAME] [--json]`: reads trace archives of
 * any supported format into a dataset of the store (named after the first file unless given;
 * an existing dataset is added to), with progress on stderr, and prints a summary of what was imported and
 * what was rejected (with file, line or byte offset, and reason). Safe beside a running
 * `sightline serve` on the same store: both write through short immediate transactions.
 */
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { openWriter } from '../../core/store/open-store.js';
import { BatchWriter } from '../../core/store/batch-writer.js';
import { importFile, type ImportProgress, type ImportSummary } from '../../core/importers/import-file.js';
import { defaultDbPath } from '../../core/util/app-paths.js';
import { dropDatasetIfEmpty, ensureDataset, findDataset } from '../../core/store/datasets.js';
import { recordDatasetFile, sha256OfFile } from '../../core/store/dataset-files.js';
import { storeBatchRedaction } from '../../core/redaction/redaction-settings.js';
import { CliError } from '../cli-error.js';

function formatProgress(p: ImportProgress): string {
  const seconds = p.elapsedMs / 1000;
  const mb = p.bytesRead / 1048576;
  const rate = seconds > 0 ? mb / seconds : 0;
  const left = rate > 0 ? Math.max(0, (p.totalBytes - p.bytesRead) / 1048576 / rate) : NaN;
  const pct = p.totalBytes > 0 ? Math.min(100, (p.bytesRead / p.totalBytes) * 100) : 100;
  return `${path.basename(p.file)}: ${pct.toFixed(0)}% ${mb.toFixed(1)}/${(p.totalBytes / 1048576).toFixed(1)} MB, ${p.spans.toLocaleString()} spans, ${rate.toFixed(1)} MB/s${Number.isFinite(left) ? `, ${left.toFixed(0)} s left` : ''}`;
}

export async function importCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { db: { type: 'string' }, dataset: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length === 0) throw new CliError('usage: sightline import FILE… [--db PATH] [--dataset NAME] [--json]');
  const datasetName = values.dataset ?? path.basename(positionals[0]!);
  if (datasetName === 'live') throw new CliError('imports go into a dataset of their own; "live" is the receivers\' dataset');
  for (const f of positionals) if (!fs.existsSync(f)) throw new CliError(`${f}: no such file`);
  const db = openWriter(path.resolve(values.db ?? defaultDbPath()), { cacheMb: 16 });
  const writer = new BatchWriter(db);
  const redaction = storeBatchRedaction(db);
  const existed = findDataset(db, datasetName) !== null;
  const dataset = ensureDataset(db, datasetName, 'import', positionals.map((f) => path.resolve(f)).join(', '));
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  process.once('SIGINT', cancel);
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const onProgress = (p: ImportProgress): void => {
    if (tty) process.stderr.write(`\r${formatProgress(p)}\x1b[K`);
    else if (p.elapsedMs - lastLine >= 2000) {
      lastLine = p.elapsedMs;
      process.stderr.write(formatProgress(p) + '\n');
    }
  };
  const files: ImportSummary[] = [];
  try {
    for (const f of positionals) {
      files.push(await importFile(f, writer, { dataset, onProgress, signal: controller.signal, redaction }));
      recordDatasetFile(db, dataset.id, { path: path.resolve(f), name: path.basename(f), bytes: fs.statSync(f).size, sha256: sha256OfFile(f) });
      if (tty) process.stderr.write('\n');
    }
  } catch (e) {
    throw new CliError((e as Error).message);
  } finally {
    process.off('SIGINT', cancel);
    // Nothing stored: an import that created the dataset leaves none behind.
    const removed = !existed && dropDatasetIfEmpty(db, dataset.name);
    if (removed && !values.json) process.stderr.write(`nothing was imported; dataset "${dataset.name}" was not kept\n`);
    db.close();
  }
  const totals = files.reduce(
    (t, s) => ({ spans: t.spans + s.spans, traces: t.traces + s.traces, metricPoints: t.metricPoints + s.metricPoints, logRecords: t.logRecords + s.logRecords, rejected: t.rejected + s.rejected, badRecords: t.badRecords + s.badRecords }),
    { spans: 0, traces: 0, metricPoints: 0, logRecords: 0, rejected: 0, badRecords: 0 },
  );
  if (values.json) process.stdout.write(JSON.stringify({ dataset: dataset.name, files, totals }) + '\n');
  else {
    process.stdout.write(`dataset "${dataset.name}"\n`);
    for (const s of files) {
      process.stdout.write(`${s.file}: ${s.format}${s.compression !== 'none' ? `, ${s.compression}` : ''}: ${s.spans} spans in ${s.traces} new traces, ${s.metricPoints} metric points, ${s.logRecords} log records`);
      process.stdout.write(s.rejected || s.badRecords ? `; ${s.rejected} items rejected, ${s.badRecords} records unreadable\n` : '\n');
      if (s.renamedSpans) process.stdout.write(`  ${s.renamedSpans} spans shared a span ID with another span of their trace: all kept, the later ones under new IDs marked sightline.original_span_id\n`);
      if (s.duplicateSpans) process.stdout.write(`  ${s.duplicateSpans} spans were exact repeats of stored spans and were not stored again\n`);
      for (const i of s.issues) process.stdout.write(`  ${i.file}${i.line !== undefined ? `:${i.line}` : ''}${i.byteOffset !== undefined ? ` @${i.byteOffset}` : ''}: ${i.reason}\n`);
    }
  }
  // Nothing at all could be read from some file: say so with the exit code.
  if (files.some((s) => s.spans + s.metricPoints + s.logRecords + s.duplicateSpans === 0 && s.badRecords > 0)) process.exitCode = 1;
}
