/**
 * Remote query sources: the team's Jaeger (api/v3, which answers in OTLP, and the older
 * api/traces), Grafana Tempo and Zipkin v2. Search there, fetch chosen traces, and turn
 * them into OTLP JSON for the local store. Failures say what happened in words: the server
 * cannot be reached, refused the credentials, did not answer in time, or answered oddly.
 * Nothing is contacted unless the user configures a source.
 */
import { REMOTE_KINDS, type RemoteKind, type RemoteTraceInfo } from '../../../shared/model/telemetry.js';

export { REMOTE_KINDS, type RemoteKind };

export interface RemoteSource {
  kind: RemoteKind;
  /** Base address, e.g. http://jaeger:16686 or http://tempo:3200. */
  url: string;
  token?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  timeoutMs?: number | undefined;
}

export interface RemoteSearch {
  service?: string | undefined;
  limit: number;
  /** How far back to look, in ms (default one hour). */
  lookbackMs?: number | undefined;
}

export class RemoteError extends Error {
  override name = 'RemoteError';
}

type J = Record<string, unknown>;

async function getJson(source: RemoteSource, pathAndQuery: string): Promise<unknown> {
  const url = new URL(pathAndQuery, source.url.endsWith('/') ? source.url : source.url + '/');
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (source.token) headers['Authorization'] = `Bearer ${source.token}`;
  else if (source.username) headers['Authorization'] = `Basic ${Buffer.from(`${source.username}:${source.password ?? ''}`).toString('base64')}`;
  const timeoutMs = source.timeoutMs ?? 15_000;
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    if (err.name === 'TimeoutError') throw new RemoteError(`no answer from ${url.origin} within ${timeoutMs / 1000} s`);
    const code = err.cause?.code;
    throw new RemoteError(
      `cannot reach ${url.origin}${code ? ` (${code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'unknown host' : code})` : ''}`,
    );
  }
  const text = await res.text();
  if (res.status === 401 || res.status === 403) throw new RemoteError(`${url.origin} refused the credentials (HTTP ${res.status})`);
  if (res.status === 404)
    throw new RemoteError(`${url.pathname} not found on ${url.origin} (HTTP 404): is this a ${source.kind} server, and the right base address?`);
  if (!res.ok) throw new RemoteError(`HTTP ${res.status} from ${url.origin}${url.pathname}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new RemoteError(`${url.origin}${url.pathname} did not answer with JSON: ${text.slice(0, 120)}`);
  }
}

const pad32 = (id: string): string => id.toLowerCase().padStart(32, '0');
const asArray = (v: unknown): J[] => (Array.isArray(v) ? (v as J[]) : []);

/** Jaeger api/v3 streams `{"result": TracesData}` chunks; several may be concatenated. */
function v3Result(body: unknown): J[] {
  const chunks = Array.isArray(body) ? body : [body];
  return chunks.flatMap((c) => asArray(((c as J)['result'] as J | undefined)?.['resourceSpans']));
}

function summariesFromResourceSpans(resourceSpans: J[]): RemoteTraceInfo[] {
  const byTrace = new Map<string, RemoteTraceInfo & { start: number; end: number }>();
  for (const rs of resourceSpans) {
    const service = asArray((rs['resource'] as J | undefined)?.['attributes']).find((a) => a['key'] === 'service.name');
    const serviceName = ((service?.['value'] as J | undefined)?.['stringValue'] as string | undefined) ?? undefined;
    for (const ss of asArray(rs['scopeSpans'])) {
      for (const s of asArray(ss['spans'])) {
        const id = pad32(String(s['traceId'] ?? ''));
        const start = Number(BigInt(String(s['startTimeUnixNano'] ?? '0')) / 1000n) / 1000;
        const end = Number(BigInt(String(s['endTimeUnixNano'] ?? '0')) / 1000n) / 1000;
        const t = byTrace.get(id) ?? { traceId: id, start, end, spanCount: 0 };
        t.spanCount = (t.spanCount ?? 0) + 1;
        t.start = Math.min(t.start, start);
        t.end = Math.max(t.end, end);
        if (!s['parentSpanId']) Object.assign(t, { rootServiceName: serviceName, rootSpanName: String(s['name'] ?? '') });
        byTrace.set(id, t);
      }
    }
  }
  return [...byTrace.values()].map(({ start, end, ...t }) => ({ ...t, startTimeMs: start, durationMs: end - start }));
}

export async function searchRemote(source: RemoteSource, q: RemoteSearch): Promise<RemoteTraceInfo[]> {
  const lookback = q.lookbackMs ?? 3_600_000;
  const now = Date.now();
  switch (source.kind) {
    case 'jaeger-v3': {
      if (!q.service) throw new RemoteError('Jaeger api/v3 needs a service to search (--service)');
      const p = new URLSearchParams({
        'query.service_name': q.service,
        'query.start_time_min': new Date(now - lookback).toISOString(),
        'query.start_time_max': new Date(now).toISOString(),
        'query.num_traces': String(q.limit),
      });
      return summariesFromResourceSpans(v3Result(await getJson(source, `api/v3/traces?${p}`))).slice(0, q.limit);
    }
    case 'jaeger': {
      if (!q.service) throw new RemoteError('Jaeger api/traces needs a service to search (--service)');
      const p = new URLSearchParams({
        service: q.service,
        limit: String(q.limit),
        lookback: `${Math.round(lookback / 1000)}s`,
        start: String((now - lookback) * 1000),
        end: String(now * 1000),
      });
      const body = (await getJson(source, `api/traces?${p}`)) as J;
      return asArray(body['data']).map((t) => {
        const spans = asArray(t['spans']);
        const processes = (t['processes'] ?? {}) as Record<string, J>;
        const root = spans.find((s) => asArray(s['references']).length === 0) ?? spans[0];
        const start = Math.min(...spans.map((s) => Number(s['startTime']) / 1000));
        const end = Math.max(...spans.map((s) => (Number(s['startTime']) + Number(s['duration'])) / 1000));
        return {
          traceId: pad32(String(t['traceID'])),
          rootServiceName: root ? (processes[String(root['processID'])]?.['serviceName'] as string | undefined) : undefined,
          rootSpanName: root ? String(root['operationName']) : undefined,
          startTimeMs: start,
          durationMs: end - start,
          spanCount: spans.length,
        };
      });
    }
    case 'tempo': {
      const p = new URLSearchParams({ limit: String(q.limit), start: String(Math.floor((now - lookback) / 1000)), end: String(Math.ceil(now / 1000)) });
      if (q.service) p.set('tags', `service.name=${q.service}`);
      const body = (await getJson(source, `api/search?${p}`)) as J;
      return asArray(body['traces']).map((t) => ({
        traceId: pad32(String(t['traceID'])),
        rootServiceName: t['rootServiceName'] as string | undefined,
        rootSpanName: t['rootTraceName'] as string | undefined,
        startTimeMs: t['startTimeUnixNano'] ? Number(BigInt(String(t['startTimeUnixNano'])) / 1_000_000n) : undefined,
        durationMs: typeof t['durationMs'] === 'number' ? t['durationMs'] : undefined,
      }));
    }
    case 'zipkin': {
      const p = new URLSearchParams({ limit: String(q.limit), endTs: String(now), lookback: String(lookback) });
      if (q.service) p.set('serviceName', q.service);
      const body = await getJson(source, `api/v2/traces?${p}`);
      return (Array.isArray(body) ? (body as J[][]) : []).map((spans) => {
        const root = spans.find((s) => !s['parentId']) ?? spans[0];
        const start = Math.min(...spans.map((s) => Number(s['timestamp'] ?? Infinity) / 1000));
        const end = Math.max(...spans.map((s) => (Number(s['timestamp'] ?? 0) + Number(s['duration'] ?? 0)) / 1000));
        return {
          traceId: pad32(String(root?.['traceId'] ?? '')),
          rootServiceName: ((root?.['localEndpoint'] as J | undefined)?.['serviceName'] as string | undefined) ?? undefined,
          rootSpanName: root ? String(root['name'] ?? '') : undefined,
          startTimeMs: Number.isFinite(start) ? start : undefined,
          durationMs: Number.isFinite(start) ? end - start : undefined,
          spanCount: spans.length,
        };
      });
    }
  }
}

/**
 * One trace from the source, as a JSON value the archive importers understand (OTLP JSON,
 * Jaeger JSON or Zipkin JSON).
 */
export async function fetchRemoteTrace(source: RemoteSource, traceId: string): Promise<unknown> {
  const id = traceId.toLowerCase();
  switch (source.kind) {
    case 'jaeger-v3':
      return { resourceSpans: v3Result(await getJson(source, `api/v3/traces/${id}`)) };
    case 'jaeger':
      return getJson(source, `api/traces/${id}`);
    case 'tempo': {
      const body = (await getJson(source, `api/traces/${id}`)) as J;
      // Tempo answers {"batches": [ResourceSpans]}; older versions say instrumentationLibrarySpans.
      const batches = asArray(body['batches'] ?? (body['trace'] as J | undefined)?.['resourceSpans']).map((b) =>
        b['scopeSpans']
          ? b
          : { ...b, scopeSpans: asArray(b['instrumentationLibrarySpans']).map((l) => ({ scope: l['instrumentationLibrary'], spans: l['spans'] })) },
      );
      return { resourceSpans: batches };
    }
    case 'zipkin':
      return getJson(source, `api/v2/trace/${id}`);
  }
}
