/**
 * The arithmetic of a trace outline's order, on numbers rather than ID strings: span IDs as
 * two 32-bit words, the keyset order (start µs, then ns, then span ID) as a native sort of
 * packed numeric keys, and each span's parent found by binary search among the IDs in ID order.
 * On the 200,000-span trace of bench:ui, a Map from 200,000 sliced ID strings to positions
 * and a sort with a comparator that sliced IDs for ties took about 200 ms of the outline's
 * build, and most of its garbage; this takes a few tens of ms.
 */
import { SPAN_ID_HEX_CHARS } from '../../../shared/model/span-outline.js';

/** Span IDs (16 hex characters each, concatenated) as their high and low 32-bit words. */
export interface IdWords {
  hi: Uint32Array;
  lo: Uint32Array;
}

const HALF = SPAN_ID_HEX_CHARS / 2;

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 32;
  if (lower >= 97 && lower <= 102) return lower - 87;
  throw new Error(`a span ID with a character that is not hexadecimal (code ${code})`);
}

/** The words of the `n` IDs in `hex`; an error when it does not hold exactly n IDs. */
export function idWords(hex: string, n: number): IdWords {
  if (hex.length !== n * SPAN_ID_HEX_CHARS) throw new Error(`span IDs of unexpected length in a trace outline (${hex.length} hex characters for ${n} spans)`);
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0, at = 0; i < n; i++) {
    let h = 0;
    let l = 0;
    for (let k = 0; k < HALF; k++) h = h * 16 + nibble(hex.charCodeAt(at++));
    for (let k = 0; k < HALF; k++) l = l * 16 + nibble(hex.charCodeAt(at++));
    hi[i] = h;
    lo[i] = l;
  }
  return { hi, lo };
}

/** The ID of `hex` (16 hex characters) as words. */
export function wordsOf(hex: string): { hi: number; lo: number } {
  const w = idWords(hex, 1);
  return { hi: w.hi[0]!, lo: w.lo[0]! };
}

/** -1, 0 or 1 as ID a compares with ID b (the order of their hex text, and of the stored bytes). */
export function compareIds(w: IdWords, a: number, hi: number, lo: number): number {
  const h = w.hi[a]! - hi || w.lo[a]! - lo;
  return h < 0 ? -1 : h > 0 ? 1 : 0;
}

/** Rows by span ID: the identity when they came so (SQLite reading by its span ID index). */
export function rowsById(w: IdWords): Uint32Array {
  const n = w.hi.length;
  const rows = new Uint32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    rows[i] = i;
    if (sorted && i > 0) sorted = compareIds(w, i - 1, w.hi[i]!, w.lo[i]!) < 0;
  }
  return sorted ? rows : rows.sort((a, b) => w.hi[a]! - w.hi[b]! || w.lo[a]! - w.lo[b]!);
}

/** The row whose ID is (hi, lo), by binary search over `byId`, or -1. */
export function findRow(w: IdWords, byId: Uint32Array, hi: number, lo: number): number {
  let from = 0;
  let to = byId.length;
  while (from < to) {
    const mid = (from + to) >>> 1;
    const c = compareIds(w, byId[mid]!, hi, lo);
    if (c === 0) return byId[mid]!;
    if (c < 0) from = mid + 1;
    else to = mid;
  }
  return -1;
}

/** Largest integer a double holds exactly. */
const EXACT_INTEGERS = 2 ** 53;

/**
 * Rows in keyset order: start µs, then the ns past it, then span ID. When the start (in µs from
 * the earliest) and an ID rank fit together in one double, the keys are sorted natively as
 * numbers (Float64Array.sort) and only runs of one µs are ordered by ns afterwards; otherwise
 * (a trace longer than hours) a comparator sorts them.
 */
export function keysetRows(startUs: Float64Array, startRemNs: Int16Array, byId: Uint32Array): Uint32Array {
  const n = byId.length;
  const idRank = new Uint32Array(n);
  for (let r = 0; r < n; r++) idRank[byId[r]!] = r;
  const byKeyset = (a: number, b: number): number => startUs[a]! - startUs[b]! || startRemNs[a]! - startRemNs[b]! || idRank[a]! - idRank[b]!;
  let minUs = Infinity;
  let maxUs = -Infinity;
  for (let i = 0; i < n; i++) {
    if (startUs[i]! < minUs) minUs = startUs[i]!;
    if (startUs[i]! > maxUs) maxUs = startUs[i]!;
  }
  const rows = new Uint32Array(n);
  const slots = 2 ** Math.ceil(Math.log2(Math.max(n, 2)));
  if (n === 0 || (maxUs - minUs + 1) * slots >= EXACT_INTEGERS) {
    for (let i = 0; i < n; i++) rows[i] = i;
    return rows.sort(byKeyset);
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (startUs[i]! - minUs) * slots + idRank[i]!;
  keys.sort();
  for (let i = 0; i < n; i++) rows[i] = byId[keys[i]! % slots]!;
  // Within one µs the rows are by ID; the ns past the µs come before the ID.
  for (let i = 0; i < n;) {
    let j = i + 1;
    let sameNs = true;
    for (; j < n && startUs[rows[j]!] === startUs[rows[i]!]; j++) if (startRemNs[rows[j]!] !== startRemNs[rows[i]!]) sameNs = false;
    if (!sameNs) rows.subarray(i, j).sort(byKeyset);
    i = j;
  }
  return rows;
}
