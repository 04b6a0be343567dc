/**
 * Trace search filters, shared by the contract, the core's query builder and the UI's URL
 * state. An attribute filter matches when any span of the trace satisfies it.
 */
export const ATTRIBUTE_OPS = ['eq', 'ne', 'exists', 'gt', 'ge', 'lt', 'le'] as const;
export type AttributeOp = (typeof ATTRIBUTE_OPS)[number];

export interface AttributeFilter {
  key: string;
  op: AttributeOp;
  /** Absent for 'exists'; a number compares numerically, a string exactly. */
  value?: string | number | undefined;
}

const OP_TEXT: Record<AttributeOp, string> = { eq: '=', ne: '!=', exists: '?', gt: '>', ge: '>=', lt: '<', le: '<=' };
const OPS_LONGEST_FIRST: [string, AttributeOp][] = [
  ['>=', 'ge'],
  ['<=', 'le'],
  ['!=', 'ne'],
  ['=', 'eq'],
  ['>', 'gt'],
  ['<', 'lt'],
];
/** Characters that end a bare key or need quotes in one. */
const KEY_STOP = /[\s=!<>?",]/;

/** Reads a "quoted" text with \" and \\ escapes starting at text[i]; returns it and the index after it. */
function readQuoted(text: string, i: number): [string, number] {
  let out = '';
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j]!;
    if (c === '\\' && j + 1 < text.length) out += text[++j]!;
    else if (c === '"') return [out, j + 1];
    else out += c;
  }
  throw new Error(`a quote opened at ${i + 1} is not closed`);
}

const skipSpaces = (text: string, i: number): number => {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
};

/**
 * Parses "http.status_code>=500, tenant=acme, gpu.id?" into filters; throws with the bad part.
 * Keys and values may be quoted ("a key"="a, value"), with \" and \\ inside quotes; a quoted
 * value is always text, a bare one that reads as a number is a number.
 */
export function parseAttributeFilters(text: string): AttributeFilter[] {
  const out: AttributeFilter[] = [];
  let i = skipSpaces(text, 0);
  while (i < text.length) {
    const partStart = i;
    const bad = (why: string): Error => {
      const end = text.indexOf(',', partStart);
      return new Error(`cannot read "${text.slice(partStart, end < 0 ? undefined : end).trim()}": ${why}`);
    };
    let key: string;
    if (text[i] === '"') [key, i] = readQuoted(text, i);
    else {
      let j = i;
      while (j < text.length && !KEY_STOP.test(text[j]!)) j++;
      key = text.slice(i, j);
      i = j;
    }
    if (key === '') throw bad('a filter starts with its key');
    i = skipSpaces(text, i);
    if (text[i] === '?') {
      out.push({ key, op: 'exists' });
      i = skipSpaces(text, i + 1);
    } else {
      const found = OPS_LONGEST_FIRST.find(([t]) => text.startsWith(t, i));
      if (!found) throw bad('use key=value, key!=value, key>n, key>=n, key<n, key<=n or key?');
      const [opText, op] = found;
      i = skipSpaces(text, i + opText.length);
      let value: string | number;
      if (text[i] === '"') {
        [value, i] = readQuoted(text, i);
        i = skipSpaces(text, i);
      } else {
        const end = text.indexOf(',', i);
        const raw = text.slice(i, end < 0 ? text.length : end).trim();
        i = end < 0 ? text.length : end;
        if (raw === '') throw bad(`${opText} needs a value`);
        const num = Number(raw);
        value = Number.isFinite(num) ? num : raw;
      }
      if ((op === 'gt' || op === 'ge' || op === 'lt' || op === 'le') && typeof value !== 'number') throw bad(`${opText} needs a number`);
      out.push({ key, op, value });
    }
    if (i < text.length && text[i] !== ',') throw bad('filters are separated by commas');
    i = skipSpaces(text, i + 1);
  }
  return out;
}

const quote = (s: string): string => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

export function formatAttributeFilters(filters: AttributeFilter[]): string {
  return filters
    .map((f) => {
      const key = f.key === '' || KEY_STOP.test(f.key) ? quote(f.key) : f.key;
      if (f.op === 'exists') return `${key}?`;
      const v = f.value ?? '';
      // Text that would read back differently (a number, spaces at the ends, a comma or quote) is quoted.
      const value = typeof v === 'number' ? String(v) : v === '' || v.trim() !== v || /[,"\\]/.test(v) || Number.isFinite(Number(v)) ? quote(v) : v;
      return `${key}${OP_TEXT[f.op]}${value}`;
    })
    .join(', ');
}
