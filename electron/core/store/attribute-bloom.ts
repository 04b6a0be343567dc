/**
 * A per-trace Bloom filter of its spans' attributes, so a trace search with `key = value` can
 * rule a trace out from its summary row instead of reading every one of its spans (measured:
 * reading spans is what a search over 10M spans spends its time on). 256 bits, kept in four
 * INTEGER columns of `traces` (attr_bloom_0..3) and ORed in by the writer as spans arrive; two
 * hashes per `key=value` token of each scalar top-level attribute (strings as they are,
 * numbers in canonical decimal, booleans as true/false). It may say "maybe" wrongly, never
 * "no" wrongly: text it cannot read sets every bit. As in ClickHouse's tokenbf_v1 skip index.
 * The hash and the token form are part of the store's format: changing either needs a
 * migration that sets the columns back to NULL, so the writer indexes the traces again.
 */
import type { DecodedBatch } from '../otlp/model.js';

export const BLOOM_BITS = 256;
const WORDS = BLOOM_BITS / 32;

export type Bloom = Uint32Array;

export function emptyBloom(): Bloom {
  return new Uint32Array(WORDS);
}

/** The token of one attribute value, the same on the writing and the searching side. */
export function bloomToken(key: string, value: string | number | boolean): string {
  return `${key}=${typeof value === 'number' ? String(value) : String(value)}`;
}

// One FNV-1a hash fed a character at a time, so the writer hashes "key=value" straight from the
// stored JSON text without building the token; the second bit comes from the same hash, mixed
// (Kirsch and Mitzenmacher: two positions from one hash lose nothing measurable). A value counts
// up to its first VALUE_CHARS characters on both sides, so long texts cost little and two of
// them with the same start only add a false "maybe". About 4 µs for a 15-attribute span,
// spent in the decode worker for the receivers (traceBloomsOf), not on the writer's thread.
const VALUE_CHARS = 64;

/** Adds a search's token ("key=value", from bloomToken): the same hash as the writer's. */
export function addToken(bloom: Bloom, token: string): void {
  const eq = token.indexOf('=');
  setBits(bloom, valueHash(hashRange(FNV_OFFSET, token, 0, eq + 1), token, eq + 1, token.length));
}

const EQUALS = 0x3d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function skipWs(json: string, i: number): number {
  while (i < json.length && isWs(json.charCodeAt(i))) i++;
  return i;
}

/** Index of the closing quote of the string whose opening quote is at `i` (-1: none); `escaped[0]` tells whether it has escapes. */
function stringEnd(json: string, i: number, escaped: boolean[]): number {
  escaped[0] = false;
  for (let j = i + 1; j < json.length; j++) {
    const c = json.charCodeAt(j);
    if (c === BACKSLASH) {
      escaped[0] = true;
      j++;
    } else if (c === QUOTE) return j;
  }
  return -1;
}

/** Skips a nested object or array starting at `i`; returns the index after it, or -1. */
function skipComposite(json: string, i: number): number {
  let depth = 0;
  const escaped = [false];
  for (let j = i; j < json.length; j++) {
    const c = json.charCodeAt(j);
    if (c === QUOTE) {
      j = stringEnd(json, j, escaped);
      if (j < 0) return -1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

/** Adds the tokens of a stored-JSON attribute map (`{"key":value,…}`); unreadable text sets every bit. */
export function addAttributes(bloom: Bloom, json: string): void {
  if (json === '{}' || json === '') return;
  if (!scanAttributes(bloom, json, false)) bloom.fill(0xffffffff);
}

/**
 * The same for text a decoder of this version just wrote (otlp/stored-json.ts jsonDouble):
 * its doubles are already in canonical form, so they are hashed as they read instead of
 * being parsed and printed again (String(d) was half the cost of indexing a span).
 */
function addDecodedAttributes(bloom: Bloom, json: string): void {
  if (json === '{}' || json === '') return;
  if (!scanAttributes(bloom, json, true)) bloom.fill(0xffffffff);
}

/** A plain integer literal that is already canonical (String(Number(x)) === x). */
const CANONICAL_INT = /^-?[1-9]\d{0,14}$|^0$/;

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a of `text[from, to)` continued from `hash`: a local, not the module's `h`, so V8 keeps it in a register. */
function hashRange(hash: number, text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

function setBits(bloom: Bloom, hash: number): void {
  const a = hash >>> 0;
  let m = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  m = Math.imul(m ^ (m >>> 13), 0xc2b2ae35);
  const b = (m ^ (m >>> 16)) >>> 0;
  bloom[(a % BLOOM_BITS) >>> 5]! |= 1 << (a & 31);
  bloom[(b % BLOOM_BITS) >>> 5]! |= 1 << (b & 31);
}

/** The token `key=value` of one value text (at most VALUE_CHARS of it). */
function valueHash(keyHash: number, text: string, from: number, to: number): number {
  return hashRange(keyHash, text, from, Math.min(to, from + VALUE_CHARS));
}

/**
 * Tokenizes a stored-JSON attribute map (`{"key":value,…}`): one pass, native searches for the
 * ends of strings, the hash kept in locals (about three times faster than the first version,
 * which walked every character through shared state). The tokens are unchanged: the key as it
 * reads (escapes decoded) and "=", then the value's first VALUE_CHARS characters: strings as
 * they read, numbers in canonical decimal, booleans; nested values and null add none.
 */
function scanAttributes(bloom: Bloom, json: string, doublesFromDecoder: boolean): boolean {
  const n = json.length;
  // Escapes are rare: where the next backslash is tells whether a string has one.
  let backslash = json.indexOf('\\');
  let i = skipWs(json, 0);
  if (json.charCodeAt(i) !== 0x7b) return false;
  i = skipWs(json, i + 1);
  if (json.charCodeAt(i) === 0x7d) return true;
  for (;;) {
    if (json.charCodeAt(i) !== QUOTE) return false;
    let keyEnd = json.indexOf('"', i + 1);
    let keyHash: number;
    if (backslash !== -1 && backslash < keyEnd) {
      keyEnd = stringEnd(json, i, ESCAPED);
      if (keyEnd < 0) return false;
      const key = JSON.parse(json.slice(i, keyEnd + 1)) as string;
      keyHash = hashRange(FNV_OFFSET, key, 0, key.length);
      backslash = json.indexOf('\\', keyEnd);
    } else {
      if (keyEnd < 0) return false;
      keyHash = hashRange(FNV_OFFSET, json, i + 1, keyEnd);
    }
    keyHash = Math.imul(keyHash ^ EQUALS, 0x01000193);
    i = skipWs(json, keyEnd + 1);
    if (json.charCodeAt(i) !== 0x3a) return false;
    i = skipWs(json, i + 1);
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      let end = json.indexOf('"', i + 1);
      if (backslash !== -1 && backslash < end) {
        end = stringEnd(json, i, ESCAPED);
        if (end < 0) return false;
        const value = JSON.parse(json.slice(i, end + 1)) as string;
        setBits(bloom, valueHash(keyHash, value, 0, value.length));
        backslash = json.indexOf('\\', end);
      } else {
        if (end < 0) return false;
        setBits(bloom, valueHash(keyHash, json, i + 1, end));
      }
      i = end + 1;
    } else if (c === 0x7b || c === 0x5b) {
      i = skipComposite(json, i);
      if (i < 0) return false;
      if (backslash !== -1 && backslash < i) backslash = json.indexOf('\\', i);
    } else {
      let j = i;
      while (j < n) {
        const d = json.charCodeAt(j);
        if (d === 0x2c || d === 0x7d) break;
        j++;
      }
      let a = i;
      let b = j;
      while (a < b && isWs(json.charCodeAt(a))) a++;
      while (b > a && isWs(json.charCodeAt(b - 1))) b--;
      const raw = json.slice(a, b);
      if (raw !== 'null') {
        if (raw === 'true' || raw === 'false' || CANONICAL_INT.test(raw)) setBits(bloom, valueHash(keyHash, raw, 0, raw.length));
        else if (doublesFromDecoder && isDoubleText(raw)) {
          // jsonDouble wrote String(d), canonical already, or String(d) + '.0' for integral values.
          setBits(bloom, valueHash(keyHash, raw, 0, raw.endsWith('.0') ? raw.length - 2 : raw.length));
        } else {
          const num = Number(raw);
          if (raw === '' || Number.isNaN(num)) return false;
          const canonical = String(num);
          setBits(bloom, valueHash(keyHash, canonical, 0, canonical.length));
        }
      }
      i = j;
    }
    i = skipWs(json, i);
    if (json.charCodeAt(i) === 0x7d) return true;
    if (json.charCodeAt(i) !== 0x2c) return false;
    i = skipWs(json, i + 1);
  }
}

const ESCAPED = [false];

/** A number literal with a fraction or an exponent: how jsonDouble writes every double. */
function isDoubleText(raw: string): boolean {
  return raw.includes('.') || raw.includes('e');
}

/** The four signed 64-bit column values of a filter (little words first). */
export function bloomColumns(bloom: Bloom): [bigint, bigint, bigint, bigint] {
  const col = (k: number): bigint => BigInt.asIntN(64, (BigInt(bloom[2 * k + 1]!) << 32n) | BigInt(bloom[2 * k]!));
  return [col(0), col(1), col(2), col(3)];
}

/**
 * Gives a redacted batch its traces' attribute index (traceBloomsOf), made from the redacted
 * attributes so a search for a pseudonym finds its traces; an unredacted batch is left for
 * whoever redacts it (the writer indexes what it redacts itself).
 */
export function indexRedacted(batch: DecodedBatch): void {
  if (batch.spans.length > 0 && batch.redacted) batch.traceBlooms = traceBloomsOf(batch);
}

/**
 * The attribute Bloom filter of each trace in a batch (by trace ID as latin1), for the writer.
 * The batch must come from this version's decoders (decode-proto, decode-json), as every
 * DecodedBatch does: its doubles are read as jsonDouble wrote them.
 */
export function traceBloomsOf(batch: DecodedBatch): Map<string, Bloom> {
  const out = new Map<string, Bloom>();
  for (const group of batch.spans) {
    for (const span of group.spans) {
      const key = span.traceId.toString('latin1');
      let bloom = out.get(key);
      if (!bloom) out.set(key, (bloom = emptyBloom()));
      addDecodedAttributes(bloom, span.attributesJson);
    }
  }
  return out;
}
