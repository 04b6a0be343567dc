/**
 * A GenAI group's series on one time axis: request rate, latency and time to first token,
 * generation speed, the share of answers cut at the token limit, evaluation scores and the
 * documents retrieved. A chart whose series has no value at all is left out (embeddings have
 * no finish reasons, a model without evaluations no scores).
 */
import type { GenAiGroup } from '../../../shared/model/genai.js';
import { versionColor } from '../models/chart-geometry.js';
import { formatDocuments, formatMs, formatPerMinute, formatScore, formatShare, formatTokensPerSecond } from './genai-format.js';
import { SeriesChart, type SeriesLine } from './SeriesChart.js';
import type { SeriesAxis } from './series-geometry.js';

interface Props {
  group: GenAiGroup;
  axis: SeriesAxis;
  hoverMs: number | null;
  onHover: (ms: number | null) => void;
}

const hasValues = (lines: SeriesLine[]): boolean => lines.some((l) => l.values.some((v) => v !== null));

export function GenAiCharts({ group, axis, hoverMs, onHover }: Props) {
  const s = group.series;
  const perMinute = 60_000 / axis.bucketMs;
  const shared = { axis, hoverMs, onHover };
  const latency: SeriesLine[] = [{ name: 'latency p95', values: s.latencyP95Ms, color: versionColor(0) }];
  // Its own chart: a first token comes in milliseconds, a whole answer in seconds.
  const ttft: SeriesLine[] = [{ name: 'TTFT p95', values: s.timeToFirstTokenP95Ms, color: versionColor(1) }];
  const speed: SeriesLine[] = [{ name: 'output tokens/s p50', values: s.outputTokensPerSecondP50, color: versionColor(2) }];
  const truncated: SeriesLine[] = [{ name: 'truncated', values: s.truncatedShare, color: 'var(--error)' }];
  const evaluations: SeriesLine[] = s.evaluations.map((e, i) => ({ name: e.name, values: e.mean, color: versionColor(i) }));
  const documents: SeriesLine[] = [{ name: 'documents', values: s.documentsMean, color: versionColor(5) }];
  return (
    <div className="model-charts genai-charts">
      <SeriesChart
        testId="genai-rate-chart"
        title="Request rate"
        unit="calls per minute"
        lines={[{ name: 'calls/min', values: s.calls.map((n) => n * perMinute), color: versionColor(0) }]}
        bars
        format={formatPerMinute}
        {...shared}
      />
      {hasValues(latency) && <SeriesChart testId="genai-latency-chart" title="Latency" unit="p95 per bucket" lines={latency} format={formatMs} {...shared} />}
      {hasValues(ttft) && (
        <SeriesChart testId="genai-ttft-chart" title="Time to first token" unit="p95 per bucket" lines={ttft} format={formatMs} {...shared} />
      )}
      {hasValues(speed) && (
        <SeriesChart
          testId="genai-speed-chart"
          title="Generation speed"
          unit="output tokens/s, median"
          lines={speed}
          format={formatTokensPerSecond}
          {...shared}
        />
      )}
      {hasValues(truncated) && (
        <SeriesChart
          testId="genai-truncated-chart"
          title="Truncated answers"
          unit="share of answers"
          lines={truncated}
          format={formatShare}
          yMax={1}
          {...shared}
        />
      )}
      {hasValues(evaluations) && (
        <SeriesChart
          testId="genai-evaluation-chart"
          title="Evaluation scores"
          unit="mean score per bucket"
          lines={evaluations}
          format={formatScore}
          {...shared}
        />
      )}
      {hasValues(documents) && (
        <SeriesChart testId="genai-documents-chart" title="Documents" unit="mean per request" lines={documents} format={formatDocuments} {...shared} />
      )}
    </div>
  );
}
