/**
 * OTLP JSON resources and scopes. Missing ones become the empty resource or scope (with the
 * group's schema URL); a bad dropped-attributes count is read as 0 rather than rejecting
 * everything under it.
 */
import { EMPTY_RESOURCE, EMPTY_SCOPE, type ResourceRecord, type ScopeRecord } from '../model.js';
import { keyValues } from './common-values.js';
import { field, isObj, type Json, str, uint } from './json-fields.js';

export function decodeResource(v: Json | undefined, schemaUrl: string): ResourceRecord {
  if (!isObj(v)) return schemaUrl ? { ...EMPTY_RESOURCE, schemaUrl } : EMPTY_RESOURCE;
  const attributesJson = keyValues(v['attributes']);
  const attrs = v['attributes'];
  let serviceName = EMPTY_RESOURCE.serviceName;
  if (Array.isArray(attrs)) {
    for (const kv of attrs) {
      if (isObj(kv) && kv['key'] === 'service.name' && isObj(kv['value'])) {
        const s = field(kv['value'], 'stringValue', 'string_value');
        if (typeof s === 'string') serviceName = s;
      }
    }
  }
  return { serviceName, attributesJson, droppedAttributesCount: safeUint(field(v, 'droppedAttributesCount', 'dropped_attributes_count')), schemaUrl };
}

function safeUint(v: Json | undefined): number {
  try {
    return uint(v, 'count');
  } catch {
    return 0;
  }
}

export function decodeScope(v: Json | undefined, schemaUrl: string): ScopeRecord {
  if (!isObj(v)) return schemaUrl ? { ...EMPTY_SCOPE, schemaUrl } : EMPTY_SCOPE;
  const attributesJson = keyValues(v['attributes']);
  return {
    name: str(v['name']),
    version: str(v['version']),
    attributesJson,
    droppedAttributesCount: safeUint(field(v, 'droppedAttributesCount', 'dropped_attributes_count')),
    schemaUrl,
  };
}
