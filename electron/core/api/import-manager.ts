/**
 * Runs archive imports started from the UI, each in its own worker thread, and turns their
 * progress into live 'import' events. Every UI import gets a fresh dataset, named after the
 * file (with " (2)", " (3)"… when the name is taken).
 */
import { Worker } from 'node:worker_threads';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ImportEvent } from '../../../shared/api/events.js';
import type { FromImportWorker, ImportWorkerInit } from '../importers/import-worker.js';
import type { LiveEvents } from './live-events.js';

interface Running {
  worker: Worker;
  event: ImportEvent;
  deleteAfter: boolean;
  file: string;
}

export class ImportManager {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly dbPath: string,
    private readonly events: LiveEvents,
    private readonly datasetNames: () => string[],
    private readonly nativeBinding?: string,
  ) {}

  private freshName(base: string): string {
    const taken = new Set([...this.datasetNames(), ...[...this.running.values()].map((r) => r.event.dataset)]);
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base} (${i})`)) return `${base} (${i})`;
  }

  start(file: string, options: { displayName: string; dataset?: string | undefined; deleteAfter?: boolean }): { importId: string; dataset: string } {
    if (!fs.existsSync(file)) throw new Error(`${file}: no such file`);
    const importId = randomUUID();
    const dataset = this.freshName(options.dataset ?? path.basename(options.displayName));
    const init: ImportWorkerInit = { dbPath: this.dbPath, file, displayName: options.displayName, dataset, nativeBinding: this.nativeBinding };
    const worker = new Worker(new URL('./import-worker.js', import.meta.url), { workerData: init });
    const event: ImportEvent = { type: 'import', importId, file: options.displayName, dataset, datasetId: 0, state: 'running', bytesRead: 0, totalBytes: fs.statSync(file).size, spans: 0, elapsedMs: 0 };
    const run: Running = { worker, event, deleteAfter: options.deleteAfter ?? false, file };
    this.running.set(importId, run);
    worker.on('message', (m: FromImportWorker) => this.onMessage(run, m));
    worker.on('error', (e) => this.finish(run, 'failed', e.message));
    worker.on('exit', () => {
      if (run.event.state === 'running') this.finish(run, 'failed', 'the import stopped unexpectedly');
    });
    this.events.emit({ ...event });
    return { importId, dataset };
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
    } else if (m.type === 'failed') {
      this.finish(run, /cancelled/.test(m.message) ? 'cancelled' : 'failed', m.message);
    }
  }

  private finish(run: Running, state: ImportEvent['state'], message: string): void {
    if (run.event.state !== 'running') return;
    run.event.state = state;
    run.event.message = message;
    this.events.emit({ ...run.event });
    this.running.delete(run.event.importId);
    if (run.deleteAfter) fs.rm(run.file, { force: true }, () => undefined);
  }

  cancel(importId: string): boolean {
    const run = this.running.get(importId);
    if (!run) return false;
    run.worker.postMessage({ type: 'cancel' });
    return true;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.worker.terminate()));
    for (const r of this.running.values()) if (r.deleteAfter) fs.rmSync(r.file, { force: true });
    this.running.clear();
  }
}
