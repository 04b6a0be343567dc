/**
 * Zipkin v2 JSON (an array of spans, or a single span object) → an OTLP JSON export request.
 *
 * Zipkin's quirks: a client and a server half of one RPC share a span ID (the server half is
 * marked `shared`); here the server half gets its own ID, derived from the shared one, with the
 * client half as its parent, and the server's own children are re-parented onto it. Spans
 * with no timestamp take their first annotation's, else their parent's, else the trace's
 * earliest; a missing duration is 0. The `error` tag becomes an ERROR status.
 */
import { createHash } from 'node:crypto';

type Z = Record<string, unknown>;

const KINDS: Record<string, number> = { CLIENT: 3, SERVER: 2, PRODUCER: 4, CONSUMER: 5 };

const pad = (v: unknown, n: number): string => (typeof v === 'string' ? v.toLowerCase().padStart(n, '0') : '');
const serviceOf = (s: Z): string => String(((s['localEndpoint'] as Z | undefined)?.['serviceName'] as string | undefined) ?? 'unknown_service');

function serverHalfId(traceId: string, spanId: string): string {
  return createHash('sha256').update(`${traceId}/${spanId}/server`).digest('hex').slice(0, 16);
}

export function isZipkin(v: unknown): boolean {
  const first = Array.isArray(v) ? v[0] : v;
  return (
    typeof first === 'object' &&
    first !== null &&
    !Array.isArray(first) &&
    typeof (first as Z)['traceId'] === 'string' &&
    typeof (first as Z)['id'] === 'string'
  );
}

export function zipkinToOtlp(v: unknown): { resourceSpans: Z[] } {
  const spans = (Array.isArray(v) ? v : [v]).filter((s): s is Z => typeof s === 'object' && s !== null);
  // Which IDs are shared between a client and a server half, and the server side's service.
  const sharedServer = new Map<string, string>();
  for (const s of spans) {
    const id = `${pad(s['traceId'], 32)}/${pad(s['id'], 16)}`;
    if (
      s['kind'] === 'SERVER' &&
      (s['shared'] === true || spans.some((o) => o !== s && o['kind'] === 'CLIENT' && `${pad(o['traceId'], 32)}/${pad(o['id'], 16)}` === id))
    ) {
      sharedServer.set(id, serviceOf(s));
    }
  }
  const startUs = new Map<string, number>();
  const traceMinUs = new Map<string, number>();
  for (const s of spans) {
    const ann = Array.isArray(s['annotations']) ? (s['annotations'] as Z[]).map((a) => Number(a['timestamp'])).filter(Number.isFinite) : [];
    const ts = typeof s['timestamp'] === 'number' ? s['timestamp'] : ann.length ? Math.min(...ann) : undefined;
    const trace = pad(s['traceId'], 32);
    if (ts !== undefined) {
      startUs.set(`${trace}/${pad(s['id'], 16)}/${s['kind'] ?? ''}`, ts);
      traceMinUs.set(trace, Math.min(traceMinUs.get(trace) ?? Infinity, ts));
    }
  }
  const byService = new Map<string, Z[]>();
  for (const s of spans) {
    const traceId = pad(s['traceId'], 32);
    const rawId = pad(s['id'], 16);
    const key = `${traceId}/${rawId}`;
    const service = serviceOf(s);
    const isServerHalf = s['kind'] === 'SERVER' && sharedServer.has(key);
    let spanId = rawId;
    let parentId = s['parentId'] ? pad(s['parentId'], 16) : '';
    if (isServerHalf) {
      spanId = serverHalfId(traceId, rawId);
      parentId = rawId;
    } else if (parentId && sharedServer.get(`${traceId}/${parentId}`) === service) {
      parentId = serverHalfId(traceId, parentId); // a child inside the server's process
    }
    // The parent's start: the half it now hangs under (server half, or the span itself).
    const rawParent = s['parentId'] ? pad(s['parentId'], 16) : '';
    const parentHalves = parentId !== rawParent ? ['SERVER'] : ['', 'CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER'];
    const parentStart = rawParent ? parentHalves.map((k) => startUs.get(`${traceId}/${rawParent}/${k}`)).find((v) => v !== undefined) : undefined;
    const start = startUs.get(`${key}/${s['kind'] ?? ''}`) ?? parentStart ?? traceMinUs.get(traceId) ?? 0;
    const duration = typeof s['duration'] === 'number' ? s['duration'] : 0;
    const tags = (typeof s['tags'] === 'object' && s['tags'] !== null ? s['tags'] : {}) as Record<string, unknown>;
    const remote = s['remoteEndpoint'] as Z | undefined;
    const attributes = Object.entries(tags)
      .filter(([k]) => k !== 'error')
      .map(([k, val]): { key: string; value: Record<string, string> } => ({ key: k, value: { stringValue: String(val) } }));
    if (remote?.['serviceName']) attributes.push({ key: 'peer.service', value: { stringValue: String(remote['serviceName']) } });
    if (remote?.['ipv4'] || remote?.['ipv6']) attributes.push({ key: 'net.peer.ip', value: { stringValue: String(remote['ipv4'] ?? remote['ipv6']) } });
    if (typeof remote?.['port'] === 'number') attributes.push({ key: 'net.peer.port', value: { intValue: String(remote['port']) } });
    const isError = 'error' in tags;
    const otlp: Z = {
      traceId,
      spanId,
      ...(parentId ? { parentSpanId: parentId } : {}),
      name: String(s['name'] ?? ''),
      kind: KINDS[String(s['kind'])] ?? 0,
      startTimeUnixNano: String(BigInt(Math.round(start)) * 1000n),
      endTimeUnixNano: String(BigInt(Math.round(start + duration)) * 1000n),
      attributes,
      events: (Array.isArray(s['annotations']) ? (s['annotations'] as Z[]) : []).map((a) => ({
        timeUnixNano: String(BigInt(Math.round(Number(a['timestamp']) || 0)) * 1000n),
        name: String(a['value'] ?? ''),
      })),
      status: isError ? { code: 2, message: String(tags['error'] ?? '') } : { code: 0 },
    };
    const list = byService.get(service) ?? [];
    list.push(otlp);
    byService.set(service, list);
  }
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: 'zipkin-import' }, spans: list }],
    })),
  };
}
