/**
 * BubbleUp for drift: the brushed period against the baseline, every signal and every factor
 * that is more frequent in it, side by side. Causes are claimed only when something drifted.
 */
import { formatPeriod } from '../app/format.js';
import { useQuery } from '../app/use-query.js';
import type { SelectionComparison } from '../../../shared/model/analysis.js';
import { useApi } from '../app/ApiContext.js';

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function SelectionPanel({
  datasetId,
  model,
  fromMs,
  toMs,
  baseline,
  onClose,
}: {
  datasetId: number;
  model: string;
  fromMs: number;
  toMs: number;
  baseline?: { fromMs: number; toMs: number } | undefined;
  onClose: () => void;
}) {
  const api = useApi();
  const pinned = baseline ? { baselineFromMs: baseline.fromMs, baselineToMs: baseline.toMs } : {};
  // Brushing fast asks many times: only the newest selection's answer is shown (useQuery).
  const request = { datasetId, model, fromMs, toMs, ...pinned };
  const q = useQuery(JSON.stringify(request), () => api.explainSelection(request));
  const result: SelectionComparison | null = q.stale ? null : q.data;
  const error = q.stale ? null : q.error;
  return (
    <section className="selection-panel" data-testid="selection-panel">
      <header className="panel-header">
        <h3>Selection {formatPeriod(fromMs, toMs)} against the baseline</h3>
        <button onClick={onClose} data-testid="selection-panel-close">
          Clear
        </button>
      </header>
      {error && <div className="error-banner">{error}</div>}
      {!result && !error && <p className="hint">Comparing…</p>}
      {result && (
        <>
          <p className="cause-note" data-testid="selection-panel-note">
            {result.note}
          </p>
          <div className="bubbleup">
            <table className="trace-table compact">
              <thead>
                <tr>
                  <th>Signal</th>
                  <th>Test</th>
                  <th className="num">Statistic</th>
                  <th className="num">Threshold</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {result.signals.map((s) => (
                  <tr key={s.signal} className={s.drifted ? 'drifted' : ''}>
                    <td>{s.signal}</td>
                    <td>{s.test}</td>
                    <td className="num">{s.pValue !== null ? `p ${s.pValue.toExponential(1)}` : s.statistic.toFixed(3)}</td>
                    <td className="num">{s.threshold.toFixed(3)}</td>
                    <td>{s.drifted ? <span className="error-text">drift</span> : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="trace-table compact" data-testid="selection-panel-factors">
              <thead>
                <tr>
                  <th>Factor</th>
                  <th>Selection vs baseline (hit rate)</th>
                  <th className="num">Effect h</th>
                  <th className="num">Explains</th>
                </tr>
              </thead>
              <tbody>
                {result.factors.slice(0, 15).map((f) => (
                  <tr key={f.factor} data-testid="selection-panel-factor">
                    <td>
                      <span className={`kind-chip kind-${f.kind}`}>{f.kind}</span> <span className="mono">{f.factor}</span>
                    </td>
                    <td>
                      <span className="pair-bar">
                        <span className="sel" style={{ width: pct(f.evidence.hitRateWindow) }} />
                      </span>{' '}
                      {pct(f.evidence.hitRateWindow)}
                      <br />
                      <span className="pair-bar">
                        <span className="base" style={{ width: pct(f.evidence.hitRateBaseline) }} />
                      </span>{' '}
                      {pct(f.evidence.hitRateBaseline)}
                    </td>
                    <td className="num">{f.effectSize.toFixed(2)}</td>
                    <td className="num">{pct(f.explainedShare)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
