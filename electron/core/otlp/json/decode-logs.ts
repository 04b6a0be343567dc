/**
 * OTLP JSON logs: log records with their body (stored JSON), severity given as a number or as
 * its name, and optional trace/span IDs; a bad record is rejected on its own.
 */
import { optionalIdProblem, SPAN_ID_BYTES, TRACE_ID_BYTES } from '../ids.js';
import { ItemProblem } from '../item-limits.js';
import { type DecodedBatch, type LogRecordRow, type ResourceRecord, type ScopeRecord } from '../model.js';
import { anyValue, keyValues } from './common-values.js';
import { eachItem, enumValue, field, id, type Json, str, time, uint } from './json-fields.js';

const SEVERITIES: Record<string, number> = { UNSPECIFIED: 0 };
['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].forEach((name, i) => {
  SEVERITIES[name] = i * 4 + 1;
  for (let k = 2; k <= 4; k++) SEVERITIES[name + k] = i * 4 + k;
});

export function decodeLogs(items: Json[], resource: ResourceRecord, scope: ScopeRecord, batch: DecodedBatch): void {
  const logs: LogRecordRow[] = [];
  eachItem(items, batch, 'log record', (l) => {
    const traceId = id(field(l, 'traceId', 'trace_id'), TRACE_ID_BYTES, 'traceId');
    const spanId = id(field(l, 'spanId', 'span_id'), SPAN_ID_BYTES, 'spanId');
    const problem = optionalIdProblem(traceId, TRACE_ID_BYTES, 'traceId') ?? optionalIdProblem(spanId, SPAN_ID_BYTES, 'spanId');
    if (problem) throw new ItemProblem(problem);
    logs.push({
      timeUnixNano: time(field(l, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
      observedTimeUnixNano: time(field(l, 'observedTimeUnixNano', 'observed_time_unix_nano'), 'observedTimeUnixNano'),
      severityNumber: enumValue(field(l, 'severityNumber', 'severity_number'), SEVERITIES, 'SEVERITY_NUMBER_', 'severityNumber'),
      severityText: str(field(l, 'severityText', 'severity_text')),
      bodyJson: anyValue(l['body']),
      attributesJson: keyValues(l['attributes']),
      droppedAttributesCount: uint(field(l, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
      flags: uint(l['flags'], 'flags'),
      traceId,
      spanId,
      eventName: str(field(l, 'eventName', 'event_name')),
    });
  });
  if (logs.length > 0) batch.logs.push({ resource, scope, logs });
}
