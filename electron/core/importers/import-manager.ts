/**
 * Runs archive imports, each in its own worker thread, and turns their progress into live
 * 'import' events. A UI import gets a fresh dataset, named after the file (with " (2)",
 * " (3)"… when the name is taken); `addToExisting` (the CLI's way) adds to a dataset of that
 * name instead. `wait` resolves with what the import stored.
 */
import { Worker } from 'node:worker_threads';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ImportEvent } from '../../../shared/api/events.js';
import type { ImportSummary } from '../../../shared/model/imports.js';
import type { FromImportWorker, ImportWorkerInit } from './import-worker.js';
import type { LiveEvents } from '../events/live-events.js';

/** An import that cannot start: no such file, a folder. */
export class ImportStartError extends Error {
  override name = 'ImportStartError';
}

interface Running {
  worker: Worker;
  event: ImportEvent;
  deleteAfter: boolean;
  file: string;
  summary: ImportSummary | null;
  done: Promise<ImportOutcome>;
  resolve: (o: ImportOutcome) => void;
}

/** How an import ended, with what it stored (null when it failed before reading anything). */
export interface ImportOutcome {
  state: ImportEvent['state'];
  message: string;
  datasetId: number;
  datasetName: string;
  summary: ImportSummary | null;
}

/**
 * A small young generation keeps the import's memory nearly flat (see ingest/writer-heap.ts),
 * but not smaller than one parsed line: at 8 MB (V8 makes semi-spaces of a third of it) a
 * scavenge fell in the middle of nearly every JSON.parse of a 512 KB line and copied its
 * half-built object graph, 2.1 s of GC in a 256 MB import; at 16 MB 0.4 s.
 */
const IMPORT_THREAD_HEAP = { maxYoungGenerationSizeMb: 16 };

export class ImportManager {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly dbPath: string,
    private readonly events: LiveEvents,
    private readonly datasetNames: () => string[],
    private readonly nativeBinding?: string,
  ) {}

  private freshName(base: string): string {
    const taken = new Set([...this.datasetNames(), ...[...this.running.values()].map((r) => r.event.datasetName)]);
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base} (${i})`)) return `${base} (${i})`;
  }

  /** Throws ImportStartError when `file` cannot be imported at all (missing, a folder). */
  check(file: string): void {
    if (!fs.existsSync(file)) throw new ImportStartError(`${file}: no such file`);
    if (fs.statSync(file).isDirectory()) throw new ImportStartError(`${file} is a folder; name the archive files in it`);
  }

  start(
    file: string,
    options: { displayName: string; datasetName?: string | undefined; addToExisting?: boolean; deleteAfter?: boolean },
  ): { importId: string; datasetName: string } {
    this.check(file);
    const importId = randomUUID();
    const base = options.datasetName ?? path.basename(options.displayName);
    const datasetName = options.addToExisting ? base : this.freshName(base);
    const init: ImportWorkerInit = { dbPath: this.dbPath, file, displayName: options.displayName, dataset: datasetName, nativeBinding: this.nativeBinding };
    const worker = new Worker(new URL('./import-worker.js', import.meta.url), { workerData: init, resourceLimits: IMPORT_THREAD_HEAP });
    const event: ImportEvent = {
      type: 'import',
      importId,
      file: options.displayName,
      datasetName,
      datasetId: 0,
      state: 'running',
      bytesRead: 0,
      totalBytes: fs.statSync(file).size,
      spans: 0,
      elapsedMs: 0,
    };
    let resolve!: (o: ImportOutcome) => void;
    const done = new Promise<ImportOutcome>((r) => (resolve = r));
    const run: Running = { worker, event, deleteAfter: options.deleteAfter ?? false, file, summary: null, done, resolve };
    this.running.set(importId, run);
    worker.on('message', (m: FromImportWorker) => this.onMessage(run, m));
    worker.on('error', (e) => this.finish(run, 'failed', e.message));
    worker.on('exit', () => {
      if (run.event.state === 'running') this.finish(run, 'failed', 'the import stopped unexpectedly');
    });
    this.events.emit({ ...event });
    return { importId, datasetName };
  }

  /** Resolves when the import ends, with what it stored. */
  wait(importId: string): Promise<ImportOutcome> {
    const run = this.running.get(importId);
    if (!run) return Promise.reject(new ImportStartError(`no running import ${importId}`));
    return run.done;
  }

  private onMessage(run: Running, m: FromImportWorker): void {
    const e = run.event;
    if (m.type === 'started') {
      e.datasetId = m.datasetId;
      this.events.emit({ ...e });
    } else if (m.type === 'progress') {
      Object.assign(e, { bytesRead: m.progress.bytesRead, spans: m.progress.spans, elapsedMs: m.progress.elapsedMs });
      this.events.emit({ ...e });
    } else if (m.type === 'done') {
      const s = m.summary;
      run.summary = s;
      e.spans = s.spans;
      e.bytesRead = e.totalBytes;
      const nothing = s.spans + s.metricPoints + s.logRecords + s.duplicateSpans === 0;
      if (nothing) {
        this.finish(run, 'failed', s.issues[0]?.reason ?? 'nothing in this file could be read as traces, metrics or logs');
        return;
      }
      const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
      const parts = [`${count(s.spans, 'span')}, ${count(s.metricPoints, 'metric point')}, ${count(s.logRecords, 'log record')} (${s.format})`];
      if (s.rejected) parts.push(`${count(s.rejected, 'item')} rejected`);
      if (s.badRecords) parts.push(`${count(s.badRecords, 'record')} unreadable: ${s.issues[0]?.reason ?? ''}`);
      this.finish(run, 'done', parts.join('; '));
    } else {
      this.finish(run, m.type, m.message);
    }
  }

  private finish(run: Running, state: ImportEvent['state'], message: string): void {
    if (run.event.state !== 'running') return;
    run.event.state = state;
    run.event.message = message;
    this.events.emit({ ...run.event });
    this.running.delete(run.event.importId);
    run.resolve({ state, message, datasetId: run.event.datasetId, datasetName: run.event.datasetName, summary: run.summary });
    if (run.deleteAfter) fs.rm(run.file, { force: true }, () => undefined);
  }

  cancel(importId: string): boolean {
    const run = this.running.get(importId);
    if (!run) return false;
    run.worker.postMessage({ type: 'cancel' });
    return true;
  }

  async closeAll(): Promise<void> {
    const runs = [...this.running.values()];
    await Promise.all(runs.map((r) => r.worker.terminate()));
    for (const r of runs) this.finish(r, 'cancelled', 'Sightline is shutting down');
    this.running.clear();
  }
}
