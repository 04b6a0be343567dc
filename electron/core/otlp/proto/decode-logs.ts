/**
 * OTLP protobuf logs: ScopeLogs → log records (opentelemetry/proto/logs/v1/logs.proto), the
 * body kept as stored JSON. A record with unusable trace/span IDs or a value over the item
 * limits is rejected on its own.
 */
import { ProtobufReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../protobuf-reader.js';
import { optionalIdProblem, SPAN_ID_BYTES, TRACE_ID_BYTES } from '../ids.js';
import { checkTime, ItemProblem } from '../item-limits.js';
import { type DecodedBatch, type LogRecordRow, rejectItem, type ResourceRecord } from '../model.js';
import { anyValueText, AttributeMap, W_ATTR } from './common-values.js';
import { readScopeGroup } from './resource-scope.js';

export function decodeScopeLogs(r: ProtobufReader, resource: ResourceRecord, batch: DecodedBatch): void {
  const group = readScopeGroup(r, 'log_record', batch);
  if (!group) return;
  const { scope, items } = group;
  const logs: LogRecordRow[] = [];
  for (const item of items) {
    let log: LogRecordRow;
    try {
      log = decodeLogRecord(item);
    } catch (e) {
      if (!(e instanceof ItemProblem)) throw e;
      rejectItem(batch, `log record: ${e.message}`);
      continue;
    }
    const problem = optionalIdProblem(log.traceId, TRACE_ID_BYTES, 'trace_id') ?? optionalIdProblem(log.spanId, SPAN_ID_BYTES, 'span_id');
    if (problem) rejectItem(batch, `log record: ${problem}`);
    else logs.push(log);
  }
  if (logs.length > 0) batch.logs.push({ resource, scope, logs });
}

function decodeLogRecord(r: ProtobufReader): LogRecordRow {
  const log: LogRecordRow = {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    bodyJson: 'null',
    attributesJson: '{}',
    droppedAttributesCount: 0,
    flags: 0,
    traceId: null,
    spanId: null,
    eventName: '',
  };
  const attrs = new AttributeMap(W_ATTR);
  while (r.hasMore()) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WIRE_FIXED64, 'time_unix_nano');
        log.timeUnixNano = checkTime(r.fixed64(), 'time_unix_nano');
        break;
      case 2:
        r.expect(tag, WIRE_VARINT, 'severity_number');
        log.severityNumber = r.uint32();
        break;
      case 3:
        r.expect(tag, WIRE_LEN, 'severity_text');
        log.severityText = r.string();
        break;
      case 5:
        r.expect(tag, WIRE_LEN, 'body');
        log.bodyJson = anyValueText(r.sub());
        break;
      case 6:
        r.expect(tag, WIRE_LEN, 'attributes');
        attrs.add(r);
        break;
      case 7:
        r.expect(tag, WIRE_VARINT, 'dropped_attributes_count');
        log.droppedAttributesCount = r.uint32();
        break;
      case 8:
        r.expect(tag, WIRE_FIXED32, 'flags');
        log.flags = r.fixed32();
        break;
      case 9:
        r.expect(tag, WIRE_LEN, 'trace_id');
        log.traceId = r.bytes();
        break;
      case 10:
        r.expect(tag, WIRE_LEN, 'span_id');
        log.spanId = r.bytes();
        break;
      case 11:
        r.expect(tag, WIRE_FIXED64, 'observed_time_unix_nano');
        log.observedTimeUnixNano = checkTime(r.fixed64(), 'observed_time_unix_nano');
        break;
      case 12:
        r.expect(tag, WIRE_LEN, 'event_name');
        log.eventName = r.string();
        break;
      default:
        r.skip(tag);
    }
  }
  if (log.traceId?.length === 0) log.traceId = null;
  if (log.spanId?.length === 0) log.spanId = null;
  log.attributesJson = attrs.done();
  return log;
}
