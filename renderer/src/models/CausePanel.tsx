/**
 * One finding, explained: what drifted, the infrastructure causes ranked by evidence, and for
 * the chosen cause the drift and the factor on one time axis, the counterfactual (drift with
 * and without the requests the factor hit) and exemplar traces one click away.
 */
import { useState } from 'react';
import { line, scaleLinear } from 'd3';
import type { Cause, Finding, ModelTimeline } from '../../../shared/model/analysis.js';
import { href } from '../app/router.js';
import { CHART_WIDTH, formatClock, LABEL_WIDTH, PLOT_RIGHT, timeScale, timeTicks } from './chart-geometry.js';

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function CausePanel({ finding, timeline, datasetId }: { finding: Finding; timeline: ModelTimeline; datasetId: number }) {
  const [chosen, setChosen] = useState(0);
  const cause = finding.causes[chosen];
  return (
    <section className="cause-panel" data-testid="cause-panel">
      <p className="cause-note" data-testid="cause-panel-note">{finding.note}</p>
      <table className="trace-table compact" data-testid="cause-panel-signals">
        <thead>
          <tr><th>Drifted signal</th><th>Version</th><th>Test</th><th className="num">Statistic</th><th className="num">Threshold</th><th className="num">PSI</th></tr>
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
        <p className="hint" data-testid="cause-panel-none">No infrastructure factor explains this drift: none was both more frequent in the drifted window and, when left out, removed the drift. Look at the inputs (features) and upstream data instead.</p>
      ) : (
        <table className="trace-table compact" data-testid="cause-panel-causes">
          <thead>
            <tr><th>#</th><th>Kind</th><th>Factor</th><th>Explains</th><th className="num">Hit (window / baseline)</th><th className="num">Effect h</th><th className="num">p</th></tr>
          </thead>
          <tbody>
            {finding.causes.map((c, i) => (
              <tr key={i} className={i === chosen ? 'selected' : ''} onClick={() => setChosen(i)} data-testid="cause-panel-row">
                <td>{i + 1}</td>
                <td><span className={`kind-chip kind-${c.kind}`}>{c.kind}</span></td>
                <td className="mono">{c.factor}</td>
                <td><span className="share-bar"><span style={{ width: pct(c.explainedShare) }} /></span> {pct(c.explainedShare)}</td>
                <td className="num">{pct(c.evidence.hitRateWindow)} / {pct(c.evidence.hitRateBaseline)}</td>
                <td className="num">{c.effectSize.toFixed(2)}</td>
                <td className="num">{c.pValue.toFixed(4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {finding.context.length > 0 && (
        <p className="hint" data-testid="cause-panel-context">
          Also changed in the same window, for nearly every request (no counterfactual possible):{' '}
          {finding.context.slice(0, 4).map((c) => `${c.factor}${c.evidence.baselineP95 !== null ? ` (p95 ${c.evidence.baselineP95} → ${c.evidence.windowP95}${c.evidence.unit === 'ms' ? ' ms' : ''})` : ''}`).join('; ')}
        </p>
      )}
      {cause && <CauseEvidence cause={cause} timeline={timeline} finding={finding} datasetId={datasetId} />}
    </section>
  );
}

const EVIDENCE_HEIGHT = 130;

function CauseEvidence({ cause, timeline, finding, datasetId }: { cause: Cause; timeline: ModelTimeline; finding: Finding; datasetId: number }) {
  const e = cause.evidence;
  const x = timeScale(timeline);
  const primary = e.primarySignal.replace(/ \(.*\)$/, '');
  const drift = timeline.windows.map((w) => w.driftRatio[primary] ?? 0);
  const yd = scaleLinear().domain([0, Math.max(1.2, ...drift)]).range([EVIDENCE_HEIGHT - 18, 8]);
  const yf = scaleLinear().domain([0, Math.max(0.05, ...e.hitRateSeries)]).range([EVIDENCE_HEIGHT - 18, 8]);
  const mid = (k: number): number => x((timeline.windows[k]!.startMs + timeline.windows[k]!.endMs) / 2);
  const driftLine = line<number>().x((_, k) => mid(k)).y((v) => yd(v))(drift);
  const factorLine = line<number>().x((_, k) => mid(k)).y((v) => yf(v))(e.hitRateSeries);
  const maxBar = Math.max(e.driftBefore, e.driftAfter, 1e-9);
  return (
    <div className="cause-evidence" data-testid="cause-panel-evidence">
      <svg viewBox={`0 0 ${CHART_WIDTH} ${EVIDENCE_HEIGHT}`} className="chart" data-testid="cause-panel-chart" role="img" aria-label="Drift and factor over time">
        <text x={8} y={20} className="chart-label" fill="var(--error)">— drift of {e.primarySignal}</text>
        <text x={8} y={36} className="chart-label chart-factor">— {cause.factor}</text>
        <text x={8} y={52} className="chart-sublabel">hit rate ({e.hitRule})</text>
        <text x={8} y={68} className="chart-sublabel">{e.lagCorrelation !== 0 ? `r = ${e.lagCorrelation} at lag ${e.lagWindows}` : ''}</text>
        <text x={8} y={84} className="chart-sublabel" data-testid="cause-panel-anomaly">anomaly z = {e.anomalyScore}</text>
        <rect x={x(Date.parse(finding.start))} y={4} width={x(Date.parse(finding.end)) - x(Date.parse(finding.start))} height={EVIDENCE_HEIGHT - 22} className="chart-drift" />
        <line x1={LABEL_WIDTH} x2={PLOT_RIGHT} y1={yd(1)} y2={yd(1)} className="chart-grid chart-threshold" />
        <path d={driftLine ?? ''} className="chart-line chart-line-drift" />
        <path d={factorLine ?? ''} className="chart-line chart-line-factor" />
        {timeTicks(x).map((t) => (
          <text key={t} x={x(t)} y={EVIDENCE_HEIGHT - 4} className="chart-axis" textAnchor="middle">{formatClock(t)}</text>
        ))}
      </svg>
      <div className="counterfactual" data-testid="cause-panel-counterfactual">
        <div className="hint">Counterfactual: drift of {e.primarySignal} in the window</div>
        <div className="cf-row"><span className="cf-label">all requests</span><span className="cf-bar cf-before" style={{ width: `${(e.driftBefore / maxBar) * 60}%` }} /><span className="mono">{e.driftBefore.toFixed(3)}</span></div>
        <div className="cf-row"><span className="cf-label">without hit requests</span><span className="cf-bar cf-after" style={{ width: `${(e.driftAfter / maxBar) * 60}%` }} /><span className="mono">{e.driftAfter.toFixed(3)}</span></div>
        {e.baselineP95 !== null && (
          <div className="hint">p95 of the factor: {e.baselineP95}{e.unit === 'ms' ? ' ms' : ''} in the baseline → {e.windowP95}{e.unit === 'ms' ? ' ms' : ''} in the window</div>
        )}
      </div>
      <div className="exemplars">
        <span className="hint">Exemplar traces: </span>
        {cause.exemplarTraceIds.map((id) => (
          <a key={id} href={href(`/trace/${id}?dataset=${datasetId}`)} className="mono exemplar" data-testid="cause-panel-exemplar">{id.slice(0, 12)}…</a>
        ))}
      </div>
    </div>
  );
}
