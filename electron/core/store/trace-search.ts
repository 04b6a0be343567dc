/**
 * Trace search with filters: time range, duration, errors and service run on the `traces`
 * summary (indexed by dataset and start time); operation, attribute and free-text filters ask
 * whether any span of the trace matches (spans by trace_seq, attributes with json_extract).
 * Newest first, bounded by `limit`. A search with a service, duration or error filter walks only
 * the ten-minute buckets that may hold a match (trace-buckets.ts).
 */
import type { AttributeFilter } from '../../../shared/model/trace-search.js';
import { addToken, bloomColumns, bloomToken, emptyBloom } from './attribute-bloom.js';
import { joinSql, sql, type SqlText } from './sql-text.js';
import { attributePath, foldedContains } from './sql-functions.js';
import type { BucketFilter } from './trace-buckets.js';

export interface TraceSearch {
  /** Undefined: every dataset. */
  dataset: number | undefined;
  service?: string | undefined;
  operation?: string | undefined;
  attributes?: AttributeFilter[] | undefined;
  minDurationMs?: number | undefined;
  maxDurationMs?: number | undefined;
  errorsOnly?: boolean | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
  text?: string | undefined;
  /** A span of service `parent` with a child span of service `child`. */
  call?: { parent: string; child: string } | undefined;
  limit: number;
}

const ns = (ms: number): bigint => BigInt(Math.round(ms * 1000)) * 1000n;
const SQL_OP = { eq: sql`=`, ne: sql`!=`, gt: sql`>`, ge: sql`>=`, lt: sql`<`, le: sql`<=` } as const;
const BLOOM_TESTS = [sql`(t.attr_bloom_0 & ?) = ?`, sql`(t.attr_bloom_1 & ?) = ?`, sql`(t.attr_bloom_2 & ?) = ?`, sql`(t.attr_bloom_3 & ?) = ?`];

export function hasFilters(q: TraceSearch): boolean {
  return !!(
    q.call ||
    q.operation ||
    q.attributes?.length ||
    q.minDurationMs !== undefined ||
    q.maxDurationMs !== undefined ||
    q.errorsOnly ||
    q.fromMs !== undefined ||
    q.toMs !== undefined ||
    q.text
  );
}

/** What of a search the time buckets summarise (trace-buckets.ts). */
export function bucketFilterOf(q: Omit<TraceSearch, 'limit'>): BucketFilter {
  return {
    dataset: q.dataset,
    service: q.service,
    minDurationNs: q.minDurationMs !== undefined ? ns(q.minDurationMs) : undefined,
    maxDurationNs: q.maxDurationMs !== undefined ? ns(q.maxDurationMs) : undefined,
    errorsOnly: q.errorsOnly,
    fromNs: q.fromMs !== undefined ? ns(q.fromMs) : undefined,
    toNs: q.toMs !== undefined ? ns(q.toMs) : undefined,
  };
}

/** `t.start_time_unix_nano >= ? AND … < ?` for each candidate range, or a clause that is always true when there are none. */
export const IN_START_RANGE = sql`t.start_time_unix_nano >= ? AND t.start_time_unix_nano < ?`;

/** The WHERE clause and its parameters (the select list is the caller's). */
export function traceSearchWhere(q: TraceSearch): { sql: SqlText; params: (string | number | bigint)[] } {
  const where: SqlText[] = [sql`1`];
  const params: (string | number | bigint)[] = [];
  if (q.dataset !== undefined) {
    where.push(sql`t.dataset_id = ?`);
    params.push(q.dataset);
  }
  if (q.fromMs !== undefined) {
    where.push(sql`t.start_time_unix_nano >= ?`);
    params.push(ns(q.fromMs));
  }
  if (q.toMs !== undefined) {
    where.push(sql`t.start_time_unix_nano < ?`);
    params.push(ns(q.toMs));
  }
  if (q.minDurationMs !== undefined) {
    where.push(sql`t.end_time_unix_nano - t.start_time_unix_nano >= ?`);
    params.push(ns(q.minDurationMs));
  }
  if (q.maxDurationMs !== undefined) {
    where.push(sql`t.end_time_unix_nano - t.start_time_unix_nano <= ?`);
    params.push(ns(q.maxDurationMs));
  }
  if (q.errorsOnly) where.push(sql`t.error_count > 0`);
  // Rule traces out by their attribute Bloom filter before reading any span (NULL: not indexed).
  const bloom = emptyBloom();
  let tokens = 0;
  for (const f of q.attributes ?? []) {
    if (f.op === 'eq' && f.value !== undefined) {
      addToken(bloom, bloomToken(f.key, f.value));
      tokens++;
    }
  }
  if (tokens > 0) {
    const masks = bloomColumns(bloom);
    const tests = masks.flatMap((m, k) => (m === 0n ? [] : [BLOOM_TESTS[k]!]));
    where.push(sql`(t.attr_bloom_0 IS NULL OR (${joinSql(tests, ' AND ')}))`);
    for (const m of masks) if (m !== 0n) params.push(m, m);
  }
  if (q.service) {
    where.push(sql`EXISTS (SELECT 1 FROM trace_services ts WHERE ts.trace_seq = t.trace_seq AND ts.service_name = ?)`);
    params.push(q.service);
  }
  if (q.operation) {
    where.push(sql`EXISTS (SELECT 1 FROM spans s WHERE s.trace_seq = t.trace_seq AND s.name = ?)`);
    params.push(q.operation);
  }
  for (const f of q.attributes ?? []) {
    // The key travels as a bound JSON path ($."key", escaped), so any key can be searched.
    if (f.op === 'exists') {
      where.push(sql`EXISTS (SELECT 1 FROM spans s WHERE s.trace_seq = t.trace_seq AND json_type(s.attributes, ?) IS NOT NULL)`);
      params.push(attributePath(f.key));
      continue;
    }
    where.push(sql`EXISTS (SELECT 1 FROM spans s WHERE s.trace_seq = t.trace_seq AND json_extract(s.attributes, ?) ${SQL_OP[f.op]} ?)`);
    params.push(attributePath(f.key), f.value!);
  }
  if (q.call) {
    where.push(sql`EXISTS (SELECT 1 FROM spans c JOIN resources cr ON cr.id = c.resource_id
      JOIN spans p ON p.trace_seq = c.trace_seq AND p.span_id = c.parent_span_id JOIN resources pr ON pr.id = p.resource_id
      WHERE c.trace_seq = t.trace_seq AND cr.service_name = ? AND pr.service_name = ?)`);
    params.push(q.call.child, q.call.parent);
  }
  if (q.text) {
    const m = foldedContains(q.text);
    where.push(sql`EXISTS (SELECT 1 FROM spans s WHERE s.trace_seq = t.trace_seq AND (${m.sql(sql`s.name`, 'text')} OR ${m.sql(sql`s.attributes`, 'json')}))`);
    params.push(...m.params('text'), ...m.params('json'));
  }
  return { sql: joinSql(where, ' AND '), params };
}
