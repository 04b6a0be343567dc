/**
 * A block of one model's predictions packed as columns (issue #16): the analysis reads a
 * million predictions as a few dozen blobs of typed arrays instead of a million rows whose
 * features are JSON text (row iteration and JSON.parse were 40% of an analysis).
 *
 * Layout: 'SLPB', format version (u32), header length (u32), the header as JSON (row count,
 * the dictionaries of the categorical columns, the feature names), zero padding to a multiple
 * of 8, then the Float64 columns, then the Int32 columns, each `rows` long, in the header's
 * order. Categorical values are indexes into their dictionary, -1 where absent; numbers are
 * NaN where absent. A feature seen both as a number and as text in one block has both arrays,
 * as the row reader keeps both (model-data.ts).
 */

import { Dictionary } from '../util/dictionary.js';
import { asReadBack } from '../store/read-back-text.js';

const MAGIC = 0x42504c53; // 'SLPB' little-endian
const FORMAT_VERSION = 1;

type Column = Float64Array | Int32Array;

/** magic, format version, header length (u32 each), the header as JSON, zero padding to 8, then the arrays back to back. */
function frame(magic: number, header: object, arrays: Column[]): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const start = Math.ceil((12 + headerBytes.length) / 8) * 8;
  const out = Buffer.alloc(start + arrays.reduce((sum, a) => sum + a.byteLength, 0));
  out.writeUInt32LE(magic, 0);
  out.writeUInt32LE(FORMAT_VERSION, 4);
  out.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(out, 12);
  let offset = start;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += a.byteLength;
  }
  return out;
}

/**
 * The header of a framed blob and where its arrays' bytes are: in the blob's own memory when
 * they start on an 8-byte boundary there (a large blob from SQLite has memory of its own),
 * else copied once to an aligned buffer (a blob may start at any byte). Throws, naming `what`,
 * on another kind of blob, another format version, or a length that is not `bodyBytes(header)`.
 */
function unframe<H>(blob: Buffer, magic: number, what: string, bodyBytes: (header: H) => number): { header: H; body: ArrayBuffer; offset: number } {
  if (blob.length < 12 || blob.readUInt32LE(0) !== magic) throw new Error(`not a ${what}`);
  const version = blob.readUInt32LE(4);
  if (version !== FORMAT_VERSION) throw new Error(`${what} format ${version} is not known`);
  const headerLength = blob.readUInt32LE(8);
  const header = JSON.parse(blob.toString('utf8', 12, 12 + headerLength)) as H;
  const start = Math.ceil((12 + headerLength) / 8) * 8;
  if (blob.length !== start + bodyBytes(header)) throw new Error(`${what} has the wrong length`);
  if ((blob.byteOffset + start) % 8 === 0 && blob.buffer instanceof ArrayBuffer) return { header, body: blob.buffer, offset: blob.byteOffset + start };
  const body = new Uint8Array(blob.length - start);
  body.set(blob.subarray(start));
  return { header, body: body.buffer, offset: 0 };
}

/** One prediction as the packer reads it back from the predictions table. */
export interface PackedPredictionRow {
  id: number;
  /** time_unix_nano split so both halves stay exact as doubles: whole milliseconds … */
  timeMs: number;
  /** … and the nanoseconds within that millisecond. */
  timeRemNs: number;
  traceSeq: number;
  version: string;
  score: number | null;
  label: string | null;
  confidence: number | null;
  host: string | null;
  service: string;
  /** The features (an object of numbers and strings) as stored JSON or as the writer had them, or null. */
  features: string | Readonly<Record<string, unknown>> | null;
}

interface BlockHeader {
  rows: number;
  versions: string[];
  labels: string[];
  hosts: string[];
  services: string[];
  numericFeatures: string[];
  categoricalFeatures: { name: string; categories: string[] }[];
}

export interface PredictionBlock {
  rows: number;
  id: Float64Array;
  timeMs: Float64Array;
  timeRemNs: Int32Array;
  traceSeq: Float64Array;
  score: Float64Array;
  confidence: Float64Array;
  version: { values: Int32Array; categories: string[] };
  label: { values: Int32Array; categories: string[] };
  host: { values: Int32Array; categories: string[] };
  service: { values: Int32Array; categories: string[] };
  numericFeatures: Map<string, Float64Array>;
  categoricalFeatures: Map<string, { values: Int32Array; categories: string[] }>;
}

/** Text as a read of the row gives it (a lone surrogate, possible in OTLP/JSON, comes back as three U+FFFD). */
const wellFormed = asReadBack;

/** A number as a REAL column returns it: -0 is stored as 0. */
const asStored = (v: number): number => (v === 0 ? 0 : v);

export function encodePredictionBlock(rows: PackedPredictionRow[]): Buffer {
  const n = rows.length;
  const f64 = (): Float64Array => new Float64Array(n).fill(NaN);
  const id = f64();
  const timeMs = f64();
  const traceSeq = f64();
  const score = f64();
  const confidence = f64();
  const timeRemNs = new Int32Array(n);
  const dicts = { version: new Dictionary(), label: new Dictionary(), host: new Dictionary(), service: new Dictionary() };
  const version = new Int32Array(n);
  const label = new Int32Array(n);
  const host = new Int32Array(n);
  const service = new Int32Array(n);
  const numeric = new Map<string, Float64Array>();
  const categorical = new Map<string, { values: Int32Array; dict: Dictionary }>();
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    id[i] = r.id;
    timeMs[i] = r.timeMs;
    timeRemNs[i] = r.timeRemNs;
    traceSeq[i] = r.traceSeq;
    score[i] = r.score === null ? NaN : asStored(r.score);
    confidence[i] = r.confidence === null ? NaN : asStored(r.confidence);
    // Text bound to a column of its own is normalised as SQLite stores it; features travel as
    // JSON, which keeps their text as it was.
    version[i] = dicts.version.of(wellFormed(r.version));
    label[i] = dicts.label.of(r.label === null ? null : wellFormed(r.label));
    host[i] = dicts.host.of(r.host === null ? null : wellFormed(r.host));
    service[i] = dicts.service.of(wellFormed(r.service));
    if (!r.features) continue;
    const features = typeof r.features === 'string' ? (JSON.parse(r.features) as Record<string, unknown>) : r.features;
    for (const name in features) {
      const v = features[name];
      if (typeof v === 'number') {
        // As the stored JSON has it: a non-finite number is null there, and -0 is 0.
        if (!Number.isFinite(v)) continue;
        let col = numeric.get(name);
        if (!col) numeric.set(name, (col = f64()));
        col[i] = asStored(v);
      } else if (typeof v === 'string') {
        let col = categorical.get(name);
        if (!col) categorical.set(name, (col = { values: new Int32Array(n).fill(-1), dict: new Dictionary() }));
        col.values[i] = col.dict.of(v);
      }
    }
  }
  const header: BlockHeader = {
    rows: n,
    versions: dicts.version.names,
    labels: dicts.label.names,
    hosts: dicts.host.names,
    services: dicts.service.names,
    numericFeatures: [...numeric.keys()],
    categoricalFeatures: [...categorical].map(([name, c]) => ({ name, categories: c.dict.names })),
  };
  const floats = [id, timeMs, traceSeq, score, confidence, ...numeric.values()];
  const ints = [timeRemNs, version, label, host, service, ...[...categorical.values()].map((c) => c.values)];
  return frame(MAGIC, header, [...floats, ...ints]);
}

/** The block's columns; throws on a blob that is not a block of this format (the caller then reads rows). */
export function decodePredictionBlock(blob: Buffer): PredictionBlock {
  const counts = (h: BlockHeader): { floats: number; ints: number } => ({ floats: 5 + h.numericFeatures.length, ints: 5 + h.categoricalFeatures.length });
  const { header, body, offset } = unframe<BlockHeader>(blob, MAGIC, 'prediction block', (h) => (counts(h).floats * 8 + counts(h).ints * 4) * h.rows);
  const n = header.rows;
  const { floats: floatCount, ints: intCount } = counts(header);
  const floats = Array.from({ length: floatCount }, (_, k) => new Float64Array(body, offset + k * n * 8, n));
  const ints = Array.from({ length: intCount }, (_, k) => new Int32Array(body, offset + floatCount * n * 8 + k * n * 4, n));
  return {
    rows: n,
    id: floats[0]!,
    timeMs: floats[1]!,
    traceSeq: floats[2]!,
    score: floats[3]!,
    confidence: floats[4]!,
    timeRemNs: ints[0]!,
    version: { values: ints[1]!, categories: header.versions },
    label: { values: ints[2]!, categories: header.labels },
    host: { values: ints[3]!, categories: header.hosts },
    service: { values: ints[4]!, categories: header.services },
    numericFeatures: new Map(header.numericFeatures.map((name, k) => [name, floats[5 + k]!])),
    categoricalFeatures: new Map(header.categoricalFeatures.map((c, k) => [c.name, { values: ints[5 + k]!, categories: c.categories }])),
  };
}

/**
 * The factor observations of a block's traces (the worst value of each factor per trace), kept
 * beside the columns so a factor load reads them without the prediction columns. Layout:
 * 'SLPF', format version, header length, the header ({ rows, factorIds }), padding to 8, then
 * Float64 columns: the trace_seq of each row, then one per factor, NaN where the trace did not
 * observe it.
 */
const FACTORS_MAGIC = 0x46504c53; // 'SLPF'
/** The largest factor blob packed (32 MiB: 256 factors for a block of 16,384). */
const FACTOR_BLOCK_BUDGET_BYTES = 32 * 2 ** 20;

export interface FactorBlock {
  rows: number;
  traceSeq: Float64Array;
  /** Factor id → the worst value its trace observed, per row. */
  byFactor: Map<number, Float64Array>;
}

/**
 * `observations`: trace_factors rows (trace_seq, blob of float64 (factor id, value) pairs); rows
 * of traces not in the block are skipped, and each factor keeps the worst (largest) value per trace.
 */
export function encodeFactorBlock(traceSeqs: ArrayLike<number>, observations: Iterable<[number, Buffer]>): Buffer {
  const n = traceSeqs.length;
  const rowsOf = new Map<number, number | number[]>();
  for (let i = 0; i < n; i++) {
    const seq = traceSeqs[i]!;
    const had = rowsOf.get(seq);
    rowsOf.set(seq, had === undefined ? i : Array.isArray(had) ? [...had, i] : [had, i]);
  }
  const byFactor = new Map<number, Float64Array>();
  const put = (col: Float64Array, i: number, value: number): void => {
    const prev = col[i]!;
    if (Number.isNaN(prev) || value > prev) col[i] = value;
  };
  // Dense columns: a model whose factor names vary per request (client spans named by URL) would
  // make a huge blob, so past a budget the block holds none and its traces are read as rows.
  const maxFactors = Math.max(1, Math.floor(FACTOR_BLOCK_BUDGET_BYTES / Math.max(1, n * 8)));
  for (const [seq, blob] of observations) {
    const rows = rowsOf.get(seq);
    if (rows === undefined) continue;
    const pairs = observationPairs(blob);
    for (let off = 0; off + 1 < pairs.length; off += 2) {
      const id = pairs[off]!;
      let col = byFactor.get(id);
      if (!col) {
        if (byFactor.size >= maxFactors) return encodeFactorBlock([], []);
        byFactor.set(id, (col = new Float64Array(n).fill(NaN)));
      }
      if (Array.isArray(rows)) for (const i of rows) put(col, i, pairs[off + 1]!);
      else put(col, rows, pairs[off + 1]!);
    }
  }
  const ids = [...byFactor.keys()].sort((a, b) => a - b);
  return frame(FACTORS_MAGIC, { rows: n, factorIds: ids }, [Float64Array.from(traceSeqs), ...ids.map((id) => byFactor.get(id)!)]);
}

export function decodeFactorBlock(blob: Buffer): FactorBlock {
  const { header, body, offset } = unframe<{ rows: number; factorIds: number[] }>(
    blob,
    FACTORS_MAGIC,
    'factor block',
    (h) => (1 + h.factorIds.length) * h.rows * 8,
  );
  const n = header.rows;
  const column = (k: number): Float64Array => new Float64Array(body, offset + k * n * 8, n);
  return { rows: n, traceSeq: column(0), byFactor: new Map(header.factorIds.map((id, k) => [id, column(1 + k)])) };
}

let scratch = new Float64Array(64);

/**
 * A trace_factors blob as its (factor id, value) float64 pairs, in an aligned array (a blob from
 * SQLite may start at any byte). The array is reused: it holds the pairs until the next call.
 */
export function observationPairs(blob: Buffer): Float64Array {
  const count = (blob.length >> 4) << 1;
  if (count > scratch.length) scratch = new Float64Array(count * 2);
  new Uint8Array(scratch.buffer, 0, count << 3).set(blob.subarray(0, count << 3));
  return scratch.subarray(0, count);
}
