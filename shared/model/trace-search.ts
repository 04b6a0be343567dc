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

/** Parses "http.status_code>=500, tenant=acme, gpu.id?" into filters; throws with the bad part. */
export function parseAttributeFilters(text: string): AttributeFilter[] {
  const out: AttributeFilter[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const exists = /^([^\s=!<>?"]+)\s*\?$/.exec(part);
    if (exists) {
      out.push({ key: exists[1]!, op: 'exists' });
      continue;
    }
    const m = /^([^\s=!<>?"]+)\s*(>=|<=|!=|=|>|<)\s*(.+)$/.exec(part);
    if (!m) throw new Error(`cannot read "${part}": use key=value, key!=value, key>n, key>=n, key<n, key<=n or key?`);
    const [, key, opText, valueText] = m as unknown as [string, string, string, string];
    const op = (Object.keys(OP_TEXT) as AttributeOp[]).find((o) => OP_TEXT[o] === opText)!;
    const unquoted = valueText.replace(/^"(.*)"$/, '$1');
    const num = Number(valueText);
    const numeric = valueText.trim() !== '' && Number.isFinite(num) && !/^".*"$/.test(valueText);
    if ((op === 'gt' || op === 'ge' || op === 'lt' || op === 'le') && !numeric) throw new Error(`"${part}": ${opText} needs a number`);
    out.push({ key, op, value: numeric ? num : unquoted });
  }
  return out;
}

export function formatAttributeFilters(filters: AttributeFilter[]): string {
  return filters.map((f) => (f.op === 'exists' ? `${f.key}?` : `${f.key}${OP_TEXT[f.op]}${typeof f.value === 'string' && /^-?\d/.test(f.value) ? `"${f.value}"` : f.value}`)).join(', ');
}
