/**
 * What the charts of a model's timeline say at the time under the pointer (the shared
 * crosshair): the window, its predictions, score, accuracy, versions and what drifted.
 */
import type { ModelTimeline } from '../../../shared/model/analysis.js';
import { formatCount, formatPeriod } from '../app/format.js';
import { headlineLabel } from './ModelCharts.js';

const num = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3));

export function TimelineReadout({ timeline, atMs }: { timeline: ModelTimeline; atMs: number | null }) {
  const w = atMs === null ? undefined : timeline.windows.find((x) => atMs >= x.startMs && atMs < x.endMs);
  if (!w)
    return (
      <p className="chart-readout hint" data-testid="models-readout">
        Point at a chart to read its values; drag across the score chart to compare a period with the baseline.
      </p>
    );
  const drifted = Object.entries(w.driftRatio)
    .filter(([, r]) => r >= 1)
    .sort((a, b) => b[1] - a[1]);
  const versions = timeline.versions
    .map((v, i) => [v.version, w.versionCounts[i] ?? 0] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${v} ${Math.round((n / Math.max(1, w.count)) * 100)}%`);
  const inBaseline = w.startMs >= timeline.baseline.startMs && w.endMs <= timeline.baseline.endMs;
  return (
    <p className="chart-readout" data-testid="models-readout" aria-live="polite">
      <strong>{formatPeriod(w.startMs, w.endMs)}</strong> · {formatCount(w.count)} predictions
      {w.scoreQuantiles && (
        <>
          {' '}
          · {headlineLabel(timeline.headline).toLowerCase()} median {num(w.scoreQuantiles[1])} (p10 {num(w.scoreQuantiles[0])}, p90 {num(w.scoreQuantiles[2])})
        </>
      )}
      {w.accuracy !== null && <> · accuracy {(w.accuracy * 100).toFixed(1)}%</>}
      {versions.length > 0 && <> · {versions.join(', ')}</>}
      {inBaseline ? (
        <> · baseline</>
      ) : drifted.length > 0 ? (
        <span className="error-text">
          {' '}
          · drifted:{' '}
          {drifted
            .slice(0, 4)
            .map(([s, r]) => `${s} ${r.toFixed(1)}× threshold`)
            .join(', ')}
        </span>
      ) : (
        <> · no drift</>
      )}
    </p>
  );
}
