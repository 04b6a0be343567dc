/**
 * Jaeger JSON (the UI's and query API's download, `{"data":[trace…]}` with `processes`, or a
 * bare trace object) → an OTLP JSON export request, following the OpenTelemetry Jaeger
 * translation: span.kind / otel.status_code / error tags become kind and status, the first
 * CHILD_OF reference the parent and the others links, logs become events, processes resources.
 */
type J = Record<string, unknown>;

const KINDS: Record<string, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

function hexId(v: unknown, chars: number): string {
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  return s.length > 0 && s.length < chars ? s.padStart(chars, '0') : s;
}

function tagValue(t: J): Record<string, unknown> {
  const v = t['value'];
  switch (String(t['type'] ?? 'string').toLowerCase()) {
    case 'bool':
      return { boolValue: v === true || v === 'true' };
    case 'int64':
      return { intValue: String(v) };
    case 'float64':
      return { doubleValue: Number(v) };
    case 'binary':
      return { bytesValue: String(v) };
    default:
      return { stringValue: String(v ?? '') };
  }
}

function toAttributes(tags: unknown): { key: string; value: Record<string, unknown> }[] {
  return Array.isArray(tags) ? (tags as J[]).map((t) => ({ key: String(t['key']), value: tagValue(t) })) : [];
}

const micros = (v: unknown): bigint => (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? BigInt(Math.round(Number(v))) * 1000n : 0n);

function convertSpan(s: J): J {
  const traceId = hexId(s['traceID'], 32);
  const tags = Array.isArray(s['tags']) ? (s['tags'] as J[]) : [];
  let kind = 0;
  let statusCode = 0;
  let statusMessage = '';
  const kept: J[] = [];
  for (const t of tags) {
    const key = String(t['key']);
    if (key === 'span.kind') kind = KINDS[String(t['value']).toLowerCase()] ?? 0;
    else if (key === 'otel.status_code') statusCode = String(t['value']).toUpperCase() === 'ERROR' ? 2 : String(t['value']).toUpperCase() === 'OK' ? 1 : 0;
    else if (key === 'otel.status_description') statusMessage = String(t['value']);
    else if (key === 'error' && (t['value'] === true || t['value'] === 'true')) statusCode = statusCode || 2;
    else kept.push(t);
  }
  const refs = Array.isArray(s['references']) ? (s['references'] as J[]) : [];
  const parentRef =
    refs.find((r) => r['refType'] === 'CHILD_OF' && hexId(r['traceID'], 32) === traceId) ?? refs.find((r) => hexId(r['traceID'], 32) === traceId);
  const start = micros(s['startTime']);
  return {
    traceId,
    spanId: hexId(s['spanID'], 16),
    ...(parentRef ? { parentSpanId: hexId(parentRef['spanID'], 16) } : {}),
    name: String(s['operationName'] ?? ''),
    kind,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + micros(s['duration'])),
    attributes: toAttributes(kept),
    events: (Array.isArray(s['logs']) ? (s['logs'] as J[]) : []).map((l) => {
      const fields = Array.isArray(l['fields']) ? (l['fields'] as J[]) : [];
      const nameField = fields.find((f) => f['key'] === 'event' || f['key'] === 'message');
      return {
        timeUnixNano: String(micros(l['timestamp'])),
        name: nameField ? String(nameField['value']) : 'log',
        attributes: toAttributes(fields.filter((f) => f !== nameField)),
      };
    }),
    links: refs
      .filter((r) => r !== parentRef)
      .map((r) => ({
        traceId: hexId(r['traceID'], 32),
        spanId: hexId(r['spanID'], 16),
        attributes: [{ key: 'jaeger.ref_type', value: { stringValue: String(r['refType']) } }],
      })),
    status: { code: statusCode, ...(statusMessage ? { message: statusMessage } : {}) },
  };
}

/** One Jaeger trace object → resourceSpans (one per process). */
function traceToResourceSpans(trace: J): J[] {
  const processes = (trace['processes'] ?? {}) as Record<string, J>;
  const byProcess = new Map<string, J[]>();
  for (const s of (Array.isArray(trace['spans']) ? trace['spans'] : []) as J[]) {
    const key = String(s['processID'] ?? '');
    if (!processes[key] && s['process']) processes[key] = s['process'] as J;
    const list = byProcess.get(key) ?? [];
    list.push(convertSpan(s));
    byProcess.set(key, list);
  }
  return [...byProcess].map(([pid, spans]) => {
    const p = processes[pid] ?? {};
    return {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: String(p['serviceName'] ?? 'unknown_service') } }, ...toAttributes(p['tags'])] },
      scopeSpans: [{ scope: { name: 'jaeger-import' }, spans }],
    };
  });
}

export function isJaeger(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as J;
  if (Array.isArray(o['data'])) return (o['data'] as unknown[]).every((t) => typeof t === 'object' && t !== null && 'spans' in t);
  return typeof o['traceID'] === 'string' && Array.isArray(o['spans']);
}

export function jaegerToOtlp(v: unknown): { resourceSpans: J[] } {
  const o = v as J;
  const traces = Array.isArray(o['data']) ? (o['data'] as J[]) : [o];
  return { resourceSpans: traces.flatMap(traceToResourceSpans) };
}
