/** OTLP JSON as Sightline exports it (`sightline trace`, exportTrace): the OTLP/HTTP JSON encoding. */

export type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | string }
  | { bytesValue: string }
  | { arrayValue: { values: OtlpAnyValue[] } }
  | { kvlistValue: { values: OtlpKeyValue[] } }
  | Record<string, never>;

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
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
