/**
 * Models: every model that sent predictions, its versions and volume, score distribution and
 * drift timeline, the findings with their ranked causes, and a BubbleUp comparison of any
 * brushed period. View state (dataset, model, finding, selection) lives in the URL.
 */
import { formatCount, formatPeriod } from '../app/format.js';
import { useState } from 'react';
import { useQuery } from '../app/use-query.js';
import { TimelineReadout } from './TimelineReadout.js';
import type { LiveEvent } from '../../../shared/api/events.js';
import type { AnalysisResult } from '../../../shared/model/analysis.js';
import { useApi } from '../app/ApiContext.js';
import { href, navigate, routeParams, useRoute } from '../app/router.js';
import { useDataContext } from '../app/DataContextProvider.js';
import { contextRequest } from '../app/data-context.js';
import { ModelCharts } from './ModelCharts.js';
import { DriftHeatmap } from './DriftHeatmap.js';
import { CausePanel } from './CausePanel.js';
import { SelectionPanel } from './SelectionPanel.js';
import { ModelsEmptyState } from './ModelsEmptyState.js';

interface ViewState {
  /** The selected model's dataset (the list shows the data context's datasets). */
  dataset?: number;
  model?: string;
  finding: number;
  from?: number;
  to?: number;
  /** Baseline override: another version, or a pinned period. */
  bver?: string;
  bfrom?: number;
  bto?: number;
  /** Drift thresholds when not the defaults. */
  alpha?: number;
  dist?: number;
}

function readState(route: string): ViewState {
  const p = routeParams(route);
  const num = (k: string): number | undefined => (p.get(k) && Number.isFinite(Number(p.get(k))) ? Number(p.get(k)) : undefined);
  return {
    dataset: num('mds'),
    model: p.get('model') ?? undefined,
    finding: num('finding') ?? 0,
    from: num('sfrom'),
    to: num('sto'),
    bver: p.get('bver') ?? undefined,
    bfrom: num('bfrom'),
    bto: num('bto'),
    alpha: num('alpha'),
    dist: num('dist'),
  };
}

/** The page's own parameters (the data context travels beside them). */
function stateParams(s: ViewState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.dataset !== undefined) p.set('mds', String(s.dataset));
  if (s.model) p.set('model', s.model);
  if (s.finding) p.set('finding', String(s.finding));
  if (s.from !== undefined && s.to !== undefined) {
    p.set('sfrom', String(Math.round(s.from)));
    p.set('sto', String(Math.round(s.to)));
  }
  if (s.alpha !== undefined) p.set('alpha', String(s.alpha));
  if (s.dist !== undefined) p.set('dist', String(s.dist));
  if (s.bver) p.set('bver', s.bver);
  else if (s.bfrom !== undefined && s.bto !== undefined) {
    p.set('bfrom', String(Math.round(s.bfrom)));
    p.set('bto', String(Math.round(s.bto)));
  }
  return p;
}

const importEnded = (e: LiveEvent): boolean => e.type === 'import' && e.state === 'done';

export function ModelsPage({ onLoadDemo }: { onLoadDemo: () => void }) {
  const api = useApi();
  const route = useRoute();
  const { context, contextKey, link } = useDataContext();
  const state = readState(route);
  const writeState = (s: ViewState): void => navigate(link('/models', stateParams(s)));
  const { alpha, dist } = state;
  /** The crosshair every chart of the model shares. */
  const [hoverMs, setHoverMs] = useState<number | null>(null);
  const thresholds = { ...(alpha !== undefined ? { alpha } : {}), ...(dist !== undefined ? { distanceThreshold: dist } : {}) };
  // The analysis runs in a worker; it is run again when an import ends, not on every ingest commit.
  const analysis = useQuery(`${contextKey}/${alpha}/${dist}`, () => api.analyze({ ...contextRequest(context), ...thresholds }), { live: importEnded });
  const result: AnalysisResult | null = analysis.data;
  const busy = analysis.loading;
  // With a baseline override the selected model is analysed again against it.
  const overrideKey = state.bver ? `v:${state.bver}` : state.bfrom !== undefined && state.bto !== undefined ? `p:${state.bfrom}-${state.bto}` : '';
  const { model: selectedModel, dataset: selectedDataset, bver, bfrom, bto } = state;
  const override = bver ? { baselineVersion: bver } : bfrom !== undefined && bto !== undefined ? { baselineFromMs: bfrom, baselineToMs: bto } : null;
  const detailQuery = useQuery(`${selectedDataset}/${selectedModel}/${overrideKey}/${alpha}/${dist}`, () =>
    override && selectedModel && selectedDataset !== undefined
      ? api.analyze({ datasetId: selectedDataset, model: selectedModel, ...override, ...thresholds })
      : Promise.resolve(null),
  );
  const detail = detailQuery.stale ? null : detailQuery.data;
  const error = analysis.error ?? detailQuery.error;
  const refresh = analysis.reload;

  if (error) return <div className="error-banner">{error}</div>;
  if (!result)
    return (
      <p className="hint" data-testid="models-loading">
        Analysing predictions…
      </p>
    );
  if (result.models.length === 0) return <ModelsEmptyState onLoadDemo={onLoadDemo} />;

  const models = result.models;
  const selected =
    models.find((m) => m.model === state.model && (state.dataset === undefined || m.datasetId === state.dataset)) ??
    models.find(
      (m) =>
        (state.dataset === undefined || m.datasetId === state.dataset) && result.findings.some((f) => f.model === m.model && f.datasetName === m.datasetName),
    ) ??
    models.find((m) => state.dataset === undefined || m.datasetId === state.dataset) ??
    models[0]!;
  const overridden = overrideKey !== '' && detail?.models[0]?.model === selected.model ? detail : null;
  const timeline = overridden?.models[0] ?? selected;
  const findings = (overridden ?? result).findings.filter((f) => f.model === selected.model && f.datasetName === selected.datasetName);
  const finding = findings[Math.min(state.finding, findings.length - 1)];
  const select = (change: Partial<ViewState>): void => writeState({ ...state, dataset: selected.datasetId, model: selected.model, ...change });
  const baselineChoice = state.bver ? `version:${state.bver}` : overrideKey ? 'period' : 'earliest';

  return (
    <section className="models-page">
      <aside className="models-list">
        <div className="toolbar">
          <strong>Models</strong>
          <button onClick={refresh} disabled={busy} data-testid="models-refresh-button">
            {busy ? 'Analysing…' : 'Re-analyse'}
          </button>
        </div>
        {models.map((m) => {
          const n = result.findings.filter((f) => f.model === m.model && f.datasetName === m.datasetName).length;
          const active = m === selected;
          return (
            <button
              key={`${m.datasetId}/${m.model}`}
              className={`model-card${active ? ' active' : ''}`}
              onClick={() => writeState({ dataset: m.datasetId, model: m.model, finding: 0, alpha: state.alpha, dist: state.dist })}
              data-testid="models-list-item"
            >
              <span className="model-name">{m.model}</span>
              <span className="hint">
                {m.datasetName} · {formatCount(m.predictions)} predictions
              </span>
              <span className="hint">{m.versions.map((v) => v.version).join(', ')}</span>
              {n > 0 ? (
                <span className="badge badge-drift">
                  {n} drift finding{n > 1 ? 's' : ''}
                </span>
              ) : (
                <span className="badge">{m.skipped ? 'not analysed' : 'no drift'}</span>
              )}
            </button>
          );
        })}
        <p className="hint small">
          Analysed in {result.seconds.toFixed(2)} s · drift: KS / χ² (p &lt; {result.settings.alpha}, BH-adjusted) for small baselines, W₁/σ and JS ≥{' '}
          {result.settings.distanceThreshold} (and above the baseline's own noise) for large ones; a value piling up (defaults, fallbacks) must be significant
          and reach Cohen's h ≥ {result.settings.distanceThreshold}.
        </p>
      </aside>
      <div className="models-main" data-testid="models-detail">
        <header className="model-header">
          <h2 data-testid="models-title">{selected.model}</h2>
          <span className="hint">
            {selected.datasetName} · {formatCount(selected.predictions)} predictions · versions{' '}
            {selected.versions.map((v) => `${v.version} (${formatCount(v.count)})`).join(', ')}
          </span>
        </header>
        <div className="toolbar baseline-toolbar">
          <label>
            Baseline{' '}
            <select
              value={baselineChoice}
              data-testid="models-baseline-select"
              onChange={(e) => {
                const v = e.target.value;
                if (v === 'earliest') select({ bver: undefined, bfrom: undefined, bto: undefined, finding: 0 });
                else if (v === 'selection' && state.from !== undefined && state.to !== undefined)
                  select({ bver: undefined, bfrom: state.from, bto: state.to, from: undefined, to: undefined, finding: 0 });
                else if (v.startsWith('version:')) select({ bver: v.slice(8), bfrom: undefined, bto: undefined, finding: 0 });
              }}
            >
              <option value="earliest">automatic</option>
              {overrideKey.startsWith('p:') && <option value="period">pinned period</option>}
              {state.from !== undefined && <option value="selection">the brushed selection</option>}
              {selected.versions.length > 1 &&
                selected.versions.map((v) => (
                  <option key={v.version} value={`version:${v.version}`}>
                    version {v.version} (the others against it)
                  </option>
                ))}
            </select>
          </label>
          <label title="Significance for KS and chi-square (small baselines)">
            α{' '}
            <input
              className="threshold-input"
              type="number"
              step="0.01"
              min="0.001"
              max="0.5"
              defaultValue={state.alpha ?? result.settings.alpha}
              onBlur={(e) => select({ alpha: Number(e.target.value) || undefined })}
              data-testid="models-alpha-input"
            />
          </label>
          <label title="Normalised Wasserstein and Jensen-Shannon threshold (large baselines)">
            distance ≥{' '}
            <input
              className="threshold-input"
              type="number"
              step="0.05"
              min="0.01"
              max="2"
              defaultValue={state.dist ?? result.settings.distanceThreshold}
              onBlur={(e) => select({ dist: Number(e.target.value) || undefined })}
              data-testid="models-distance-input"
            />
          </label>
          {overrideKey && !overridden && <span className="hint">Analysing…</span>}
        </div>
        {!timeline.skipped && timeline.baseline.description && (
          <p className="hint small" data-testid="models-baseline-description">
            Compared with {timeline.baseline.description}.
          </p>
        )}
        {timeline.skipped ? (
          <p className="hint">Not analysed: {timeline.skipped}.</p>
        ) : (
          <>
            <ModelCharts
              timeline={timeline}
              findings={findings}
              selection={state.from !== undefined && state.to !== undefined ? { fromMs: state.from, toMs: state.to } : null}
              onSelect={(r) => select({ from: r?.fromMs, to: r?.toMs })}
              hoverMs={hoverMs}
              onHover={setHoverMs}
            />
            <TimelineReadout timeline={timeline} atMs={hoverMs} />
            <h3>Drift per signal</h3>
            <DriftHeatmap timeline={timeline} hoverMs={hoverMs} onHover={setHoverMs} />
            {state.from !== undefined && state.to !== undefined && (
              <SelectionPanel
                datasetId={selected.datasetId}
                model={selected.model}
                fromMs={state.from}
                toMs={state.to}
                baseline={state.bfrom !== undefined && state.bto !== undefined && !state.bver ? { fromMs: state.bfrom, toMs: state.bto } : undefined}
                onClose={() => select({ from: undefined, to: undefined })}
              />
            )}
            <h3>Findings</h3>
            {findings.length === 0 ? (
              <p className="hint" data-testid="models-no-findings">
                No drift in this model's outputs or inputs against its baseline ({formatPeriod(timeline.baseline.startMs, timeline.baseline.endMs)}). Brush the
                score chart to compare any period.
              </p>
            ) : (
              <>
                <div className="finding-tabs">
                  {findings.map((f, i) => (
                    <button
                      key={i}
                      className={f === finding ? 'active' : ''}
                      aria-pressed={f === finding}
                      onClick={() => select({ finding: i })}
                      data-testid="models-finding-tab"
                    >
                      {formatPeriod(Date.parse(f.start), Date.parse(f.end))} · {f.causes[0] ? `${f.causes[0].kind}` : 'no infrastructure cause'}
                    </button>
                  ))}
                  {finding && (
                    <a
                      className="report-link"
                      href={href(link('/reports', new URLSearchParams({ model: selected.model }), { dataset: selected.datasetId }))}
                      data-testid="models-report-finding-link"
                    >
                      Report this finding…
                    </a>
                  )}
                </div>
                {finding && (
                  <CausePanel
                    key={`${finding.start}`}
                    finding={finding}
                    timeline={timeline}
                    datasetId={selected.datasetId}
                    hoverMs={hoverMs}
                    onHover={setHoverMs}
                  />
                )}
              </>
            )}
          </>
        )}
      </div>
    </section>
  );
}
