/**
 * Reads "stored JSON" (see otlp/stored-json.ts) back into OTLP JSON AnyValues without losing
 * types: JSON.parse cannot tell 5 from 5.0 nor keep 64-bit integers, so this small parser
 * works on the text. Used by exports (cold path), not by the UI.
 */

import { MAX_VALUE_DEPTH } from '../otlp/item-limits.js';
import { TOO_DEEP_MARKER } from './parse-stored.js';

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

type Node =
  | { t: 's'; v: string }
  | { t: 'b'; v: boolean }
  | { t: 'i'; v: string }
  | { t: 'd'; v: number }
  | { t: 'n' }
  | { t: 'a'; v: Node[] }
  | { t: 'o'; k: string[]; v: Node[] };

/** Levels the parser descends before it stands a marker in for the rest (see item-limits.ts). */
const MAX_PARSE_DEPTH = MAX_VALUE_DEPTH + 4;

class Parser {
  pos = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  parse(): Node {
    const n = this.value();
    this.ws();
    if (this.pos !== this.s.length) throw new Error(`stored JSON: trailing text at ${this.pos}`);
    return n;
  }

  private ws(): void {
    while (this.pos < this.s.length && ' \t\n\r'.includes(this.s[this.pos]!)) this.pos++;
  }

  private value(): Node {
    this.ws();
    const c = this.s[this.pos];
    if ((c === '{' || c === '[') && this.depth >= MAX_PARSE_DEPTH) {
      // Written before the ingest limit: skip the rest of this value, keep a marker.
      this.pos = skipComposite(this.s, this.pos);
      return { t: 's', v: TOO_DEEP_MARKER };
    }
    if (c === '{' || c === '[') {
      this.depth++;
      try {
        return c === '{' ? this.object() : this.array();
      } finally {
        this.depth--;
      }
    }
    if (c === '"') return { t: 's', v: this.string() };
    if (this.s.startsWith('true', this.pos)) {
      this.pos += 4;
      return { t: 'b', v: true };
    }
    if (this.s.startsWith('false', this.pos)) {
      this.pos += 5;
      return { t: 'b', v: false };
    }
    if (this.s.startsWith('null', this.pos)) {
      this.pos += 4;
      return { t: 'n' };
    }
    return this.number();
  }

  private number(): Node {
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.pos, this.pos + 40));
    if (!m) throw new Error(`stored JSON: unexpected character at ${this.pos}`);
    this.pos += m[0].length;
    return m[1] || m[2] ? { t: 'd', v: Number(m[0]) } : { t: 'i', v: m[0] };
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.s.length) {
      const c = this.s[this.pos];
      if (c === '\\') this.pos += 2;
      else if (c === '"') {
        this.pos++;
        return JSON.parse(this.s.slice(start, this.pos)) as string;
      } else this.pos++;
    }
    throw new Error('stored JSON: unterminated string');
  }

  private array(): Node {
    this.pos++;
    const v: Node[] = [];
    this.ws();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return { t: 'a', v };
    }
    for (;;) {
      v.push(this.value());
      this.ws();
      const c = this.s[this.pos++];
      if (c === ']') return { t: 'a', v };
      if (c !== ',') throw new Error(`stored JSON: expected , or ] at ${this.pos - 1}`);
    }
  }

  private object(): Node {
    this.pos++;
    const k: string[] = [];
    const v: Node[] = [];
    this.ws();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return { t: 'o', k, v };
    }
    for (;;) {
      this.ws();
      k.push(this.string());
      this.ws();
      if (this.s[this.pos++] !== ':') throw new Error(`stored JSON: expected : at ${this.pos - 1}`);
      v.push(this.value());
      this.ws();
      const c = this.s[this.pos++];
      if (c === '}') return { t: 'o', k, v };
      if (c !== ',') throw new Error(`stored JSON: expected , or } at ${this.pos - 1}`);
    }
  }
}

/** Index after the object or array starting at `i` (strings skipped), without recursion. */
function skipComposite(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === '"') {
      for (j++; j < s.length && s[j] !== '"'; j++) if (s[j] === '\\') j++;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  throw new Error('stored JSON: unterminated value');
}

function toAnyValue(n: Node): OtlpAnyValue {
  switch (n.t) {
    case 's':
      return { stringValue: n.v };
    case 'b':
      return { boolValue: n.v };
    case 'i':
      return { intValue: n.v };
    case 'd':
      return { doubleValue: n.v };
    case 'n':
      return {};
    case 'a':
      return { arrayValue: { values: n.v.map(toAnyValue) } };
    case 'o': {
      const only = n.k.length === 1 ? n.v[0] : undefined;
      if (only?.t === 's' && n.k[0] === '$bytes') return { bytesValue: only.v };
      if (only?.t === 's' && n.k[0] === '$double') return { doubleValue: only.v };
      return { kvlistValue: { values: toKeyValues(n) } };
    }
  }
}

function toKeyValues(n: Node): OtlpKeyValue[] {
  if (n.t !== 'o') return [];
  return n.k.map((key, i) => ({ key, value: toAnyValue(n.v[i]!) }));
}

/** A stored attribute map → OTLP JSON key/value list. */
export function storedToKeyValues(text: string | null): OtlpKeyValue[] {
  if (!text || text === '{}') return [];
  return toKeyValues(new Parser(text).parse());
}

/**
 * A stored event or link list → plain objects, where attribute maps become OTLP key/value
 * lists and 64-bit integers stay decimal strings.
 */
export function storedRecords(text: string | null): Record<string, string | number | OtlpKeyValue[]>[] {
  if (!text) return [];
  const root = new Parser(text).parse();
  if (root.t !== 'a') return [];
  return root.v.map((item) => {
    const out: Record<string, string | number | OtlpKeyValue[]> = {};
    if (item.t !== 'o') return out;
    item.k.forEach((key, i) => {
      const v = item.v[i]!;
      if (key === 'attributes') out[key] = toKeyValues(v);
      else if (v.t === 'i') out[key] = key.endsWith('UnixNano') ? v.v : Number(v.v);
      else if (v.t === 's') out[key] = v.v;
      else if (v.t === 'd') out[key] = v.v;
    });
    return out;
  });
}
