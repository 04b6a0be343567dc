/**
 * OTLP protobuf → DecodedBatch, for ExportTraceServiceRequest, ExportMetricsServiceRequest
 * and ExportLogsServiceRequest (opentelemetry-proto v1). Field numbers follow
 * opentelemetry/proto/{trace,metrics,logs,common,resource}/v1/*.proto. Unknown fields are
 * skipped as protobuf requires; a known field with the wrong wire type, a truncated value or
 * a length past the end throws ProtobufError (→ 400). Items with unusable IDs, times outside
 * what SQLite stores or values nested too deep (item-limits.ts) are counted as rejected
 * (→ partial_success) and the rest are kept.
 *
 * This module reads the request and its resource groups and hands each scope group to its
 * signal's decoder in proto/ (decode-traces.ts, decode-metrics.ts, decode-logs.ts); values
 * common to all signals are in proto/common-values.ts, resources and scopes in
 * proto/resource-scope.ts.
 */
import { ProtobufReader, WIRE_LEN } from './protobuf-reader.js';
import { ItemProblem } from './item-limits.js';
import { type DecodedBatch, emptyBatch, EMPTY_RESOURCE, rejectItem, type ResourceRecord, type Signal } from './model.js';
import { countField, decodeResource } from './proto/resource-scope.js';
import { decodeScopeSpans } from './proto/decode-traces.js';
import { decodeScopeMetrics } from './proto/decode-metrics.js';
import { decodeScopeLogs } from './proto/decode-logs.js';

export function decodeProtobuf(signal: Signal, body: Buffer): DecodedBatch {
  const batch = emptyBatch(signal);
  const r = new ProtobufReader(body);
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag >>> 3 === 1) {
      r.expect(tag, WIRE_LEN, `resource_${signal === 'traces' ? 'spans' : signal}`);
      decodeResourceGroup(r.sub(), signal, batch);
    } else r.skip(tag);
  }
  return batch;
}

function decodeResourceGroup(r: ProtobufReader, signal: Signal, batch: DecodedBatch): void {
  let resource: ResourceRecord = EMPTY_RESOURCE;
  let resourceProblem: ItemProblem | null = null;
  const scopeGroups: ProtobufReader[] = [];
  let schemaUrl = '';
  while (r.hasMore()) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE_LEN, 'resource');
      try {
        resource = decodeResource(r.sub());
      } catch (e) {
        if (!(e instanceof ItemProblem)) throw e;
        resourceProblem = e;
      }
    } else if (field === 2) {
      r.expect(tag, WIRE_LEN, 'scope group');
      scopeGroups.push(r.sub());
    } else if (field === 3) {
      r.expect(tag, WIRE_LEN, 'schema_url');
      schemaUrl = r.string();
    } else r.skip(tag);
  }
  if (schemaUrl) resource = { ...resource, schemaUrl };
  if (resourceProblem) {
    // The resource cannot be stored, so neither can anything that belongs to it.
    rejectItem(
      batch,
      `resource: ${resourceProblem.message}`,
      scopeGroups.reduce((n, sg) => n + countField(sg, 2), 0),
    );
    return;
  }
  for (const sg of scopeGroups) {
    if (signal === 'traces') decodeScopeSpans(sg, resource, batch);
    else if (signal === 'metrics') decodeScopeMetrics(sg, resource, batch);
    else decodeScopeLogs(sg, resource, batch);
  }
}
