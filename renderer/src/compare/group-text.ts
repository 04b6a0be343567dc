/**
 * How a compared group's search reads: "duration at least 99.799 ms · 2026-10-14 00:00:00 –
 * 2026-10-15 00:00:00 UTC+00:00" rather than the URL's `dmin=99.799, from=1791936000000`.
 */
import { formatCount, formatPeriod, formatTimestamp } from '../app/format.js';
import { readListState } from '../traces/trace-search-url.js';
import { GROUP_LIMIT } from './compare-url.js';

const RANGE_TEXT = {
  '15m': 'the last 15 minutes',
  '1h': 'the last hour',
  '6h': 'the last 6 hours',
  '24h': 'the last 24 hours',
  '7d': 'the last 7 days',
} as const;

/** A group's search (trace-list parameters) in words; "all traces" when it has no filter. */
export function describeSearch(query: string): string {
  const s = readListState(query);
  const parts: string[] = [];
  if (s.service) parts.push(`service ${s.service}`);
  if (s.operation) parts.push(`operation ${s.operation}`);
  if (s.call) parts.push(`calls ${s.call.replace('>', ' → ')}`);
  if (s.attrs.trim()) parts.push(`attributes ${s.attrs.trim()}`);
  if (s.minMs !== undefined && s.maxMs !== undefined) parts.push(`duration ${s.minMs} – ${s.maxMs} ms`);
  else if (s.minMs !== undefined) parts.push(`duration at least ${s.minMs} ms`);
  else if (s.maxMs !== undefined) parts.push(`duration at most ${s.maxMs} ms`);
  if (s.errorsOnly) parts.push('with errors');
  if (s.text.trim()) parts.push(`text “${s.text.trim()}”`);
  if (s.range) parts.push(RANGE_TEXT[s.range]);
  else if (s.fromMs !== undefined && s.toMs !== undefined) parts.push(formatPeriod(s.fromMs, s.toMs));
  else if (s.fromMs !== undefined) parts.push(`from ${formatTimestamp(s.fromMs)}`);
  else if (s.toMs !== undefined) parts.push(`until ${formatTimestamp(s.toMs)}`);
  return parts.length ? parts.join(' · ') : 'all traces';
}

/** Said when a group reached the cap on traces read, or null. */
export function groupLimitNote(traces: number): string | null {
  return traces >= GROUP_LIMIT
    ? `the newest ${formatCount(GROUP_LIMIT)} matching traces: a group is capped at ${formatCount(GROUP_LIMIT)}, so older ones are left out`
    : null;
}
