import type { ServerInfo } from '../../../shared/api/contract.js';

/** What a first-time user sees: how to point an instrumented service at Sightline. */
export function EmptyState({ info, onLoadDemo }: { info: ServerInfo | null; onLoadDemo: () => void }) {
  const httpPort = info?.otlpHttpPort ?? 4318;
  const grpcPort = info?.otlpGrpcPort ?? 4317;
  return (
    <section className="empty-state" data-testid="trace-list-empty-state">
      <h2>No traces yet</h2>
      <p>Point any OpenTelemetry SDK or Collector at Sightline with the standard settings:</p>
      <pre className="code">
        {`OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:${httpPort}
OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf   # or http/json

# or gRPC
OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:${grpcPort}
OTEL_EXPORTER_OTLP_PROTOCOL=grpc`}
      </pre>
      <p>Traces appear here as they arrive. Or open an archive (Open file…, or drop it here).</p>
      <p>
        New here?{' '}
        <button className="primary-button" onClick={onLoadDemo} data-testid="empty-state-demo-button">
          Load the incident demo
        </button>{' '}
        <span className="hint">a model whose predictions drifted because its feature store slowed down: drift, cause and evidence in a minute.</span>
      </p>
    </section>
  );
}
