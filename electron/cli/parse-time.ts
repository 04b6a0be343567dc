import { UsageError } from './cli-error.js';

/** A CLI time: ISO 8601, or milliseconds since the epoch. */
export function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`${name} takes an ISO 8601 time or milliseconds since the epoch, not "${value}"`);
  return t;
}
