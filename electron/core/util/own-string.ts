/**
 * A copy of a string that holds no other string alive. V8 makes a slice of a long string (13
 * characters or more) a view of it, so a cached slice keeps its whole parent in memory: the
 * writer threads receive a batch's attribute text as slices of one joined string
 * (ingest/batch-transfer.ts), and a cache keyed by a piece of it would hold every line it saw.
 * For what goes into long-lived caches, on a miss; the JSON round trip keeps lone surrogates.
 */
export function ownString(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
