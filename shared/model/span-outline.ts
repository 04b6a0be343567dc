/**
 * The compact form in which a huge trace's outline spans travel (getTraceSpans pages of traces
 * over 5,000 spans): one array per field instead of one JSON object per span, strings
 * deduplicated through a table, times as integer microseconds from a base. A 200,000-span
 * outline is about a fifth of the bytes of the object form, and what costs most on both ends
 * (making and parsing 200,000 objects with a dozen keys, most of them empty) is gone from the
 * transfer; the UI makes the SpanView objects it draws from the columns (`outline-spans.ts`).
 */
/** Characters of one span ID in `spanIds` and `parentSpanIds`. */
export const SPAN_ID_HEX_CHARS = 16;
/** A parent of all zeros in `parentSpanIds`: the span has no parent. */
export const NO_PARENT = '0000000000000000';
/**
 * In `parentIndex` of a trace's first page: the span's parent is not in that page (it may be
 * in a later one, or not in the trace), so the UI looks it up by ID once all pages are in.
 */
export const PARENT_NOT_IN_PAGE = -2;

/** One page of outline spans, column by column; index i of every span column is the page's i-th span. */
export interface SpanOutlineColumns {
  /** Microseconds since the Unix epoch that `startUs` counts from (the trace's start). */
  baseUs: number;
  /**
   * The position of the page's first span in the trace's keyset order, as the core read it: the
   * number of spans before it. Pages that follow one another have offsets that add up, unless
   * spans arrived in between (then `parentIndex` positions do not match the client's list).
   */
  offset: number;
  /** Span IDs, 16 lowercase hex characters each, concatenated. */
  spanIds: string;
  /** Parent span IDs in the same form; NO_PARENT (all zeros) for a span without one. */
  parentSpanIds: string;
  /**
   * Each span's parent as a position in the trace's keyset order (what `offset` counts), so the
   * UI builds the tree without an index of 200,000 IDs: -1 when the span has no parent or its
   * parent is not in the trace, PARENT_NOT_IN_PAGE in the first page for a parent beyond it.
   */
  parentIndex: number[];
  /** Start, in whole microseconds after `baseUs`. */
  startUs: number[];
  durationUs: number[];
  kind: number[];
  statusCode: number[];
  /** Every distinct name, service, status message and event name of the page. */
  strings: string[];
  /** Indexes into `strings`. */
  name: number[];
  service: number[];
  statusMessage: number[];
  /** Events (time and name only), span by span: the page index of the span each belongs to. */
  eventSpan: number[];
  eventTimeMs: number[];
  /** Indexes into `strings`. */
  eventName: number[];
}
