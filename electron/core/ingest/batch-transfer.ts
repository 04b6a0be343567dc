/**
 * DecodedBatches crossing to a writer thread (decode worker → ingest writer, import thread →
 * its writer), spans packed. Structured clone of span objects serialized every key and every
 * string on its own and rebuilt each object property by property: about 10 ms a side for 5,000
 * spans, a tenth of the writer's time under ingest. Packed, a span's attribute, event and link
 * JSON travel joined in one string (one copy; the receiver slices it), its numbers, times and
 * IDs in typed arrays whose buffers are transferred, not copied: about 1.5 ms to unpack 5,000.
 * Packing also drops what the IDs pointed into (a protobuf ID is a view of the request body,
 * and structured clone copied the whole body along with it).
 *
 * Metrics and logs cross as they are; their IDs come back as Buffers (better-sqlite3 binds
 * only Buffers, and structured clone gives back plain Uint8Arrays).
 */
import type { DecodedBatch, ResourceRecord, ScopeRecord, SpanRecord } from '../otlp/model.js';

/** What crosses: the batches with their span groups emptied, and the spans as columns. */
export interface PackedBatches {
  /** Each batch as it was, but `spans: []` (the groups come back from `groups`). */
  batches: DecodedBatch[];
  groups: PackedSpanGroup[];
  /**
   * Every span's attributes, events and links JSON, back to back, in segments of at most
   * JSON_SEGMENT_CHARS (V8 strings end at 2^29 − 24 characters; stored event JSON is several
   * times its protobuf size, so one big message could pass that). A piece never straddles two
   * segments. One character outside Latin-1 makes its segment two bytes a character.
   */
  json: string[];
  /** Three per span (attributes, events, links): a length in `json`, or −1 for null. */
  jsonLengths: Int32Array;
  /** Three per span: name, trace state, status message (short; kept apart so no long-lived name holds `json`). */
  text: string[];
  /** NUMBERS_PER_SPAN per span, in the order of `numbersOf`. */
  numbers: Float64Array;
  /** Start and end of each span, ns. */
  times: BigInt64Array;
  /** Trace, span and parent ID bytes of each span, back to back. */
  ids: Uint8Array;
  /** Three per span: an ID's length in `ids`, or −1 for null. */
  idLengths: Int32Array;
}

export interface PackedSpanGroup {
  /** Index into `batches`. */
  batch: number;
  resource: ResourceRecord;
  scope: ScopeRecord;
  spans: number;
}

const NUMBERS_PER_SPAN = 6;
const JSON_SEGMENT_CHARS = 1 << 28;

/**
 * Packs batches for postMessage; pass `transfer` as the transfer list (the arrays are not usable
 * here afterwards). `segmentChars`: for tests.
 */
export function packBatches(batches: DecodedBatch[], segmentChars = JSON_SEGMENT_CHARS): { packed: PackedBatches; transfer: ArrayBuffer[] } {
  let spanCount = 0;
  let idBytes = 0;
  for (const b of batches)
    for (const g of b.spans)
      for (const s of g.spans) {
        spanCount++;
        idBytes += s.traceId.length + s.spanId.length + (s.parentSpanId?.length ?? 0);
      }
  const json: string[] = [];
  let jsonParts: string[] = [];
  let charsInSegment = 0;
  const jsonLengths = new Int32Array(spanCount * 3);
  const text: string[] = [];
  const numbers = new Float64Array(spanCount * NUMBERS_PER_SPAN);
  const times = new BigInt64Array(spanCount * 2);
  const ids = new Uint8Array(idBytes);
  const idLengths = new Int32Array(spanCount * 3);
  const groups: PackedSpanGroup[] = [];
  let i = 0;
  let idAt = 0;
  const putJson = (at: number, s: string | null): void => {
    if (s === null) jsonLengths[at] = -1;
    else {
      if (charsInSegment + s.length > segmentChars && jsonParts.length > 0) {
        json.push(jsonParts.join(''));
        jsonParts = [];
        charsInSegment = 0;
      }
      jsonParts.push(s);
      charsInSegment += s.length;
      jsonLengths[at] = s.length;
    }
  };
  const putId = (at: number, id: Uint8Array | null): void => {
    if (id === null) idLengths[at] = -1;
    else {
      ids.set(id, idAt);
      idAt += id.length;
      idLengths[at] = id.length;
    }
  };
  const outBatches = batches.map((b, bi) => {
    for (const g of b.spans) {
      groups.push({ batch: bi, resource: g.resource, scope: g.scope, spans: g.spans.length });
      for (const s of g.spans) {
        putJson(i * 3, s.attributesJson);
        putJson(i * 3 + 1, s.eventsJson);
        putJson(i * 3 + 2, s.linksJson);
        text.push(s.name, s.traceState, s.statusMessage);
        const n = i * NUMBERS_PER_SPAN;
        numbers[n] = s.flags;
        numbers[n + 1] = s.kind;
        numbers[n + 2] = s.droppedAttributesCount;
        numbers[n + 3] = s.droppedEventsCount;
        numbers[n + 4] = s.droppedLinksCount;
        numbers[n + 5] = s.statusCode;
        times[i * 2] = s.startTimeUnixNano;
        times[i * 2 + 1] = s.endTimeUnixNano;
        putId(i * 3, s.traceId);
        putId(i * 3 + 1, s.spanId);
        putId(i * 3 + 2, s.parentSpanId);
        i++;
      }
    }
    return { ...b, spans: [] };
  });
  if (jsonParts.length > 0) json.push(jsonParts.join(''));
  const packed: PackedBatches = { batches: outBatches, groups, json, jsonLengths, text, numbers, times, ids, idLengths };
  return { packed, transfer: [jsonLengths.buffer, numbers.buffer, times.buffer, ids.buffer, idLengths.buffer] };
}

/**
 * The batches as they were packed, span IDs as Buffer views of one shared buffer (no copy). The
 * JSON texts are slices of the packed segments and keep them alive: copy one before keeping it
 * in a long-lived cache (util/own-string.ts).
 */
export function unpackBatches(p: PackedBatches): DecodedBatch[] {
  const idBuffer = Buffer.from(p.ids.buffer, p.ids.byteOffset, p.ids.byteLength);
  let segment = 0;
  let jsonAt = 0;
  let idAt = 0;
  const json = (at: number): string | null => {
    const length = p.jsonLengths[at]!;
    if (length < 0) return null;
    if (jsonAt + length > p.json[segment]!.length) {
      segment++; // pieces never straddle segments: this one starts the next
      jsonAt = 0;
    }
    const s = p.json[segment]!.slice(jsonAt, jsonAt + length);
    jsonAt += length;
    return s;
  };
  const id = (at: number): Buffer | null => {
    const length = p.idLengths[at]!;
    if (length < 0) return null;
    const b = idBuffer.subarray(idAt, idAt + length);
    idAt += length;
    return b;
  };
  const batches = p.batches.map(reviveOtherIds);
  let i = 0;
  for (const g of p.groups) {
    const spans: SpanRecord[] = new Array<SpanRecord>(g.spans);
    for (let k = 0; k < g.spans; k++, i++) {
      const n = i * NUMBERS_PER_SPAN;
      const attributesJson = json(i * 3)!; // never null when packed
      const eventsJson = json(i * 3 + 1);
      const linksJson = json(i * 3 + 2);
      const traceId = id(i * 3)!;
      const spanId = id(i * 3 + 1)!;
      spans[k] = {
        traceId,
        spanId,
        parentSpanId: id(i * 3 + 2),
        traceState: p.text[i * 3 + 1]!,
        flags: p.numbers[n]!,
        name: p.text[i * 3]!,
        kind: p.numbers[n + 1]!,
        startTimeUnixNano: p.times[i * 2]!,
        endTimeUnixNano: p.times[i * 2 + 1]!,
        attributesJson,
        droppedAttributesCount: p.numbers[n + 2]!,
        eventsJson,
        droppedEventsCount: p.numbers[n + 3]!,
        linksJson,
        droppedLinksCount: p.numbers[n + 4]!,
        statusCode: p.numbers[n + 5]!,
        statusMessage: p.text[i * 3 + 2]!,
      };
    }
    batches[g.batch]!.spans.push({ resource: g.resource, scope: g.scope, spans });
  }
  return batches;
}

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

function maybe(u: Uint8Array | null): Buffer | null {
  return u === null ? null : asBuffer(u);
}

/** Metric exemplar and log IDs, cloned as plain Uint8Arrays, back as Buffer views. */
function reviveOtherIds(batch: DecodedBatch): DecodedBatch {
  for (const g of batch.metrics) {
    for (const p of g.points) {
      for (const e of p.exemplars) {
        e.traceId = maybe(e.traceId);
        e.spanId = maybe(e.spanId);
      }
    }
  }
  for (const g of batch.logs) {
    for (const l of g.logs) {
      l.traceId = maybe(l.traceId);
      l.spanId = maybe(l.spanId);
    }
  }
  return batch;
}
