/**
 * The limits every way in (OTLP protobuf, OTLP JSON, archives) applies to one item (a span,
 * metric point or log record), so that nothing stored can later break a reader: values nest
 * at most MAX_VALUE_DEPTH levels (SQLite's JSON functions stop at 1,000, JSON.stringify
 * overflows the stack at a few thousand), and times and 64-bit integers fit SQLite's signed
 * 64-bit INTEGER. An item over a limit is rejected on its own (→ partial_success); the rest
 * of its request is kept.
 */

/** Levels of arrays and key/value lists an attribute value, body or event may nest. */
export const MAX_VALUE_DEPTH = 32;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** An item-level problem: the span, point or log record is rejected, the rest kept. */
export class ItemProblem extends Error {
  override name = 'ItemProblem';
}

export function tooDeep(): ItemProblem {
  return new ItemProblem(`a value is nested more than ${MAX_VALUE_DEPTH} levels deep`);
}

/** A time in nanoseconds since the epoch: 0 … 2^63−1 (year 2262), the range SQLite stores. */
export function checkTime(ns: bigint, what: string): bigint {
  if (ns < 0n || ns > INT64_MAX) throw new ItemProblem(`${what} ${ns} is outside 0 … 2^63−1 nanoseconds`);
  return ns;
}

/** A signed 64-bit integer value. */
export function checkInt64(n: bigint, what: string): bigint {
  if (n < INT64_MIN || n > INT64_MAX) throw new ItemProblem(`${what} ${n} is outside the int64 range`);
  return n;
}
