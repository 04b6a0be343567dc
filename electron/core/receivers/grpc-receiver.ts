/**
 * OTLP/gRPC receiver for the trace, metrics and logs services. Messages pass through
 * grpc-js as raw bytes (identity serializers) into the same decoder and queue as HTTP, so
 * both transports behave identically. grpc-js handles gzip message compression.
 */
import * as grpc from '@grpc/grpc-js';
import type { Signal } from '../otlp/model.js';
import { exportResponseProto, statusWithRetryInfo } from '../otlp/responses.js';
import { type IngestQueue, QueueFullError } from '../ingest/ingest-queue.js';
import { tokenMatches } from './http-receiver.js';

const SERVICES: [Signal, string][] = [
  ['traces', '/opentelemetry.proto.collector.trace.v1.TraceService/Export'],
  ['metrics', '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export'],
  ['logs', '/opentelemetry.proto.collector.logs.v1.LogsService/Export'],
];

const identity = (b: Buffer): Buffer => b;

export interface GrpcReceiverOptions {
  host: string;
  port: number;
  maxMessageBytes: number;
  token?: string | undefined;
  credentials?: grpc.ServerCredentials;
}

export async function startGrpcReceiver(queue: IngestQueue, options: GrpcReceiverOptions): Promise<{ port: number; close: () => Promise<void> }> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  for (const [signal, path] of SERVICES) {
    const definition: grpc.ServiceDefinition = {
      Export: {
        path,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    };
    const handler: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
      if (options.token && !tokenMatches(call.metadata.get('authorization')[0]?.toString(), options.token)) {
        callback({ code: grpc.status.UNAUTHENTICATED, details: 'missing or wrong bearer token' });
        return;
      }
      let outcome;
      try {
        outcome = queue.submit(signal, 'protobuf', call.request);
      } catch (e) {
        if (e instanceof QueueFullError) {
          // RESOURCE_EXHAUSTED with RetryInfo: the OTLP specification's throttling answer, which
          // exporters retry after the delay given (without RetryInfo they must not retry).
          const details = `${e.message}; retry later`;
          const trailer = new grpc.Metadata();
          trailer.set('grpc-status-details-bin', statusWithRetryInfo(grpc.status.RESOURCE_EXHAUSTED, details, e.retryAfterSeconds));
          callback({ code: grpc.status.RESOURCE_EXHAUSTED, details, metadata: trailer });
          return;
        }
        callback({ code: grpc.status.INTERNAL, details: (e as Error).message });
        return;
      }
      outcome.then(
        (o) => {
          if (o.status === 'invalid') callback({ code: grpc.status.INVALID_ARGUMENT, details: o.message });
          else if (o.status === 'unavailable') callback({ code: grpc.status.UNAVAILABLE, details: o.message });
          else {
            const partial = o.rejected > 0 ? { rejected: o.rejected, message: `${o.rejected} rejected: ${o.rejectReasons.join('; ')}` } : null;
            callback(null, exportResponseProto(partial));
          }
        },
        (e: Error) => callback({ code: grpc.status.INTERNAL, details: e.message }),
      );
    };
    server.addService(definition, { Export: handler as grpc.UntypedHandleCall });
  }
  const port = await new Promise<number>((resolve, reject) => {
    const address = options.host.includes(':') ? `[${options.host}]:${options.port}` : `${options.host}:${options.port}`;
    server.bindAsync(address, options.credentials ?? grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 3000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
