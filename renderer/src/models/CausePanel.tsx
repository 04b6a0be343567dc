/**
 * One finding, explained: what drifted, the root causes ranked by evidence with the chain from
 * each root to the drift, the mechanisms, what changed at the same time but explains nothing,
 * and for the chosen cause the drift and the factor on one time axis, the matched
 * counterfactual (drift with the hit requests, and with them replaced by requests of the same
 * minutes) and exemplar traces one click away.
 */
import { formatCount, formatTimestamp } from '../app/format.js';
import { traceLink } from '../app/links.js';
import { useState } from 'react';
import { line, scaleLinear } from 'd3';
import type { Cause, Finding, ModelTimeline } from '../../../shared/model/analysis.js';
import { href } from '../app/router.js';
import { CHART_WIDTH, formatClock, LABEL_WIDTH, PLOT_RIGHT, pointerTime, timeScale, timeTicks } from './chart-geometry.js';

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** A value with its unit, three significant digits. */
export function withUnit(x: number | null, unit: string): string {
  if (x === null) return '–';
  const v = Math.abs(x) >= 100 ? Math.round(x) : Number(x.toPrecision(3));
  return `${formatCount(v)}${unit && unit !== 'count' ? (unit === '%' || unit === '°C' ? unit : ` ${unit}`) : ''}`;
}

const BASIS_TEXT: Record<Cause['basis'], string> = { 'per-request': 'per request', 'time-matched': 'host metric, matched by time', host: 'host' };

/** "a > 35.8 ms → b → score" */
export function chainText(c: Cause): string {
  return c.chain.map((s, k) => (k === c.chain.length - 1 || s.hitRule === 'present' ? s.factor : `${s.factor} ${s.hitRule}`)).join(' → ');
}

/** The core writes ISO times into its sentences; the app shows its one format (and zone). */
function withAppTimes(text: string): string {
  return text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, (iso) => formatTimestamp(Date.parse(iso)));
}

export function CausePanel({
  finding,
  timeline,
  datasetId,
  hoverMs,
  onHover,
}: {
  finding: Finding;
  timeline: ModelTimeline;
  datasetId: number;
  hoverMs: number | null;
  onHover: (ms: number | null) => void;
}) {
  const [chosen, setChosen] = useState(0);
  const cause = finding.causes[chosen];
  return (
    <section className="cause-panel" data-testid="cause-panel">
      <p className="cause-note" data-testid="cause-panel-note">
        {withAppTimes(finding.note)}
      </p>
      <table className="trace-table compact" data-testid="cause-panel-signals">
        <thead>
          <tr>
            <th>Drifted signal</th>
            <th>Version</th>
            <th>Test</th>
            <th className="num">Statistic</th>
            <th className="num">Threshold</th>
            <th className="num">PSI</th>
          </tr>
        </thead>
        <tbody>
          {finding.signals.map((s, i) => (
            <tr key={i}>
              <td>{s.signal}</td>
              <td>{s.version ?? 'all'}</td>
              <td>{s.test}</td>
              <td className="num">{s.pValue !== null ? `p ${s.pValue.toExponential(1)}` : s.statistic.toFixed(3)}</td>
              <td className="num">{s.threshold.toFixed(3)}</td>
              <td className="num">{s.psi.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Causes</h3>
      {finding.causes.length === 0 ? (
        <p className="hint" data-testid="cause-panel-none">
          No infrastructure factor explains this drift: none was both more frequent in the drifted window and, replaced by requests of the same minutes, took
          the drift away. Look at the inputs (features) and upstream data instead.
        </p>
      ) : (
        <>
          {finding.causes[0]!.chain.length > 1 && (
            <p className="cause-chain" data-testid="cause-panel-chain">
              <span className="hint">Chain: </span>
              {finding.causes[0]!.chain.map((s, k) => (
                <span key={k} className="chain-step">
                  {k > 0 && (
                    <span className="chain-arrow" aria-hidden="true">
                      {' '}
                      →{' '}
                    </span>
                  )}
                  <span className={`mono ${s.kind === 'drift' ? 'chain-drift' : `chain-${s.kind}`}`}>{s.factor}</span>
                  {s.kind !== 'drift' && s.hitRule !== 'present' && <span className="hint"> {s.hitRule}</span>}
                </span>
              ))}
            </p>
          )}
          <table className="trace-table compact" data-testid="cause-panel-causes">
            <thead>
              <tr>
                <th>#</th>
                <th>Role</th>
                <th>Kind</th>
                <th>Factor</th>
                <th>Evidence</th>
                <th>Explains</th>
                <th className="num">Hit (window / baseline)</th>
                <th className="num">Effect h</th>
                <th className="num">p</th>
              </tr>
            </thead>
            <tbody>
              {finding.causes.map((c, i) => (
                <tr key={i} className={i === chosen ? 'selected' : ''} onClick={() => setChosen(i)} data-testid="cause-panel-row">
                  <td>{i + 1}</td>
                  <td data-testid="cause-panel-role">{c.role === 'root' ? 'cause' : 'via'}</td>
                  <td>
                    <span className={`kind-chip kind-${c.kind}`}>{c.kind}</span>
                  </td>
                  <td
                    className="mono"
                    title={
                      [...(c.equivalents ?? []).map((x) => `same requests: ${x}`), ...(c.corroboratedBy ?? []).map((x) => `corroborated by ${x}`)].join('\n') ||
                      undefined
                    }
                  >
                    {c.factor}
                  </td>
                  <td>
                    {BASIS_TEXT[c.basis]}
                    {c.explainedVia ? `, via ${c.explainedVia}` : ''}
                  </td>
                  <td>
                    <span className="share-bar">
                      <span style={{ width: pct(c.explainedShare) }} />
                    </span>{' '}
                    {pct(c.explainedShare)}
                  </td>
                  <td className="num">
                    {pct(c.evidence.hitRateWindow)} / {pct(c.evidence.hitRateBaseline)}
                  </td>
                  <td className="num">{c.effectSize.toFixed(2)}</td>
                  <td className="num">{c.pValue.toFixed(4)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {finding.coincident.length > 0 && (
        <p className="hint" data-testid="cause-panel-coincident">
          Changed at the same time, explains nothing (its hit and non-hit requests drifted alike):{' '}
          {finding.coincident
            .slice(0, 4)
            .map((c) => `${c.factor} (${pct(c.explainedShare)})`)
            .join('; ')}
        </p>
      )}
      {finding.context.length > 0 && (
        <p className="hint" data-testid="cause-panel-context">
          Also changed in the same minutes, but could not be checked request by request (it hit nearly every request then, or is a host metric matched by time):{' '}
          {finding.context
            .slice(0, 4)
            .map(
              (c) =>
                `${c.factor}${c.evidence.baselineP95 !== null ? ` (p95 ${withUnit(c.evidence.baselineP95, c.evidence.unit)} → ${withUnit(c.evidence.windowP95, c.evidence.unit)})` : ''}`,
            )
            .join('; ')}
        </p>
      )}
      {cause && <CauseEvidence cause={cause} timeline={timeline} finding={finding} datasetId={datasetId} hoverMs={hoverMs} onHover={onHover} />}
    </section>
  );
}

const EVIDENCE_HEIGHT = 130;

function CauseEvidence({
  cause,
  timeline,
  finding,
  datasetId,
  hoverMs,
  onHover,
}: {
  cause: Cause;
  timeline: ModelTimeline;
  finding: Finding;
  datasetId: number;
  hoverMs: number | null;
  onHover: (ms: number | null) => void;
}) {
  const e = cause.evidence;
  const x = timeScale(timeline);
  const primary = e.primarySignal.replace(/ \(.*\)$/, '');
  const drift = timeline.windows.map((w) => w.driftRatio[primary] ?? 0);
  const yd = scaleLinear()
    .domain([0, Math.max(1.2, ...drift)])
    .range([EVIDENCE_HEIGHT - 18, 8]);
  const yf = scaleLinear()
    .domain([0, Math.max(0.05, ...e.hitRateSeries)])
    .range([EVIDENCE_HEIGHT - 18, 8]);
  const mid = (k: number): number => x((timeline.windows[k]!.startMs + timeline.windows[k]!.endMs) / 2);
  const driftLine = line<number>()
    .x((_, k) => mid(k))
    .y((v) => yd(v))(drift);
  const factorLine = line<number>()
    .x((_, k) => mid(k))
    .y((v) => yf(v))(e.hitRateSeries);
  const maxBar = Math.max(e.driftBefore, e.driftAfter, 1e-9);
  return (
    <div className="cause-evidence" data-testid="cause-panel-evidence">
      <svg
        viewBox={`0 0 ${CHART_WIDTH} ${EVIDENCE_HEIGHT}`}
        className="chart"
        data-testid="cause-panel-chart"
        role="img"
        aria-label={`The drift of ${e.primarySignal} and the share of requests where ${cause.factor} hit (${e.hitRule}), over time`}
        onMouseMove={(ev) => onHover(pointerTime(ev, x))}
        onMouseLeave={() => onHover(null)}
      >
        {hoverMs !== null && <line x1={x(hoverMs)} x2={x(hoverMs)} y1={2} y2={EVIDENCE_HEIGHT - 16} className="chart-crosshair" pointerEvents="none" />}
        <text x={8} y={20} className="chart-label" fill="var(--error)">
          — drift of {e.primarySignal}
        </text>
        <text x={8} y={36} className="chart-label chart-factor">
          — {cause.factor}
        </text>
        <text x={8} y={52} className="chart-sublabel">
          hit rate ({e.hitRule})
        </text>
        <text x={8} y={68} className="chart-sublabel">
          {e.lagCorrelation !== 0 ? `r = ${e.lagCorrelation} at lag ${e.lagWindows}` : ''}
        </text>
        <text x={8} y={84} className="chart-sublabel" data-testid="cause-panel-anomaly">
          <title>
            A robust z-score: how far the window's hit rate is from the baseline windows' median, in median absolute deviations (scaled to standard deviations).
            Above 3 is unusual; large values mean the baseline almost never saw it.
          </title>
          hit rate {e.anomalyScore} robust SD
        </text>
        <text x={8} y={98} className="chart-sublabel">
          above the baseline&apos;s
        </text>
        <rect
          x={x(Date.parse(finding.start))}
          y={4}
          width={x(Date.parse(finding.end)) - x(Date.parse(finding.start))}
          height={EVIDENCE_HEIGHT - 22}
          className="chart-drift"
        />
        <line x1={LABEL_WIDTH} x2={PLOT_RIGHT} y1={yd(1)} y2={yd(1)} className="chart-grid chart-threshold" />
        <path d={driftLine ?? ''} className="chart-line chart-line-drift" />
        <path d={factorLine ?? ''} className="chart-line chart-line-factor" />
        {timeTicks(x).map((t) => (
          <text key={t} x={x(t)} y={EVIDENCE_HEIGHT - 4} className="chart-axis" textAnchor="middle">
            {formatClock(t)}
          </text>
        ))}
      </svg>
      <div className="counterfactual" data-testid="cause-panel-counterfactual">
        <div className="hint">
          Counterfactual: drift of {e.primarySignal} in the window
          {e.counterfactualCheckable ? '' : ' (not checkable per request for this factor: its share comes from its chain)'}
        </div>
        <div className="cf-row">
          <span className="cf-label">as it was</span>
          <span className="cf-bar cf-before" style={{ width: `${(e.driftBefore / maxBar) * 60}%` }} />
          <span className="mono">{e.driftBefore.toFixed(3)}</span>
        </div>
        <div className="cf-row">
          <span className="cf-label">hit requests replaced by others of the same minutes</span>
          <span className="cf-bar cf-after" style={{ width: `${(e.driftAfter / maxBar) * 60}%` }} />
          <span className="mono">{e.driftAfter.toFixed(3)}</span>
        </div>
        {e.baselineP95 !== null && (
          <div className="hint">
            p95 of the factor: {withUnit(e.baselineP95, e.unit)} in the baseline → {withUnit(e.windowP95, e.unit)} in the window
          </div>
        )}
      </div>
      <div className="exemplars">
        <span className="hint">Exemplar traces: </span>
        {cause.exemplarTraceIds.map((id) => (
          <a key={id} href={href(traceLink(id, datasetId))} className="mono exemplar" data-testid="cause-panel-exemplar">
            {id.slice(0, 12)}…
          </a>
        ))}
      </div>
    </div>
  );
}
