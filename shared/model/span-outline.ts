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

/** One page of outline spans, column by column; index i of every span column is the page's i-th span. */
export interface SpanOutlineColumns {
  /** Microseconds since the Unix epoch that `startUs` counts from (the trace's start). */
  baseUs: number;
  /** Span IDs, 16 lowercase hex characters each, concatenated. */
  spanIds: string;
  /** Parent span IDs in the same form; NO_PARENT (all zeros) for a span without one. */
  parentSpanIds: string;
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
