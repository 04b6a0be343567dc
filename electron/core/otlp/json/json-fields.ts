/**
 * Reading OTLP JSON fields the way real senders write them: camelCase or the proto's
 * snake_case names, 64-bit integers as strings or numbers, enums as numbers or names (with
 * or without their prefix), IDs in hex of either case or base64. A value that cannot be read
 * throws ItemProblem, which rejects its item alone (eachItem).
 */
import { idFromJson } from '../ids.js';
import { checkInt64, checkTime, ItemProblem } from '../item-limits.js';
import { type DecodedBatch, rejectItem } from '../model.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Obj = { [key: string]: Json };

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function field(o: Obj, camel: string, snake?: string): Json | undefined {
  const v = o[camel];
  return v !== undefined || snake === undefined ? v : o[snake];
}

export function str(v: Json | undefined): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

export function uint(v: Json | undefined, what: string): number {
  if (v === undefined || v === null || v === '') return 0;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new ItemProblem(`${what} is not a non-negative integer`);
  return n;
}

const INT_RE = /^-?\d{1,20}$/;

/** A fixed64/int64 given as a string or a number → BigInt (any size; see time() and int64()). */
export function big(v: Json | undefined, what: string): bigint {
  if (v === undefined || v === null || v === '') return 0n;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && INT_RE.test(v)) return BigInt(v);
  throw new ItemProblem(`${what} is not an integer`);
}

/** A time in ns that SQLite can store (0 … 2^63−1). */
export function time(v: Json | undefined, what: string): bigint {
  return checkTime(big(v, what), what);
}

/** A signed 64-bit integer. */
export function int64(v: Json | undefined, what: string): bigint {
  return checkInt64(big(v, what), what);
}

export function dbl(v: Json | undefined, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = Number(v);
    if (v.trim() !== '' && !Number.isNaN(n)) return n;
  }
  throw new ItemProblem(`${what} is not a number`);
}

export function optDbl(v: Json | undefined, what: string): number | null {
  return v === undefined || v === null ? null : dbl(v, what);
}

/** An enum given as a number or as its name (with or without the prefix). */
export function enumValue(v: Json | undefined, names: Record<string, number>, prefix: string, what: string): number {
  if (v === undefined || v === null || v === '') return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const key = v.startsWith(prefix) ? v.slice(prefix.length) : v;
    const n = names[key];
    if (n !== undefined) return n;
    if (/^\d+$/.test(v)) return Number(v);
  }
  throw new ItemProblem(`${what} "${String(v)}" is not a known value`);
}

export function id(v: Json | undefined, bytes: number, what: string): Buffer | null {
  const r = idFromJson(v, bytes, what);
  if (typeof r === 'string') throw new ItemProblem(r);
  return r;
}

export function arr(v: Json | undefined): Json[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ItemProblem('expected an array');
  return v;
}

/** Runs `fn` on each item; an item that is not an object or has a value that cannot be read (ItemProblem) is rejected alone. */
export function eachItem(items: Json[], batch: DecodedBatch, what: string, fn: (item: Obj) => void): void {
  for (const item of items) {
    try {
      if (!isObj(item)) throw new ItemProblem('not an object');
      fn(item);
    } catch (e) {
      if (!(e instanceof ItemProblem)) throw e;
      const name = isObj(item) && typeof item['name'] === 'string' ? ` "${item['name']}"` : '';
      rejectItem(batch, `${what}${name}: ${e.message}`);
    }
  }
}
