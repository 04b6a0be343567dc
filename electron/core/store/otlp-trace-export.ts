/**
 * One stored trace → OTLP JSON (`{"resourceSpans":[…]}`), grouped by resource and scope as an
 * SDK would send it, with IDs in lowercase hex and nanosecond times as decimal strings (the
 * OTLP JSON encoding of fixed64). Attribute types come back exactly (typed-json.ts).
 */
import type { Db } from './open-store.js';
import { storedRecords, storedToKeyValues, type OtlpKeyValue } from './typed-json.js';

interface ExportSpanRow {
  trace_id: Buffer;
  span_id: Buffer;
  parent_span_id: Buffer | null;
  name: string;
  kind: number;
  start_ns: bigint;
  end_ns: bigint;
  status_code: number;
  status_message: string;
  trace_state: string;
  flags: number;
  attributes: string;
  dropped_attributes_count: number;
  events: string | null;
  dropped_events_count: number;
  links: string | null;
  dropped_links_count: number;
  resource_id: number;
  r_attributes: string;
  r_dropped: number;
  r_schema_url: string;
  scope_id: number;
  sc_name: string;
  sc_version: string;
  sc_attributes: string;
  sc_dropped: number;
  sc_schema_url: string;
}

export interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  flags?: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  droppedAttributesCount?: number;
  events: Record<string, unknown>[];
  droppedEventsCount?: number;
  links: Record<string, unknown>[];
  droppedLinksCount?: number;
  status: { code: number; message?: string };
}

export interface OtlpJsonTraces {
  resourceSpans: {
    resource: { attributes: OtlpKeyValue[]; droppedAttributesCount?: number };
    schemaUrl?: string;
    scopeSpans: {
      scope: { name: string; version?: string; attributes?: OtlpKeyValue[]; droppedAttributesCount?: number };
      schemaUrl?: string;
      spans: OtlpJsonSpan[];
    }[];
  }[];
}

const EXPORT_COLUMNS = `s.trace_id, s.span_id, s.parent_span_id, s.name, s.kind, s.start_time_unix_nano AS start_ns,
  s.end_time_unix_nano AS end_ns, s.status_code, s.status_message, s.trace_state, s.flags, s.attributes,
  s.dropped_attributes_count, s.events, s.dropped_events_count, s.links, s.dropped_links_count,
  s.resource_id, r.attributes AS r_attributes, r.dropped_attributes_count AS r_dropped, r.schema_url AS r_schema_url,
  s.scope_id, sc.name AS sc_name, sc.version AS sc_version, sc.attributes AS sc_attributes,
  sc.dropped_attributes_count AS sc_dropped, sc.schema_url AS sc_schema_url`;

/** The trace from `datasetId`, or without one the live copy first, then the oldest import. */
export function exportTraceAsOtlp(db: Db, traceIdHex: string, datasetId?: number): OtlpJsonTraces | null {
  const seq = db
    .prepare('SELECT trace_seq FROM traces WHERE trace_id = ? AND (? IS NULL OR dataset_id = ?) ORDER BY dataset_id LIMIT 1')
    .pluck()
    .get(Buffer.from(traceIdHex, 'hex'), datasetId ?? null, datasetId ?? null) as number | undefined;
  if (seq === undefined) return null;
  return exportTracesAsOtlp(db, [seq]);
}

/** Traces (by trace_seq) → one OTLP JSON request, grouped by resource and scope. */
export function exportTracesAsOtlp(db: Db, traceSeqs: number[]): OtlpJsonTraces {
  const rows = db
    .prepare(
      `SELECT ${EXPORT_COLUMNS}
       FROM spans s JOIN resources r ON r.id = s.resource_id JOIN scopes sc ON sc.id = s.scope_id
       WHERE s.trace_seq IN (SELECT value FROM json_each(?))
       ORDER BY s.resource_id, s.scope_id, s.trace_seq, s.start_time_unix_nano`,
    )
    .safeIntegers(true)
    .all(JSON.stringify(traceSeqs)) as ExportSpanRow[];
  const out: OtlpJsonTraces = { resourceSpans: [] };
  let lastResource: bigint | number = -1;
  let lastScope: bigint | number = -1;
  for (const r of rows) {
    if (r.resource_id !== lastResource) {
      out.resourceSpans.push({
        resource: { attributes: storedToKeyValues(r.r_attributes), ...(Number(r.r_dropped) ? { droppedAttributesCount: Number(r.r_dropped) } : {}) },
        ...(r.r_schema_url ? { schemaUrl: r.r_schema_url } : {}),
        scopeSpans: [],
      });
      lastResource = r.resource_id;
      lastScope = -1;
    }
    const rs = out.resourceSpans[out.resourceSpans.length - 1]!;
    if (r.scope_id !== lastScope) {
      rs.scopeSpans.push({
        scope: {
          name: r.sc_name,
          ...(r.sc_version ? { version: r.sc_version } : {}),
          ...(r.sc_attributes !== '{}' ? { attributes: storedToKeyValues(r.sc_attributes) } : {}),
          ...(Number(r.sc_dropped) ? { droppedAttributesCount: Number(r.sc_dropped) } : {}),
        },
        ...(r.sc_schema_url ? { schemaUrl: r.sc_schema_url } : {}),
        spans: [],
      });
      lastScope = r.scope_id;
    }
    rs.scopeSpans[rs.scopeSpans.length - 1]!.spans.push(toOtlpSpan(r));
  }
  return out;
}

function toOtlpSpan(r: ExportSpanRow): OtlpJsonSpan {
  const span: OtlpJsonSpan = {
    traceId: r.trace_id.toString('hex'),
    spanId: r.span_id.toString('hex'),
    name: r.name,
    kind: Number(r.kind),
    startTimeUnixNano: r.start_ns.toString(),
    endTimeUnixNano: r.end_ns.toString(),
    attributes: storedToKeyValues(r.attributes),
    events: storedRecords(r.events),
    links: storedRecords(r.links),
    status: { code: Number(r.status_code), ...(r.status_message ? { message: r.status_message } : {}) },
  };
  if (r.parent_span_id) span.parentSpanId = r.parent_span_id.toString('hex');
  if (r.trace_state) span.traceState = r.trace_state;
  if (Number(r.flags)) span.flags = Number(r.flags);
  if (Number(r.dropped_attributes_count)) span.droppedAttributesCount = Number(r.dropped_attributes_count);
  if (Number(r.dropped_events_count)) span.droppedEventsCount = Number(r.dropped_events_count);
  if (Number(r.dropped_links_count)) span.droppedLinksCount = Number(r.dropped_links_count);
  return span;
}
