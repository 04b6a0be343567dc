/** What a GenAI group's charts say at the time under the pointer (the shared crosshair), in one line. */
import type { GenAiGroup } from '../../../shared/model/genai.js';
import { formatPeriod, plural } from '../app/format.js';
import { formatDocuments, formatMs, formatPerMinute, formatScore, formatShare, formatTokensPerSecond } from './genai-format.js';
import { bucketAt, bucketStartMs, type SeriesAxis } from './series-geometry.js';

export function GenAiReadout({ group, axis, atMs }: { group: GenAiGroup; axis: SeriesAxis; atMs: number | null }) {
  const i = bucketAt(axis, atMs);
  if (i === null)
    return (
      <p className="chart-readout hint" data-testid="genai-readout">
        Point at a chart to read every series at that time.
      </p>
    );
  const s = group.series;
  const parts: string[] = [`${plural(s.calls[i] ?? 0, 'call')} (${formatPerMinute(((s.calls[i] ?? 0) * 60_000) / axis.bucketMs)})`];
  const add = (label: string, v: number | null | undefined, f: (x: number) => string): void => {
    if (v !== null && v !== undefined) parts.push(`${label} ${f(v)}`);
  };
  add('latency p95', s.latencyP95Ms[i], formatMs);
  add('TTFT p95', s.timeToFirstTokenP95Ms[i], formatMs);
  add('speed', s.outputTokensPerSecondP50[i], formatTokensPerSecond);
  add('truncated', s.truncatedShare[i], formatShare);
  add('documents', s.documentsMean[i], formatDocuments);
  for (const e of s.evaluations) add(e.name, e.mean[i], formatScore);
  return (
    <p className="chart-readout" data-testid="genai-readout" aria-live="polite">
      <strong>{formatPeriod(bucketStartMs(axis, i), bucketStartMs(axis, i + 1))}</strong> · {parts.join(' · ')}
    </p>
  );
}
