/**
 * OTLP JSON common values (AnyValue, KeyValue lists) → stored JSON text (stored-json.ts), with
 * the nesting limit every way in shares (item-limits.ts).
 */
import { jsonDouble, jsonObject, jsonString } from '../stored-json.js';
import { ItemProblem, MAX_VALUE_DEPTH, tooDeep } from '../item-limits.js';
import { dbl, field, int64, isObj, type Json, str } from './json-fields.js';

export function anyValue(v: Json | undefined, depth = 0): string {
  if (depth > MAX_VALUE_DEPTH) throw tooDeep();
  if (!isObj(v)) return 'null';
  if ('stringValue' in v || 'string_value' in v) return jsonString(str(field(v, 'stringValue', 'string_value')));
  if ('boolValue' in v || 'bool_value' in v) {
    const b = field(v, 'boolValue', 'bool_value');
    return b === true || b === 'true' ? 'true' : 'false';
  }
  if ('intValue' in v || 'int_value' in v) {
    const raw = field(v, 'intValue', 'int_value');
    return int64(raw, 'intValue').toString();
  }
  if ('doubleValue' in v || 'double_value' in v) return jsonDouble(dbl(field(v, 'doubleValue', 'double_value'), 'doubleValue'));
  if ('arrayValue' in v || 'array_value' in v) {
    const a = field(v, 'arrayValue', 'array_value');
    const values = isObj(a) ? a['values'] : undefined;
    return '[' + (Array.isArray(values) ? values.map((x) => anyValue(x, depth + 1)).join(',') : '') + ']';
  }
  if ('kvlistValue' in v || 'kvlist_value' in v) {
    const kv = field(v, 'kvlistValue', 'kvlist_value');
    return keyValues(isObj(kv) ? kv['values'] : undefined, depth + 1);
  }
  if ('bytesValue' in v || 'bytes_value' in v) {
    const b = str(field(v, 'bytesValue', 'bytes_value'));
    return `{"$bytes":${jsonString(b)}}`;
  }
  return 'null';
}

export function keyValues(list: Json | undefined, depth = 0): string {
  if (list === undefined || list === null) return '{}';
  if (!Array.isArray(list)) throw new ItemProblem('attributes must be an array of key/value pairs');
  const keys: string[] = [];
  const values: string[] = [];
  for (const kv of list) {
    if (!isObj(kv)) throw new ItemProblem('an attribute is not an object');
    keys.push(str(kv['key']));
    values.push(anyValue(kv['value'], depth));
  }
  return jsonObject(keys, values);
}
