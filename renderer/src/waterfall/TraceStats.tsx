/** The trace's statistics per operation, biggest self time first. */
import { useMemo } from 'react';
import type { SpanView } from '../../../shared/model/telemetry.js';
import { formatDurationMs } from '../app/format.js';
import { operationStats } from './trace-stats.js';

export function TraceStats({ spans }: { spans: SpanView[] }) {
  const stats = useMemo(() => operationStats(spans), [spans]);
  return (
    <table className="trace-table compact" data-testid="trace-stats-table">
      <thead>
        <tr>
          <th>Service</th>
          <th>Operation</th>
          <th className="num">Count</th>
          <th className="num">Total</th>
          <th className="num">Self</th>
          <th className="num">p50</th>
          <th className="num">p95</th>
          <th className="num">p99</th>
        </tr>
      </thead>
      <tbody>
        {stats.map((s) => (
          <tr key={`${s.service}/${s.name}`} data-testid="trace-stats-row">
            <td>{s.service}</td>
            <td>{s.name}</td>
            <td className="num mono">{s.count}</td>
            <td className="num mono">{formatDurationMs(s.totalMs)}</td>
            <td className="num mono">{formatDurationMs(s.selfMs)}</td>
            <td className="num mono">{formatDurationMs(s.p50Ms)}</td>
            <td className="num mono">{formatDurationMs(s.p95Ms)}</td>
            <td className="num mono">{formatDurationMs(s.p99Ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
