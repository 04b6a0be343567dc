/**
 * Parses stored JSON for a reader (the UI, the CLI, reports) so that nothing in the store can
 * break it: text that is not JSON reads as a marker instead of throwing, and values nested
 * deeper than the ingest limit (possible only in stores written before that limit existed)
 * are cut at the limit with a marker, so the answer can always be serialised again
 * (JSON.stringify recurses, and overflows the stack a few thousand levels down).
 */
import { MAX_VALUE_DEPTH } from '../otlp/item-limits.js';

export const TOO_DEEP_MARKER = `[nested deeper than ${MAX_VALUE_DEPTH} levels: not shown]`;
export const UNREADABLE_MARKER = '[unreadable stored value]';

/** Nesting depth of JSON text, counted without parsing (strings skipped). */
function maxDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Replaces everything nested deeper than `limit` levels with the marker, iteratively. */
function clip(root: unknown, limit: number): unknown {
  const stack: { value: Record<string, unknown> | unknown[]; depth: number }[] = [];
  if (root !== null && typeof root === 'object') stack.push({ value: root as Record<string, unknown>, depth: 1 });
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
    for (const k of keys) {
      const child = (value as Record<string | number, unknown>)[k];
      if (child === null || typeof child !== 'object') continue;
      if (depth >= limit) (value as Record<string | number, unknown>)[k] = TOO_DEEP_MARKER;
      else stack.push({ value: child as Record<string, unknown>, depth: depth + 1 });
    }
  }
  return root;
}

/**
 * JSON.parse for stored text. `containerDepth` is how many levels the stored text itself adds
 * around attribute values (1 for an attribute map, 2 for a list of events with attributes…).
 */
export function parseStoredJson(text: string, containerDepth = 1): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return UNREADABLE_MARKER;
  }
  const limit = MAX_VALUE_DEPTH + containerDepth + 1;
  // Depth d needs at least 2·d characters: short text cannot be too deep.
  if (text.length > 2 * limit && maxDepth(text) > limit) return clip(value, limit);
  return value;
}

/** A stored attribute map as an object ({} for anything else). */
export function parseStoredObject(text: string | null): Record<string, unknown> {
  if (!text || text === '{}') return {};
  const v = parseStoredJson(text, 1);
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A stored list (events, links) as an array ([] for anything else). */
export function parseStoredArray(text: string | null, containerDepth: number): Record<string, unknown>[] {
  if (!text) return [];
  const v = parseStoredJson(text, containerDepth);
  return Array.isArray(v) ? (v.filter((x) => x !== null && typeof x === 'object') as Record<string, unknown>[]) : [];
}
