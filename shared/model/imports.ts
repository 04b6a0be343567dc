/** What an archive import found and stored: per file, and in total (the CLI's `import --json`). */

export interface ImportIssue {
  file: string;
  line?: number;
  byteOffset?: number;
  reason: string;
}

export interface ImportSummary {
  file: string;
  datasetName: string;
  format: string;
  compression: 'none' | 'gzip' | 'zstd';
  bytes: number;
  spans: number;
  traces: number;
  metricPoints: number;
  logRecords: number;
  duplicateSpans: number;
  /** Distinct spans that shared a span ID with another span of their trace, kept under a new ID (marked `sightline.original_span_id`). */
  renamedSpans: number;
  /** Spans, points or log records refused for being invalid. */
  rejected: number;
  /** Records (lines, messages, documents) that could not be read at all. */
  badRecords: number;
  issues: ImportIssue[];
  /** SHA-256 of the file's bytes as read, when the import read every one of them. */
  sha256?: string;
}

export interface ImportTotals {
  spans: number;
  traces: number;
  metricPoints: number;
  logRecords: number;
  rejected: number;
  badRecords: number;
}

/** The result of importing several files into one dataset, waiting for the end. */
export interface ImportFilesResult {
  datasetId: number | null;
  datasetName: string;
  files: ImportSummary[];
  totals: ImportTotals;
  /** False when nothing could be read and the dataset this import created was removed. */
  kept: boolean;
}
