/**
 * Makes the SpanViews the waterfall draws from a page of outline columns (span-outline.ts).
 * What an outline leaves out (attributes, resource, links, event attributes) is one shared,
 * frozen empty object or list: four fresh ones a span were most of this loop's time (garbage
 * collection) at 200,000 spans.
 */
import { NO_PARENT, SPAN_ID_HEX_CHARS, type SpanOutlineColumns } from './span-outline.js';
import type { Attributes, SpanEventView, SpanLinkView, SpanView } from './telemetry.js';

const NO_ATTRIBUTES: Attributes = Object.freeze({});
const NO_EVENTS: SpanEventView[] = Object.freeze([]) as unknown as SpanEventView[];
const NO_LINKS: SpanLinkView[] = Object.freeze([]) as unknown as SpanLinkView[];

/**
 * The page's spans `from` to `to` (all by default) as the waterfall draws them (`outline: true`:
 * detail comes from getSpan); a range lets the UI make a big page's spans a part at a time.
 */
export function outlineSpans(c: SpanOutlineColumns, from = 0, to = c.startUs.length): SpanView[] {
  const spans = new Array<SpanView>(to - from);
  for (let i = from; i < to; i++) {
    const at = i * SPAN_ID_HEX_CHARS;
    const parent = c.parentSpanIds.slice(at, at + SPAN_ID_HEX_CHARS);
    spans[i - from] = {
      spanId: c.spanIds.slice(at, at + SPAN_ID_HEX_CHARS),
      parentSpanId: parent === NO_PARENT ? null : parent,
      name: c.strings[c.name[i]!]!,
      serviceName: c.strings[c.service[i]!]!,
      kind: c.kind[i]!,
      startTimeMs: (c.baseUs + c.startUs[i]!) / 1000,
      durationMs: c.durationUs[i]! / 1000,
      statusCode: c.statusCode[i]!,
      statusMessage: c.strings[c.statusMessage[i]!]!,
      attributes: NO_ATTRIBUTES,
      resourceAttributes: NO_ATTRIBUTES,
      scopeName: '',
      scopeVersion: '',
      events: NO_EVENTS,
      links: NO_LINKS,
      outline: true,
    };
  }
  for (let e = 0; e < c.eventSpan.length; e++) {
    const at = c.eventSpan[e]!;
    if (at < from || at >= to) continue;
    const span = spans[at - from]!;
    if (span.events === NO_EVENTS) span.events = [];
    span.events.push({ timeMs: c.eventTimeMs[e]!, name: c.strings[c.eventName[e]!]!, attributes: NO_ATTRIBUTES });
  }
  return spans;
}
