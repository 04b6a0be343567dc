/** A minimal SpanView for renderer tests: only its IDs and times say anything. */
import type { SpanView } from '../../shared/model/telemetry.js';

export function spanView(spanId: string, parentSpanId: string | null, startTimeMs = 0, durationMs = 1): SpanView {
  return {
    spanId,
    parentSpanId,
    name: spanId,
    serviceName: 's',
    kind: 1,
    startTimeMs,
    durationMs,
    statusCode: 0,
    statusMessage: '',
    attributes: {},
    resourceAttributes: {},
    scopeName: '',
    scopeVersion: '',
    events: [],
    links: [],
  };
}
