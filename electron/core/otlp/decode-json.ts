/**
 * OTLP JSON (the OTLP/HTTP JSON encoding) → DecodedBatch, with the quirks real senders have:
 * camelCase or the proto's snake_case field names, trace/span IDs in hex of either case or
 * base64, 64-bit integers as strings or numbers, enum names instead of numbers, missing
 * kind/status/scope. A payload that is not JSON or not shaped like an export request throws
 * PayloadError (→ 400); a single bad span, point or log record is rejected on its own
 * (→ partial_success) and the rest are kept.
 *
 * This module walks the request's resource and scope groups and hands each group's items to
 * its signal's decoder in json/ (decode-traces.ts, decode-metrics.ts, decode-logs.ts).
 */
import { type DecodedBatch, emptyBatch, rejectItem, type ResourceRecord, type ScopeRecord, type Signal } from './model.js';
import { PayloadError } from './payload-error.js';
import { ItemProblem } from './item-limits.js';
import { field, isObj, type Json, str } from './json/json-fields.js';
import { decodeResource, decodeScope } from './json/resource-scope.js';
import { decodeSpans } from './json/decode-traces.js';
import { decodeMetrics } from './json/decode-metrics.js';
import { decodeLogs } from './json/decode-logs.js';

const GROUP_KEYS: Record<Signal, [string, string, string, string, string, string]> = {
  traces: ['resourceSpans', 'resource_spans', 'scopeSpans', 'scope_spans', 'spans', 'spans'],
  metrics: ['resourceMetrics', 'resource_metrics', 'scopeMetrics', 'scope_metrics', 'metrics', 'metrics'],
  logs: ['resourceLogs', 'resource_logs', 'scopeLogs', 'scope_logs', 'logRecords', 'log_records'],
};

export function decodeJson(signal: Signal, body: Buffer | string): DecodedBatch {
  let root: Json;
  try {
    root = JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as Json;
  } catch (e) {
    throw new PayloadError(`invalid JSON: ${(e as Error).message}`);
  }
  return decodeJsonValue(signal, root);
}

/** Decodes an already parsed export request (used by archive importers too). */
export function decodeJsonValue(signal: Signal, root: unknown): DecodedBatch {
  if (!isObj(root)) throw new PayloadError('the body must be a JSON object');
  const [rk, rk2, sk, sk2, ik, ik2] = GROUP_KEYS[signal];
  const batch = emptyBatch(signal);
  const groups = field(root, rk, rk2);
  if (groups === undefined || groups === null) return batch;
  if (!Array.isArray(groups)) throw new PayloadError(`${rk} must be an array`);
  groups.forEach((g, gi) => {
    if (!isObj(g)) throw new PayloadError(`${rk}[${gi}] must be an object`);
    const scopeGroups = field(g, sk, sk2) ?? [];
    if (!Array.isArray(scopeGroups)) throw new PayloadError(`${rk}[${gi}].${sk} must be an array`);
    const itemsOf = (sg: Json): Json[] => {
      const items = isObj(sg) ? field(sg, ik, ik2) : undefined;
      return Array.isArray(items) ? items : [];
    };
    let resource: ResourceRecord;
    try {
      resource = decodeResource(field(g, 'resource'), str(field(g, 'schemaUrl', 'schema_url')));
    } catch (e) {
      if (!(e instanceof ItemProblem)) throw e;
      // The resource cannot be stored, so neither can anything that belongs to it.
      rejectItem(
        batch,
        `resource: ${e.message}`,
        scopeGroups.reduce((n: number, sg) => n + itemsOf(sg).length, 0),
      );
      return;
    }
    scopeGroups.forEach((sg, si) => {
      if (!isObj(sg)) throw new PayloadError(`${rk}[${gi}].${sk}[${si}] must be an object`);
      const items = field(sg, ik, ik2) ?? [];
      if (!Array.isArray(items)) throw new PayloadError(`${rk}[${gi}].${sk}[${si}].${ik} must be an array`);
      let scope: ScopeRecord;
      try {
        scope = decodeScope(field(sg, 'scope'), str(field(sg, 'schemaUrl', 'schema_url')));
      } catch (e) {
        if (!(e instanceof ItemProblem)) throw e;
        rejectItem(batch, `scope: ${e.message}`, items.length);
        return;
      }
      if (signal === 'traces') decodeSpans(items, resource, scope, batch);
      else if (signal === 'metrics') decodeMetrics(items, resource, scope, batch);
      else decodeLogs(items, resource, scope, batch);
    });
  });
  return batch;
}
