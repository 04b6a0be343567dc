/**
 * Imports one archive file into the store: compression and format detected from content,
 * data streamed (JSON Lines and protobuf streams never sit in memory whole), committed in
 * batches through the ingest writer, progress reported as it goes. Bad records are
 * reported with the file, the line or byte offset and the reason, and the good ones are kept;
 * nothing imported earlier is touched.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { countItems, type DecodedBatch, type Signal } from '../otlp/model.js';
import type { WriteTotals } from '../store/batch-writer.js';
import { IngestWriter } from '../ingest/ingest-writer.js';
import { indexRedacted } from '../store/attribute-bloom.js';
import { InThreadSink, type BatchSink } from './batch-sink.js';
import type { BatchRedaction } from '../redaction/batch-redaction.js';
import { DecompressError, decompressedChunks, detectCompression, readHead, type Compression } from './decompress-stream.js';
import { jsonRecordToBatch } from './json-records.js';
import { decodeAnySignal, detectFraming, FrameSplitter, type Framing } from './protobuf-frames.js';
import type { ImportIssue, ImportSummary } from '../../../shared/model/imports.js';

export type { ImportIssue, ImportSummary };

export interface ImportProgress {
  file: string;
  bytesRead: number;
  totalBytes: number;
  spans: number;
  metricPoints: number;
  logRecords: number;
  elapsedMs: number;
}

export interface ImportOptions {
  /** The dataset to import into (see store/datasets.ts). */
  dataset: { id: number; name: string };
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /** Items per transaction. */
  batchItems?: number;
  /**
   * The store's redaction rules, applied here as each batch is decoded (callers that commit on
   * this thread), so the write lock is not held while redacting. Without it the sink
   * redacts: the import's writer thread before each transaction, or the ingest writer inside it.
   */
  redaction?: BatchRedaction;
}

const MAX_ISSUES = 50;
const MAX_SINGLE_DOCUMENT_BYTES = 512 * 1024 * 1024;
const PROGRESS_INTERVAL_MS = 250;

export class ImportAbortedError extends Error {
  override name = 'ImportAbortedError';
}

/** `to`: an IngestWriter commits on this thread; a BatchSink may commit elsewhere (batch-sink.ts). */
export async function importFile(path: string, to: IngestWriter | BatchSink, options: ImportOptions): Promise<ImportSummary> {
  const sink = to instanceof IngestWriter ? new InThreadSink(to, options.dataset.id) : to;
  const totalBytes = fs.statSync(path).size;
  const compression = detectCompression(readHead(path, 4));
  const summary: ImportSummary = {
    file: path,
    datasetName: options.dataset.name,
    format: 'unknown',
    compression,
    bytes: totalBytes,
    spans: 0,
    traces: 0,
    metricPoints: 0,
    logRecords: 0,
    duplicateSpans: 0,
    renamedSpans: 0,
    rejected: 0,
    badRecords: 0,
    issues: [],
  };
  const issue = (i: Omit<ImportIssue, 'file'>): void => {
    summary.badRecords++;
    if (summary.issues.length < MAX_ISSUES) summary.issues.push({ file: path, ...i });
  };
  if (totalBytes === 0) {
    issue({ byteOffset: 0, reason: 'the file is empty' });
    return summary;
  }

  const started = Date.now();
  let bytesRead = 0;
  // The file's hash as it is read (a dataset records it), instead of reading the file again after.
  const fileHash = crypto.createHash('sha256');
  let lastProgress = 0;
  const progress = (force = false): void => {
    const now = Date.now();
    if (!options.onProgress || (!force && now - lastProgress < PROGRESS_INTERVAL_MS)) return;
    lastProgress = now;
    options.onProgress({
      file: path,
      bytesRead,
      totalBytes,
      spans: summary.spans,
      metricPoints: summary.metricPoints,
      logRecords: summary.logRecords,
      elapsedMs: now - started,
    });
  };

  let pendingItems = 0;
  // Items per group: bounds memory (20k measured 517 MB peak RSS on 1 GiB, 5k less). A group
  // leaves between chunks, so it may hold one chunk's items more.
  const batchItems = options.batchItems ?? 5_000;
  const committed = (t: WriteTotals): void => {
    summary.spans += t.spans;
    summary.traces += t.traces;
    summary.metricPoints += t.metricPoints;
    summary.logRecords += t.logRecords;
    summary.duplicateSpans += t.duplicateSpans;
    summary.renamedSpans += t.renamedSpans;
    progress();
  };
  /** The redaction rules are read again once per group (a settings lookup), not per batch. */
  let rulesRead = false;
  const flush = (): void => {
    if (pendingItems === 0) return;
    pendingItems = 0;
    rulesRead = false;
    sink.submit(committed);
  };
  const add = (batch: DecodedBatch, where: Omit<ImportIssue, 'file' | 'reason'>): void => {
    summary.rejected += batch.rejected;
    if (batch.rejected > 0 && summary.issues.length < MAX_ISSUES)
      summary.issues.push({ file: path, ...where, reason: `${batch.rejected} rejected: ${batch.rejectReasons.join('; ')}` });
    const items = countItems(batch);
    if (items === 0) return;
    // With rules given, redaction and the attribute index are made here, so the writer (with
    // the store's write lock) only inserts; otherwise the sink's writer thread makes them.
    // Called outside the record handlers' error handling: a failure here fails the import
    // rather than counting as a bad record.
    if (options.redaction) {
      if (!rulesRead) options.redaction.refresh();
      rulesRead = true;
      if (!batch.redacted) options.redaction.redact(batch);
      indexRedacted(batch);
    }
    sink.add(batch);
    pendingItems += items;
  };
  const stopIfCancelled = async (): Promise<void> => {
    if (!options.signal?.aborted) return;
    await sink.finish().catch(() => undefined);
    throw new ImportAbortedError(`import of ${path} cancelled; ${summary.spans} spans committed before that were kept`);
  };
  /**
   * Between chunks: hand over a full group, then wait while the writer has two (bounded memory),
   * and stop when cancelled. Groups leave only from here and at the end, never from inside a
   * record's handling: a failing hand-over fails the import instead of counting as a bad record.
   */
  const pace = async (): Promise<void> => {
    await stopIfCancelled();
    if (pendingItems >= batchItems) flush();
    await sink.ready();
    await stopIfCancelled();
  };

  try {
    await importContent(
      path,
      compression,
      (fileBytes) => {
        bytesRead += fileBytes.length;
        fileHash.update(fileBytes);
      },
      add,
      issue,
      pace,
      (f) => (summary.format = f),
    );
  } catch (e) {
    if (!(e instanceof DecompressError)) {
      await sink.finish().catch(() => undefined); // what was handed over is committed (or failed) before the import ends
      throw e;
    }
    issue({ byteOffset: bytesRead, reason: `${e.message}; what came before it was imported` });
  }
  flush();
  await sink.finish();
  if (bytesRead === totalBytes) summary.sha256 = fileHash.digest('hex');
  progress(true);
  return summary;
}

async function importContent(
  path: string,
  compression: Compression,
  onRead: (fileBytes: Buffer) => void,
  add: Add,
  issue: Issue,
  pace: () => Promise<void>,
  setFormat: (f: string) => void,
): Promise<void> {
  const chunks = decompressedChunks(path, compression, onRead);
  // Peek at the start of the decompressed content to tell the format. JSON needs its whole
  // first line (Collector lines can be megabytes) to tell JSON Lines from one document.
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  let looksJson: boolean | null = null;
  let sawNewline = false;
  for (;;) {
    const r = await chunks.next();
    if (r.done) {
      ended = true;
      break;
    }
    headChunks.push(r.value);
    headBytes += r.value.length;
    if (looksJson === null) {
      const b = firstContentByte(r.value);
      if (b !== undefined) looksJson = isJsonStart(b);
    }
    sawNewline ||= r.value.includes(0x0a);
    const enough = looksJson === true ? sawNewline || headBytes >= MAX_FIRST_LINE_BYTES : headBytes >= 64 * 1024;
    if (enough) break;
  }
  const head = Buffer.concat(headChunks);
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (!ended) for await (const c of chunks) yield c;
  }

  const firstByte = firstContentByte(head);
  if (firstByte !== undefined && isJsonStart(firstByte)) {
    const newline = head.indexOf(0x0a);
    const firstLine = head
      .subarray(0, newline >= 0 ? newline : head.length)
      .toString('utf8')
      .trim();
    let isLines = false;
    if (newline >= 0 || ended) {
      try {
        JSON.parse(firstLine);
        isLines = newline >= 0 && head.subarray(newline).toString('utf8').trim().length > 0;
      } catch {
        isLines = false;
      }
    }
    if (isLines) await importJsonLines(rest(), add, issue, pace, setFormat);
    else await importJsonDocument(rest(), add, issue, setFormat);
  } else {
    await importProtobuf(head, ended, rest(), add, issue, pace, setFormat);
  }
}

const MAX_FIRST_LINE_BYTES = 64 * 1024 * 1024;

/** The first byte that is not white space or a UTF-8 byte-order mark. */
function firstContentByte(buf: Buffer): number | undefined {
  return buf.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
}

const isJsonStart = (b: number): boolean => b === 0x7b /* { */ || b === 0x5b; /* [ */

type Add = (batch: DecodedBatch, where: Omit<ImportIssue, 'file' | 'reason'>) => void;
type Issue = (i: Omit<ImportIssue, 'file'>) => void;

async function importJsonLines(
  input: AsyncGenerator<Buffer>,
  add: Add,
  issue: Issue,
  pace: () => Promise<void>,
  setFormat: (f: string) => void,
): Promise<void> {
  let line = 0;
  let kind: string | null = null;
  const handle = (text: string): void => {
    line++;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      issue({ line, reason: `invalid JSON: ${(e as Error).message}` });
      return;
    }
    let r: ReturnType<typeof jsonRecordToBatch>;
    try {
      r = jsonRecordToBatch(value);
    } catch (e) {
      issue({ line, reason: (e as Error).message });
      return;
    }
    kind ??= r.kind;
    add(r.batch, { line });
  };
  const utf8 = new StringDecoder('utf8'); // chunk boundaries may split a character
  // The unfinished line's pieces are kept apart and joined once its newline comes: adding each
  // chunk to the carry and splitting it all again went over a long line once per chunk.
  const carry: string[] = [];
  const take = (text: string): void => {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const piece = text.slice(start, nl);
      if (carry.length === 0) handle(piece);
      else {
        carry.push(piece);
        handle(carry.join(''));
        carry.length = 0;
      }
      start = nl + 1;
    }
    if (start < text.length) carry.push(text.slice(start));
  };
  for await (const chunk of input) {
    await pace();
    take(utf8.write(chunk));
  }
  take(utf8.end());
  const last = carry.join('');
  if (last.trim() !== '') handle(last);
  setFormat(`${kind ?? 'unknown'} (JSON Lines)`);
}

async function importJsonDocument(input: AsyncGenerator<Buffer>, add: Add, issue: Issue, setFormat: (f: string) => void): Promise<void> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of input) {
    size += c.length;
    if (size > MAX_SINGLE_DOCUMENT_BYTES) {
      issue({
        byteOffset: MAX_SINGLE_DOCUMENT_BYTES,
        reason: `a single JSON document over ${MAX_SINGLE_DOCUMENT_BYTES / 1048576} MiB is not read whole; export it as JSON Lines (one request per line) instead`,
      });
      return;
    }
    parts.push(c);
  }
  const text = Buffer.concat(parts).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const at = m ? Number(m[1]) : undefined;
    const line = at !== undefined ? text.slice(0, at).split('\n').length : undefined;
    issue({
      ...(line !== undefined ? { line } : {}),
      ...(at !== undefined ? { byteOffset: Buffer.byteLength(text.slice(0, at)) } : {}),
      reason: `invalid JSON (truncated?): ${(e as Error).message}`,
    });
    return;
  }
  let r: ReturnType<typeof jsonRecordToBatch>;
  try {
    r = jsonRecordToBatch(value);
  } catch (e) {
    issue({ byteOffset: 0, reason: (e as Error).message });
    return;
  }
  setFormat(`${r.kind} (JSON)`);
  add(r.batch, { line: 1 });
}

async function importProtobuf(
  head: Buffer,
  complete: boolean,
  input: AsyncGenerator<Buffer>,
  add: Add,
  issue: Issue,
  pace: () => Promise<void>,
  setFormat: (f: string) => void,
): Promise<void> {
  const framing: Framing = detectFraming(head, complete);
  let signal: Signal | null = null;
  const decode = (message: Buffer, offset: number): void => {
    let batch: DecodedBatch;
    try {
      batch = decodeAnySignal(message, signal);
    } catch (e) {
      issue({ byteOffset: offset, reason: `not an OTLP protobuf message: ${(e as Error).message}` });
      return;
    }
    signal ??= batch.signal;
    add(batch, { byteOffset: offset });
  };
  if (framing === 'single') {
    const parts: Buffer[] = [];
    let size = 0;
    for await (const c of input) {
      size += c.length;
      if (size > MAX_SINGLE_DOCUMENT_BYTES) {
        issue({
          byteOffset: 0,
          reason: `not JSON, and not a length-prefixed protobuf stream; a single protobuf message over ${MAX_SINGLE_DOCUMENT_BYTES / 1048576} MiB is not read whole`,
        });
        return;
      }
      parts.push(c);
    }
    decode(Buffer.concat(parts), 0);
    setFormat(`otlp-${signal ?? 'unknown'} (protobuf)`);
    return;
  }
  const splitter = new FrameSplitter(framing);
  for await (const chunk of input) {
    await pace();
    splitter.push(chunk);
    for (let f = splitter.next(); f; f = splitter.next()) decode(f.message, f.offset);
  }
  const left = splitter.leftover();
  if (left.bytes > 0) issue({ byteOffset: left.offset, reason: `the file ends inside a message (${left.bytes} bytes of an incomplete frame): truncated?` });
  setFormat(`otlp-${signal ?? 'unknown'} (protobuf, ${framing === 'be32' ? '4-byte length-prefixed' : 'varint-delimited'} stream)`);
}
