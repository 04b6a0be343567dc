/**
 * Datasets: `live` (id 1) is what the receivers write; every import goes into a named dataset
 * of its own, so an archive can be explored alone, compared with live data, or deleted whole.
 */
import type { Db } from './open-store.js';
import type { DatasetInfo } from '../../../shared/model/telemetry.js';

interface DatasetRow {
  id: number;
  name: string;
  kind: string;
  source: string;
  created_at_ms: number;
  traces: number;
  spans: number;
  metric_points: number;
  log_records: number;
}

function toInfo(r: DatasetRow): DatasetInfo {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as DatasetInfo['kind'],
    source: r.source,
    createdAtMs: r.created_at_ms,
    traces: r.traces,
    spans: r.spans,
    metricPoints: r.metric_points,
    logRecords: r.log_records,
  };
}

export function listDatasets(db: Db): DatasetInfo[] {
  return (db.prepare('SELECT * FROM datasets ORDER BY id').all() as DatasetRow[]).map(toInfo);
}

export function findDataset(db: Db, name: string): DatasetInfo | null {
  const row = db.prepare('SELECT * FROM datasets WHERE name = ?').get(name) as DatasetRow | undefined;
  return row ? toInfo(row) : null;
}

/** The dataset called `name`, created if new. */
export function ensureDataset(db: Db, name: string, kind: DatasetInfo['kind'], source: string): DatasetInfo {
  const existing = findDataset(db, name);
  if (existing) return existing;
  db.prepare('INSERT INTO datasets(name, kind, source, created_at_ms) VALUES (?, ?, ?, ?)').run(name, kind, source, Date.now());
  return findDataset(db, name)!;
}

/**
 * Removes a dataset an import just created when nothing was stored in it (an unreadable or
 * failed import leaves no empty dataset behind). Returns true when it was removed.
 */
export function dropDatasetIfEmpty(db: Db, name: string): boolean {
  // One IMMEDIATE transaction: nothing can be stored in it between the check and the delete.
  return db
    .transaction((): boolean => {
      const ds = findDataset(db, name);
      if (!ds || ds.id === 1 || ds.spans + ds.metricPoints + ds.logRecords > 0) return false;
      deleteDataset(db, name);
      return true;
    })
    .immediate();
}

export class DatasetError extends Error {
  override name = 'DatasetError';
}

/** Deletes an imported dataset and everything in it (the live dataset can only be emptied by retention). */
export function deleteDataset(db: Db, name: string): { spans: number; traces: number } {
  const ds = findDataset(db, name);
  if (!ds) throw new DatasetError(`no dataset named "${name}"`);
  if (ds.id === 1) throw new DatasetError('the live dataset cannot be deleted');
  return db
    .transaction(() => {
      const inTraces = 'trace_seq IN (SELECT trace_seq FROM traces WHERE dataset_id = ?)';
      const inResources = 'resource_id IN (SELECT id FROM resources WHERE dataset_id = ?)';
      const spans = db.prepare(`DELETE FROM spans WHERE ${inTraces}`).run(ds.id).changes;
      db.prepare(`DELETE FROM trace_services WHERE ${inTraces}`).run(ds.id);
      db.prepare(`DELETE FROM trace_factors WHERE ${inTraces}`).run(ds.id);
      db.prepare('DELETE FROM predictions WHERE dataset_id = ?').run(ds.id);
      db.prepare('DELETE FROM actuals WHERE dataset_id = ?').run(ds.id);
      db.prepare('DELETE FROM evaluations WHERE dataset_id = ?').run(ds.id);
      db.prepare('DELETE FROM retrievals WHERE dataset_id = ?').run(ds.id);
      db.prepare('DELETE FROM dataset_files WHERE dataset_id = ?').run(ds.id);
      const traces = db.prepare('DELETE FROM traces WHERE dataset_id = ?').run(ds.id).changes;
      db.prepare('DELETE FROM trace_buckets WHERE dataset_id = ?').run(ds.id);
      db.prepare('DELETE FROM trace_bucket_services WHERE dataset_id = ?').run(ds.id);
      db.prepare(`DELETE FROM exemplars WHERE point_id IN (SELECT id FROM metric_points WHERE ${inResources})`).run(ds.id);
      db.prepare(`DELETE FROM metric_points WHERE ${inResources}`).run(ds.id);
      db.prepare(`DELETE FROM log_records WHERE ${inResources}`).run(ds.id);
      db.prepare('DELETE FROM resources WHERE dataset_id = ?').run(ds.id);
      db.prepare('DELETE FROM datasets WHERE id = ?').run(ds.id);
      return { spans, traces };
    })
    .immediate(); // take the write lock first: safe beside the ingest writer
}
