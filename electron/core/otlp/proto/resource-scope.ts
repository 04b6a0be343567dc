/**
 * What every OTLP export request shares around its items: the resource of a resource group,
 * and the scope group (scope + schema URL + the signal's items, which the signal's module
 * decodes: decode-traces.ts, decode-metrics.ts, decode-logs.ts). A resource or scope that
 * cannot be stored rejects the items under it.
 */
import { ProtobufReader, WIRE_LEN, WIRE_VARINT } from '../protobuf-reader.js';
import { ItemProblem } from '../item-limits.js';
import { type DecodedBatch, EMPTY_RESOURCE, EMPTY_SCOPE, rejectItem, type ResourceRecord, type ScopeRecord } from '../model.js';
import { AttributeMap, T2_LEN, W_OUTER } from './common-values.js';

/** A Resource message (attributes = 1, dropped_attributes_count = 2); the schema URL is its group's. */
export function decodeResource(r: ProtobufReader): ResourceRecord {
  const attrs = new AttributeMap(W_OUTER);
  let dropped = 0;
  while (r.hasMore()) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WIRE_LEN, 'resource attribute');
      attrs.add(r);
    } else if (field === 2) {
      r.expect(tag, WIRE_VARINT, 'dropped_attributes_count');
      dropped = r.uint32();
    } else r.skip(tag);
  }
  const attributesJson = attrs.done();
  const name = attributesJson.includes('"service.name"') ? (JSON.parse(attributesJson) as Record<string, unknown>)['service.name'] : undefined;
  const serviceName = typeof name === 'string' ? name : EMPTY_RESOURCE.serviceName;
  return { serviceName, attributesJson, droppedAttributesCount: dropped, schemaUrl: '' };
}

function decodeScope(r: ProtobufReader, schemaUrl: string): ScopeRecord {
  let name = '';
  let version = '';
  let dropped = 0;
  const attrs = new AttributeMap(W_OUTER);
  while (r.hasMore()) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WIRE_LEN, 'scope name');
        name = r.string();
        break;
      case 2:
        r.expect(tag, WIRE_LEN, 'scope version');
        version = r.string();
        break;
      case 3:
        r.expect(tag, WIRE_LEN, 'scope attribute');
        attrs.add(r);
        break;
      case 4:
        r.expect(tag, WIRE_VARINT, 'dropped_attributes_count');
        dropped = r.uint32();
        break;
      default:
        r.skip(tag);
    }
  }
  return { name, version, attributesJson: attrs.done(), droppedAttributesCount: dropped, schemaUrl };
}

/** How many times field `field` occurs in a message (without decoding it). */
export function countField(message: ProtobufReader, field: number): number {
  const r = new ProtobufReader(message.buf, message.pos, message.end);
  let n = 0;
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag >>> 3 === field) n++;
    r.skip(tag);
  }
  return n;
}

/**
 * Reads a scope group's scope (field 1) and schema_url (field 3); returns the item readers
 * (field 2). A scope that cannot be stored rejects the group's items (scope = null).
 */
export function readScopeGroup(r: ProtobufReader, itemName: string, batch: DecodedBatch): { scope: ScopeRecord; items: ProtobufReader[] } | null {
  let scopeReader: ProtobufReader | null = null;
  let schemaUrl = '';
  const items: ProtobufReader[] = [];
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag === T2_LEN) items.push(r.sub());
    else if (tag >>> 3 === 1) {
      r.expect(tag, WIRE_LEN, 'scope');
      scopeReader = r.sub();
    } else if (tag >>> 3 === 3) {
      r.expect(tag, WIRE_LEN, 'schema_url');
      schemaUrl = r.string();
    } else if (tag >>> 3 === 2) r.expect(tag, WIRE_LEN, itemName);
    else r.skip(tag);
  }
  try {
    const scope = scopeReader ? decodeScope(scopeReader, schemaUrl) : schemaUrl ? { ...EMPTY_SCOPE, schemaUrl } : EMPTY_SCOPE;
    return { scope, items };
  } catch (e) {
    if (!(e instanceof ItemProblem)) throw e;
    rejectItem(batch, `scope: ${e.message}`, items.length);
    return null;
  }
}
