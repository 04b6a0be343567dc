/** The log records of one span, in its detail panel (connected: fetches them). */
import { useQuery } from '../app/use-query.js';
import { useApi } from '../app/ApiContext.js';
import { href } from '../app/router.js';
import { formatDurationMs } from '../app/format.js';
import type { LogRecordView } from '../../../shared/model/telemetry.js';
import { severityClass } from './severity.js';

export function SpanLogs({ traceId, spanId, spanStartMs }: { traceId: string; spanId: string; spanStartMs: number }) {
  const api = useApi();
  const q = useQuery(`${traceId}/${spanId}`, () => api.searchLogs({ traceId, spanId, limit: 100 }), { live: true });
  const logs: LogRecordView[] | null = q.stale ? (q.error ? [] : null) : q.data;
  if (logs === null) return <p className="hint">Loading logs…</p>;
  return (
    <>
      {logs.length === 0 ? (
        <p className="hint" data-testid="span-detail-logs-empty">
          No log records for this span.
        </p>
      ) : (
        <ul className="event-list" data-testid="span-detail-logs-list">
          {[...logs].reverse().map((l, i) => (
            <li key={i} data-testid="span-detail-log-item">
              <span className="mono">+{formatDurationMs(l.timeMs - spanStartMs)}</span>{' '}
              <span className={`severity ${severityClass(l.severityNumber)}`}>{l.severityText || l.severityNumber}</span> {l.body}
            </li>
          ))}
        </ul>
      )}
      <a href={href(`/logs?trace=${traceId}`)} data-testid="span-detail-trace-logs-link">
        All logs of this trace
      </a>
    </>
  );
}
