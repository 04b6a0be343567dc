/**
 * The files each dataset was imported from, with their size and SHA-256 taken at import (an
 * uploaded archive is deleted afterwards, so a report could not hash it later).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Db } from './db.js';

export interface DatasetFile {
  path: string;
  name: string;
  bytes: number;
  sha256: string;
}

/** SHA-256 of a file, read in 1 MiB pieces. */
export function sha256OfFile(file: string): string {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  try {
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

export function recordDatasetFile(db: Db, datasetId: number, f: DatasetFile): void {
  db.prepare('INSERT INTO dataset_files(dataset_id, path, name, bytes, sha256, imported_at_ms) VALUES (?, ?, ?, ?, ?, ?)').run(
    datasetId,
    f.path,
    f.name,
    f.bytes,
    f.sha256,
    Date.now(),
  );
}

export function datasetFiles(db: Db, datasetId: number): DatasetFile[] {
  return db.prepare('SELECT path, name, bytes, sha256 FROM dataset_files WHERE dataset_id = ? ORDER BY rowid').all(datasetId) as DatasetFile[];
}
