/**
 * Huge traces go to the waterfall in pages instead of whole: spans in start order, keyset by
 * (start time, span ID), so each page extends a prefix of the trace in time and, parents
 * starting before their children, a coherent part of the tree that can be drawn at once.
 * Traces up to FULL_DETAIL_MAX_SPANS come with everything, in one page; bigger ones as
 * outlines (what the waterfall draws: IDs, names, services, times, status, event times) in
 * the compact column form of shared/model/span-outline.ts, with one span's detail (getSpan)
 * and attribute search (findSpans) asked for when needed. The first page is a top-N query, so
 * it is drawn as soon as it can be; the pages after it are slices of the whole outline, read
 * and sorted once (trace-outline.ts) and cached while the client pages through it. That read
 * starts once the first page has been read, on reader threads (readers/outline-thread.ts).
 * A trace whose outline a running core has kept in the store (stored-outlines.ts) is paged from
 * that copy instead, from its first page on.
 */
import { sql } from './sql-text.js';
import { foldedContains } from './sql-functions.js';
import { readFirstSpans } from './trace-outline-read.js';
import { loadStoredOutline } from './stored-outlines.js';
import { FULL_DETAIL_MAX_SPANS } from './huge-trace.js';
import type { OutlineSource } from './outline-source.js';
import { cursorAt, outlineColumns, positionAfter, type KeysetCursor, type TraceOutline } from './trace-outline.js';
import type { TraceOutlineCache } from './trace-outline-cache.js';
import type { Db } from './db.js';
import type { TraceSpansPage, TraceSummary, SpanView } from '../../../shared/model/telemetry.js';

export { FULL_DETAIL_MAX_SPANS };

export async function traceSpansPage(
  db: Db,
  trace: { seq: number; summary: TraceSummary; startUs: number },
  after: KeysetCursor | undefined,
  limit: number,
  outlines: { cache: TraceOutlineCache; source: OutlineSource },
  fullSpans: (seq: number) => SpanView[],
): Promise<TraceSpansPage> {
  const { seq, summary } = trace;
  if (summary.spanCount <= FULL_DETAIL_MAX_SPANS) return { summary, spans: fullSpans(seq), next: null, outline: null };
  const { cache, source } = outlines;
  const version = summary.spanCount;
  const stored = (): TraceOutline | null => loadStoredOutline(db, seq, version, trace.startUs);
  const whole = (wait: boolean): Promise<TraceOutline> =>
    cache.get(seq, version, (awaited) => source.build({ seq, baseUs: trace.startUs, spanCount: version, awaited, stored }), wait);
  let outline: TraceOutline;
  let from = 0;
  let more: boolean;
  const kept = after === undefined ? stored() : null;
  if (kept) {
    // Kept in the store: every page, the first too, is a slice of it (in place of any read of
    // the trace already started).
    cache.put(seq, version, kept);
    outline = kept;
    more = limit < outline.count;
  } else if (after === undefined) {
    outline = readFirstSpans(db, seq, limit, trace.startUs);
    // The pages after this one will want the whole outline: its build starts once this page is
    // on its way (not beside its query, which it would slow), on reader threads.
    if (limit < version) setImmediate(() => void whole(false).catch(() => undefined));
    more = outline.count === limit;
  } else {
    outline = await whole(true);
    from = positionAfter(outline, after);
    more = from + limit < outline.count;
  }
  if (!more && (kept || after !== undefined)) cache.drop(seq, version);
  const to = Math.min(from + limit, outline.count);
  return {
    summary,
    spans: [],
    next: more && to > from ? cursorAt(outline, to - 1) : null,
    outline: outlineColumns(outline, from, to),
  };
}

/**
 * Span IDs of a trace whose service, name, status message or an attribute as "key=value"
 * contains `text` (case-insensitive): the same text the waterfall searches locally
 * (row-states.ts searchText), so results do not depend on whether the UI holds the attributes.
 */
export function findSpans(db: Db, seq: number, text: string, limit: number): string[] {
  const m = foldedContains(text);
  const [t] = m.params('text');
  return db
    .prepare(
      sql`SELECT lower(hex(s.span_id)) FROM spans s JOIN resources r ON r.id = s.resource_id
       WHERE s.trace_seq = ? AND (${m.sql(sql`s.name`, 'text')} OR ${m.sql(sql`s.status_message`, 'text')} OR ${m.sql(sql`r.service_name`, 'text')}
         OR (json_valid(s.attributes) AND EXISTS (SELECT 1 FROM json_each(s.attributes) j WHERE ${m.sql(sql`(j.key || '=' || j.value)`, 'text')})))
       LIMIT ?`,
    )
    .pluck()
    .all(seq, t, t, t, t, limit) as string[];
}
