/**
 * A model's timeline on one time axis: score distribution (p10–p90 band and median) with
 * the baseline and drifted windows marked and a brush to select any period, served volume
 * per version, and ground-truth accuracy when labels arrived.
 */
import { useEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import { formatCount } from '../app/format.js';
import { area, brushX, line, scaleLinear, select } from 'd3';
import type { Finding, ModelTimeline } from '../../../shared/model/analysis.js';
import { useLatest } from '../app/use-latest.js';
import { CHART_WIDTH, formatClock, LABEL_WIDTH, PLOT_RIGHT, pointerTime, timeScale, timeTicks, versionColor } from './chart-geometry.js';

interface Props {
  timeline: ModelTimeline;
  findings: Finding[];
  selection: { fromMs: number; toMs: number } | null;
  onSelect: (range: { fromMs: number; toMs: number } | null) => void;
  /** The shared crosshair: the time under the pointer on any of the model's charts. */
  hoverMs: number | null;
  onHover: (ms: number | null) => void;
}

const SCORE_HEIGHT = 170;

/** "Score", or a language model's headline quality signal in words ("eval: relevance", "response tokens"). */
export function headlineLabel(signal: string): string {
  if (signal === 'score') return 'Score';
  const name = signal.replace(/^quality:/, '');
  return name.startsWith('eval.') ? `eval: ${name.slice(5)}` : name.replace(/_/g, ' ');
}
const VOLUME_HEIGHT = 70;
const QUALITY_HEIGHT = 60;

export function ModelCharts({ timeline, findings, selection, onSelect, hoverMs, onHover }: Props) {
  const x = timeScale(timeline);
  const windows = timeline.windows;
  const scored = windows.filter((w) => w.scoreQuantiles);
  // Label-only models have no score: the axis then stays 0–1 and the band is empty.
  const lo = scored.length ? Math.min(...scored.map((w) => w.scoreQuantiles![0])) : 0;
  const hi = scored.length ? Math.max(...scored.map((w) => w.scoreQuantiles![2])) : 1;
  const y = scaleLinear()
    .domain(lo >= 0 && hi <= 1 ? [0, 1] : [lo, hi])
    .range([SCORE_HEIGHT - 20, 8]);
  const mid = (w: (typeof windows)[number]): number => x((w.startMs + w.endMs) / 2);
  const band = area<(typeof windows)[number]>()
    .x(mid)
    .y0((w) => y(w.scoreQuantiles![0]))
    .y1((w) => y(w.scoreQuantiles![2]))(scored);
  const median = line<(typeof windows)[number]>()
    .x(mid)
    .y((w) => y(w.scoreQuantiles![1]))(scored);
  const confidence = line<(typeof windows)[number]>()
    .defined((w) => w.confidenceMedian !== null)
    .x(mid)
    .y((w) => y(w.confidenceMedian ?? 0))(windows);
  const hasConfidence = lo >= 0 && hi <= 1 && windows.some((w) => w.confidenceMedian !== null);
  const brushRef = useRef<SVGGElement>(null);

  const latestOnSelect = useLatest(onSelect);
  const selectedFromMs = selection?.fromMs;
  const selectedToMs = selection?.toMs;
  useEffect(() => {
    const g = brushRef.current;
    if (!g) return;
    const time = timeScale(timeline);
    const brush = brushX()
      .extent([
        [LABEL_WIDTH, 4],
        [PLOT_RIGHT, SCORE_HEIGHT - 18],
      ])
      .on('end', (event: { selection: [number, number] | null; sourceEvent?: unknown }) => {
        if (!event.sourceEvent) return; // moved by code, not by the user
        if (!event.selection) return latestOnSelect.current(null);
        latestOnSelect.current({ fromMs: time.invert(event.selection[0]), toMs: time.invert(event.selection[1]) });
      });
    const s = select(g);
    s.call(brush);
    if (selectedFromMs !== undefined && selectedToMs !== undefined) brush.move(s, [time(selectedFromMs), time(selectedToMs)]);
    return () => void s.on('.brush', null);
  }, [timeline, selectedFromMs, selectedToMs, latestOnSelect]);

  const maxCount = Math.max(1, ...windows.map((w) => w.count));
  const vy = scaleLinear()
    .domain([0, maxCount])
    .range([0, VOLUME_HEIGHT - 26]);
  const hasQuality = windows.some((w) => w.accuracy !== null);
  const qy = scaleLinear()
    .domain([0, 1])
    .range([QUALITY_HEIGHT - 14, 4]);
  const quality = line<(typeof windows)[number]>()
    .defined((w) => w.accuracy !== null)
    .x(mid)
    .y((w) => qy(w.accuracy ?? 0))(windows);
  const ticks = timeTicks(x);
  const hover = {
    onMouseMove: (e: MouseEvent<SVGSVGElement>) => onHover(pointerTime(e, x)),
    onMouseLeave: () => onHover(null),
  };
  const crosshair = (height: number): ReactNode =>
    hoverMs !== null ? <line x1={x(hoverMs)} x2={x(hoverMs)} y1={2} y2={height - 2} className="chart-crosshair" pointerEvents="none" /> : null;

  return (
    <div className="model-charts">
      <svg
        viewBox={`0 0 ${CHART_WIDTH} ${SCORE_HEIGHT}`}
        className="chart"
        data-testid="models-score-chart"
        role="img"
        aria-label={`${headlineLabel(timeline.headline)} distribution over time: the p10–p90 band and median per window, with the baseline and drifted periods marked`}
        {...hover}
      >
        <text x={8} y={20} className="chart-label">
          {headlineLabel(timeline.headline)}
        </text>
        <text x={8} y={36} className="chart-sublabel">
          p10–p90 band, median
        </text>
        <text x={8} y={50} className="chart-sublabel">
          drag to compare
        </text>
        {hasConfidence && (
          <text x={8} y={66} className="chart-sublabel chart-confidence-label">
            - - confidence median
          </text>
        )}
        <rect
          x={x(timeline.baseline.startMs)}
          y={4}
          width={Math.max(0, x(timeline.baseline.endMs) - x(timeline.baseline.startMs))}
          height={SCORE_HEIGHT - 24}
          className="chart-baseline"
        />
        <text x={x(timeline.baseline.startMs) + 4} y={16} className="chart-sublabel">
          baseline
        </text>
        {findings.map((f, i) => (
          <g key={i} data-testid="models-finding-band">
            <rect
              x={x(Date.parse(f.start))}
              y={4}
              width={Math.max(2, x(Date.parse(f.end)) - x(Date.parse(f.start)))}
              height={SCORE_HEIGHT - 24}
              className="chart-drift"
            />
            <text x={x(Date.parse(f.start)) + 4} y={16} className="chart-drift-label">
              drift
            </text>
          </g>
        ))}
        {y.ticks(4).map((t) => (
          <g key={t}>
            <line x1={LABEL_WIDTH} x2={PLOT_RIGHT} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={LABEL_WIDTH + 3} y={Math.max(y(t) - 2, 11)} className="chart-axis">
              {t}
            </text>
          </g>
        ))}
        <path d={band ?? ''} className="chart-band" />
        <path d={median ?? ''} className="chart-line" />
        {hasConfidence && <path d={confidence ?? ''} className="chart-line chart-line-confidence" data-testid="models-confidence-line" />}
        {ticks.map((t) => (
          <text key={t} x={x(t)} y={SCORE_HEIGHT - 4} className="chart-axis" textAnchor="middle">
            {formatClock(t)}
          </text>
        ))}
        {crosshair(SCORE_HEIGHT - 18)}
        <g ref={brushRef} data-testid="models-score-brush" />
      </svg>
      <svg
        viewBox={`0 0 ${CHART_WIDTH} ${VOLUME_HEIGHT}`}
        className="chart"
        data-testid="models-volume-chart"
        role="img"
        aria-label="Requests per window, stacked by version"
        {...hover}
      >
        <text x={PLOT_RIGHT} y={11} className="chart-axis" textAnchor="end">
          tallest bar: {formatCount(maxCount)} requests
        </text>
        {crosshair(VOLUME_HEIGHT)}
        <text x={8} y={18} className="chart-label">
          Requests by version
        </text>
        {timeline.versions.map((v, i) => (
          <text key={v.version} x={8 + (i % 2) * 70} y={34 + Math.floor(i / 2) * 14} className="chart-sublabel" style={{ fill: versionColor(i) }}>
            ■ {v.version}
          </text>
        ))}
        {windows.map((w, k) => {
          let top = VOLUME_HEIGHT - 12;
          const width = Math.max(1, x(w.endMs) - x(w.startMs) - 1);
          return (
            <g key={k}>
              {timeline.versions.map((v, vi) => {
                const count = w.versionCounts[vi] ?? 0;
                const h = vy(count);
                top -= h;
                return count > 0 ? (
                  <rect key={v.version} x={x(w.startMs)} y={top} width={width} height={h} fill={versionColor(vi)}>
                    <title>{`${v.version}: ${count}`}</title>
                  </rect>
                ) : null;
              })}
            </g>
          );
        })}
      </svg>
      {hasQuality && (
        <svg
          viewBox={`0 0 ${CHART_WIDTH} ${QUALITY_HEIGHT}`}
          className="chart"
          data-testid="models-quality-chart"
          role="img"
          aria-label="Accuracy from ground truth per window, 0 to 100%"
          {...hover}
        >
          <text x={8} y={18} className="chart-label">
            Accuracy
          </text>
          <text x={8} y={34} className="chart-sublabel">
            from ground truth
          </text>
          {[0, 0.5, 1].map((t) => (
            <g key={t}>
              <line x1={LABEL_WIDTH} x2={PLOT_RIGHT} y1={qy(t)} y2={qy(t)} className="chart-grid" />
              <text x={LABEL_WIDTH - 4} y={qy(t) + 3} className="chart-axis" textAnchor="end">
                {t * 100}%
              </text>
            </g>
          ))}
          <path d={quality ?? ''} className="chart-line chart-line-quality" />
          {crosshair(QUALITY_HEIGHT)}
        </svg>
      )}
    </div>
  );
}
