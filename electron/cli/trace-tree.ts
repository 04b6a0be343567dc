/**
 * `sightline trace ID` for a person (without --json): the trace as a tree, each span under its
 * parent and siblings in start order, with its offset from the trace's start, its duration,
 * its service and name, and errors marked. A span whose parent is not in the trace (not arrived
 * yet, or cut off) starts a tree of its own, so every span is shown exactly once.
 */
import type { OtlpJsonSpan, OtlpJsonTraces } from '../../shared/model/otlp-json.js';

interface SpanNode {
  span: OtlpJsonSpan;
  service: string;
  startNs: bigint;
  endNs: bigint;
  children: SpanNode[];
}

const STATUS_ERROR = 2;

/** Nanoseconds as milliseconds with the unit; one precision per trace keeps the columns aligned. */
export function formatMs(ns: bigint, decimals: number): string {
  return `${(Number(ns) / 1e6).toFixed(decimals)} ms`;
}

/** Finer for short traces: microseconds under 10 ms, tenths of a millisecond from a second. */
const decimalsFor = (totalNs: bigint): number => (totalNs < 10_000_000n ? 3 : totalNs < 1_000_000_000n ? 2 : 1);

function nodesOf(trace: OtlpJsonTraces): SpanNode[] {
  const nodes: SpanNode[] = [];
  for (const rs of trace.resourceSpans) {
    const attr = rs.resource.attributes.find((a) => a.key === 'service.name')?.value;
    const service = attr && 'stringValue' in attr ? attr.stringValue : '?';
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans) {
        const startNs = BigInt(span.startTimeUnixNano);
        const endNs = BigInt(span.endTimeUnixNano);
        nodes.push({ span, service, startNs, endNs: endNs < startNs ? startNs : endNs, children: [] });
      }
  }
  return nodes;
}

const byStart = (a: SpanNode, b: SpanNode): number => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : a.span.name.localeCompare(b.span.name));

export function traceTree(trace: OtlpJsonTraces): string {
  const nodes = nodesOf(trace);
  if (nodes.length === 0) return 'the trace has no spans\n';
  const byId = new Map(nodes.map((n) => [n.span.spanId, n]));
  const roots: SpanNode[] = [];
  for (const n of nodes) {
    const parent = n.span.parentSpanId ? byId.get(n.span.parentSpanId) : undefined;
    (parent && parent !== n ? parent.children : roots).push(n);
  }
  const t0 = nodes.reduce((t, n) => (n.startNs < t ? n.startNs : t), nodes[0]!.startNs);
  const tEnd = nodes.reduce((t, n) => (n.endNs > t ? n.endNs : t), nodes[0]!.endNs);
  const decimals = decimalsFor(tEnd - t0);
  const rows: { offset: string; duration: string; text: string }[] = [];
  const seen = new Set<SpanNode>();
  // Depth first with an explicit stack: a trace can be deeper than the call stack.
  const walk = (top: SpanNode): void => {
    const stack: { n: SpanNode; lead: string; branch: string }[] = [{ n: top, lead: '', branch: '' }];
    for (let item = stack.pop(); item; item = stack.pop()) {
      const { n, lead, branch } = item;
      if (seen.has(n)) continue; // a parent cycle in bad data: each span once
      seen.add(n);
      const error = n.span.status.code === STATUS_ERROR ? `  ERROR${n.span.status.message ? `: ${n.span.status.message}` : ''}` : '';
      rows.push({
        offset: `+${formatMs(n.startNs - t0, decimals)}`,
        duration: formatMs(n.endNs - n.startNs, decimals),
        text: `${lead}${branch}${n.service}: ${n.span.name}${error}`,
      });
      const under = lead + (branch === '' ? '' : branch === '└─ ' ? '   ' : '│  ');
      const children = n.children.sort(byStart);
      for (let i = children.length - 1; i >= 0; i--) stack.push({ n: children[i]!, lead: under, branch: i === children.length - 1 ? '└─ ' : '├─ ' });
    }
  };
  for (const r of roots.sort(byStart)) walk(r);
  // Spans in a parent cycle have no root above them: shown from where the cycle is entered.
  for (const n of [...nodes].sort(byStart)) walk(n);
  const services = new Set(nodes.map((n) => n.service)).size;
  const errors = nodes.filter((n) => n.span.status.code === STATUS_ERROR).length;
  const offsetWidth = rows.reduce((w, r) => Math.max(w, r.offset.length), 'offset'.length);
  const durationWidth = rows.reduce((w, r) => Math.max(w, r.duration.length), 'duration'.length);
  const header =
    `trace ${nodes[0]!.span.traceId}: ${nodes.length} span${nodes.length === 1 ? '' : 's'}, ${services} service${services === 1 ? '' : 's'}, ` +
    `${formatMs(tEnd - t0, decimals)}${errors ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''}\n`;
  const lines = [`${'offset'.padStart(offsetWidth)}  ${'duration'.padStart(durationWidth)}  service: span`];
  for (const r of rows) lines.push(`${r.offset.padStart(offsetWidth)}  ${r.duration.padStart(durationWidth)}  ${r.text}`);
  return header + lines.join('\n') + '\n';
}
