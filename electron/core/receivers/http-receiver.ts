/**
 * OTLP/HTTP receiver (POST /v1/traces, /v1/metrics, /v1/logs), answering as the OTLP
 * specification says: the Export…ServiceResponse in the request's encoding (with
 * partial_success when some items were invalid), 400 with a Status for undecodable payloads,
 * 413 over the body limit (compressed or decompressed), 415 for other content types or
 * encodings, 503 with Retry-After while the write queue is full, 401 without the token when
 * one is required. A 200 is sent only after the data is committed.
 */
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Signal } from '../otlp/model.js';
import {
  exportResponseJson,
  exportResponseProto,
  GRPC_INVALID_ARGUMENT,
  GRPC_PERMISSION_DENIED,
  GRPC_UNAUTHENTICATED,
  GRPC_UNAVAILABLE,
  statusJson,
  statusProto,
} from '../otlp/responses.js';
import { BodyError, decodeContentEncoding, dropRest, ReadBudget, readBody } from './read-body.js';
import { BULK_LANE_BYTES, type IngestQueue, QueueFullError } from '../ingest/ingest-queue.js';
import type { Encoding } from '../ingest/messages.js';
import { guardListener, hostHeader, requestPath } from '../util/request-guard.js';

export interface HttpReceiverOptions {
  maxBodyBytes: number;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string | undefined;
  retryAfterSeconds?: number;
  /**
   * The Host header values accepted, or null for any. A receiver bound to loopback accepts
   * only its own loopback names, so a DNS-rebinding web page cannot post to it.
   */
  allowedHosts?: (() => Set<string> | null) | undefined;
}

const PATHS: Record<string, Signal> = { '/v1/traces': 'traces', '/v1/metrics': 'metrics', '/v1/logs': 'logs' };

function contentEncoding(contentType: string | undefined): Encoding | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return null;
}

/** `Authorization: Bearer <token>`, the scheme in any case (RFC 7235), compared in constant time. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const expected = Buffer.from(token);
  const got = Buffer.from(m?.[1] ?? '');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export function createOtlpHttpHandler(queue: IngestQueue, options: HttpReceiverOptions): http.RequestListener {
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  // Bodies being read at once: at most four of the largest allowed (and never under 64 MiB).
  const budget = new ReadBudget(Math.max(64 * 1048576, 4 * options.maxBodyBytes));
  return guardListener('OTLP/HTTP receiver', (req, res) => {
    const path = requestPath(req.url) ?? '';
    const signal = PATHS[path];
    const encoding = contentEncoding(req.headers['content-type']);
    const reply = (status: number, body: Buffer | string, headers: Record<string, string> = {}): void => {
      if (res.headersSent) return;
      const type = encoding === 'protobuf' && status !== 415 ? 'application/x-protobuf' : 'application/json';
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
      res.end(body);
    };
    const fail = (status: number, grpcCode: number, message: string, headers: Record<string, string> = {}): void => {
      reply(status, encoding === 'protobuf' && status !== 415 ? statusProto(grpcCode, message) : statusJson(grpcCode, message), headers);
    };
    /** The full queue's answer, before or after the body was read: 503, retry after the backlog's drain time. */
    const queueFull = (e: QueueFullError): void =>
      fail(503, GRPC_UNAVAILABLE, `${e.message}; retry later`, { 'Retry-After': String(Math.max(Number(retryAfter), e.retryAfterSeconds)) });
    const hosts = options.allowedHosts?.() ?? null;
    if (hosts && !hosts.has(hostHeader(req))) {
      req.resume();
      return fail(
        421,
        GRPC_PERMISSION_DENIED,
        'this receiver listens on loopback and answers only to its loopback names (Host: 127.0.0.1, localhost or [::1] with its port)',
      );
    }
    if (!signal) return fail(404, 5, `no OTLP endpoint at ${path.slice(0, 200)}; use /v1/traces, /v1/metrics or /v1/logs`);
    if (req.method !== 'POST') return fail(405, GRPC_INVALID_ARGUMENT, `${req.method} is not allowed on ${path}; use POST`, { Allow: 'POST' });
    if (options.token && !tokenMatches(req.headers.authorization, options.token)) {
      req.resume();
      return fail(401, GRPC_UNAUTHENTICATED, 'missing or wrong bearer token', { 'WWW-Authenticate': 'Bearer' });
    }
    if (!encoding) {
      req.resume();
      return fail(
        415,
        GRPC_INVALID_ARGUMENT,
        `unsupported Content-Type "${req.headers['content-type'] ?? ''}"; use application/x-protobuf or application/json`,
      );
    }
    // A body the write queue would refuse is refused before it is read. Uncompressed, its declared
    // length is its size. Compressed, 99% of it less 64 bytes is a lower bound of what it decodes
    // to (deflate adds a few bytes per 64 KiB block at worst); refusal is monotone in size, so
    // that bound is refused only where the lane it decides is certain: the bulk lane.
    const declared = Number(req.headers['content-length'] ?? NaN);
    const identity = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase() === 'identity';
    const atLeast = identity ? declared : Math.floor(declared * 0.99) - 64;
    if (atLeast > 0 && (identity || atLeast > BULK_LANE_BYTES)) {
      const full = queue.refusal(atLeast);
      if (full) {
        queueFull(full);
        dropRest(req, res);
        return;
      }
    }
    readBody(req, options.maxBodyBytes, budget)
      .then((raw) => decodeContentEncoding(raw, req.headers['content-encoding'], options.maxBodyBytes))
      .then(async (body) => {
        let outcome;
        try {
          outcome = await queue.submit(signal, encoding, body);
        } catch (e) {
          if (e instanceof QueueFullError) return queueFull(e);
          throw e;
        }
        if (outcome.status === 'invalid') return fail(400, GRPC_INVALID_ARGUMENT, outcome.message);
        if (outcome.status === 'unavailable') return fail(503, GRPC_UNAVAILABLE, outcome.message, { 'Retry-After': retryAfter });
        const partial =
          outcome.rejected > 0 ? { rejected: outcome.rejected, message: `${outcome.rejected} rejected: ${outcome.rejectReasons.join('; ')}` } : null;
        reply(200, encoding === 'protobuf' ? exportResponseProto(partial) : exportResponseJson(signal, partial));
      })
      .catch((e: Error) => {
        if (e instanceof BodyError) {
          // No "Connection: close": Node would close the socket at once, unread body and all, and a
          // client still writing would get a reset instead of this answer (dropRest).
          const headers: Record<string, string> = {};
          if (e.status === 503) headers['Retry-After'] = retryAfter;
          fail(e.status, e.status === 503 ? GRPC_UNAVAILABLE : GRPC_INVALID_ARGUMENT, e.message, headers);
          if (e.status === 413 || e.status === 503) dropRest(req, res);
        } else fail(500, 13, `internal error: ${e.message}`);
      });
  });
}
