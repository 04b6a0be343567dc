/** OTLP JSON export requests with synthetic traces, for tests that need many known spans. */

export interface SyntheticTraceOptions {
  service?: string;
  /** Attributes per span (string values). */
  attributesPerSpan?: number;
  /** Start time of the trace, ns since the epoch. */
  startTimeUnixNano?: bigint;
}

/** One trace: span 1 is the root, the others its children. */
export function syntheticTraceRequest(traceId: string, spanCount: number, options: SyntheticTraceOptions = {}): string {
  const start = options.startTimeUnixNano ?? 1_700_000_000_000_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: options.service ?? 'synthetic' } }] },
        scopeSpans: [
          {
            spans: Array.from({ length: spanCount }, (_, i) => ({
              traceId,
              spanId: (i + 1).toString(16).padStart(16, '0'),
              ...(i > 0 ? { parentSpanId: '0000000000000001' } : {}),
              name: i === 0 ? 'root' : `child-${i}`,
              startTimeUnixNano: String(start + BigInt(i)),
              endTimeUnixNano: String(start + 500_000n + BigInt(i)),
              attributes: Array.from({ length: options.attributesPerSpan ?? 1 }, (_, k) => ({
                key: `attr.${k}`,
                value: { stringValue: `${traceId.slice(-6)}-${i}-${k}` },
              })),
            })),
          },
        ],
      },
    ],
  });
}
