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

const MAGIC = 0x42504c53; // 'SLPB' little-endian
const FORMAT_VERSION = 1;

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
  /** The stored features JSON (an object of numbers and strings), or null. */
  features: string | null;
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

class Dictionary {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  of(name: string | null): number {
    if (name === null) return -1;
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}

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
    score[i] = r.score ?? NaN;
    confidence[i] = r.confidence ?? NaN;
    version[i] = dicts.version.of(r.version);
    label[i] = dicts.label.of(r.label);
    host[i] = dicts.host.of(r.host);
    service[i] = dicts.service.of(r.service);
    if (!r.features) continue;
    const features = JSON.parse(r.features) as Record<string, unknown>;
    for (const name in features) {
      const v = features[name];
      if (typeof v === 'number') {
        let col = numeric.get(name);
        if (!col) numeric.set(name, (col = f64()));
        col[i] = v;
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
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const start = Math.ceil((12 + headerBytes.length) / 8) * 8;
  const out = Buffer.alloc(start + floats.length * n * 8 + ints.length * n * 4);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(FORMAT_VERSION, 4);
  out.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(out, 12);
  let offset = start;
  for (const a of [...floats, ...ints]) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += a.byteLength;
  }
  return out;
}

/** The block's columns; throws on a blob that is not a block of this format (the caller then reads rows). */
export function decodePredictionBlock(blob: Buffer): PredictionBlock {
  if (blob.length < 12 || blob.readUInt32LE(0) !== MAGIC) throw new Error('not a prediction block');
  const version = blob.readUInt32LE(4);
  if (version !== FORMAT_VERSION) throw new Error(`prediction block format ${version} is not known`);
  const headerLength = blob.readUInt32LE(8);
  const header = JSON.parse(blob.toString('utf8', 12, 12 + headerLength)) as BlockHeader;
  const n = header.rows;
  const floatCount = 5 + header.numericFeatures.length;
  const intCount = 5 + header.categoricalFeatures.length;
  const start = Math.ceil((12 + headerLength) / 8) * 8;
  if (blob.length !== start + floatCount * n * 8 + intCount * n * 4) throw new Error('prediction block has the wrong length');
  // One aligned copy: a blob from SQLite may start at any byte offset.
  const bytes = new Uint8Array(blob.length - start);
  bytes.set(blob.subarray(start));
  const floats = Array.from({ length: floatCount }, (_, k) => new Float64Array(bytes.buffer, k * n * 8, n));
  const intBase = floatCount * n * 8;
  const ints = Array.from({ length: intCount }, (_, k) => new Int32Array(bytes.buffer, intBase + k * n * 4, n));
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
