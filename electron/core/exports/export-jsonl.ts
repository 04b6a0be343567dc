/**
 * Export to OTLP JSON Lines, the format the OpenTelemetry Collector's file exporter writes and
 * its otlpjsonfile receiver reads: one ExportTraceServiceRequest per line, here up to
 * `tracesPerLine` whole traces each. Streams with backpressure (gzip optional), so a dataset
 * of any size is exported in bounded memory. The redaction rules apply again on the way out.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Db } from '../store/open-store.js';
import { exportTracesAsOtlp } from '../store/otlp-trace-export.js';
import { Redactor } from '../redaction/redactor.js';
import { readRedactionRules } from '../redaction/redaction-settings.js';
import { storePseudonymKey } from '../redaction/pseudonym-key.js';
import { redactOtlp } from '../redaction/redact-otlp.js';

export interface ExportFilter {
  datasetId: number;
  service?: string | undefined;
  /** Traces starting at or after this time (ms since the epoch). */
  fromMs?: number | undefined;
  /** Traces starting before this time (ms since the epoch). */
  toMs?: number | undefined;
  /** Only these traces (lowercase hex). */
  traceIds?: string[] | undefined;
}

export interface ExportResult {
  traces: number;
  spans: number;
  lines: number;
}

const PAGE = 1000;

export async function exportJsonLines(
  db: Db,
  filter: ExportFilter,
  out: Writable,
  options: { tracesPerLine?: number; onProgress?: (r: ExportResult) => void } = {},
): Promise<ExportResult> {
  const perLine = options.tracesPerLine ?? 100;
  const ms = (v: number | undefined): bigint | null => (v === undefined ? null : BigInt(Math.round(v)) * 1_000_000n);
  const page = db
    .prepare(
      `SELECT trace_seq FROM traces t
     WHERE t.dataset_id = ? AND t.trace_seq > ?
       AND (? IS NULL OR t.start_time_unix_nano >= ?)
       AND (? IS NULL OR t.start_time_unix_nano < ?)
       AND (? IS NULL OR EXISTS (SELECT 1 FROM trace_services ts WHERE ts.trace_seq = t.trace_seq AND ts.service_name = ?))
       AND (? IS NULL OR t.trace_id IN (SELECT unhex(value) FROM json_each(?)))
     ORDER BY t.trace_seq LIMIT ?`,
    )
    .pluck();
  const from = ms(filter.fromMs);
  const to = ms(filter.toMs);
  const service = filter.service ?? null;
  const ids = filter.traceIds ? JSON.stringify(filter.traceIds) : null;
  const result: ExportResult = { traces: 0, spans: 0, lines: 0 };
  const redactor = new Redactor(readRedactionRules(db), storePseudonymKey(db.name));
  let after = 0;
  for (;;) {
    const seqs = page.all(filter.datasetId, after, from, from, to, to, service, service, ids, ids, PAGE) as number[];
    if (seqs.length === 0) break;
    after = seqs[seqs.length - 1]!;
    for (let i = 0; i < seqs.length; i += perLine) {
      const chunk = seqs.slice(i, i + perLine);
      const request = redactOtlp(exportTracesAsOtlp(db, chunk), redactor);
      for (const rs of request.resourceSpans) for (const ss of rs.scopeSpans) result.spans += ss.spans.length;
      result.traces += chunk.length;
      result.lines++;
      if (!out.write(JSON.stringify(request) + '\n')) await once(out, 'drain');
    }
    options.onProgress?.(result);
  }
  return result;
}
