/**
 * GenAI (issue #17): per model and operation of the language model calls in the data context,
 * their figures (rate, latency, time to first token, speed, tokens, finish reasons, evaluations,
 * retrieval) with example traces, the series on one time axis with a shared crosshair, and the
 * drift findings of the model. Container: loads through useQuery; the choice lives in the URL.
 */
import { useState } from 'react';
import type { LiveEvent } from '../../../shared/api/events.js';
import { useApi } from '../app/ApiContext.js';
import { useDataContext } from '../app/DataContextProvider.js';
import { contextRequest, hasTimeRange } from '../app/data-context.js';
import { href, navigate, routeParams, useRoute } from '../app/router.js';
import { useQuery } from '../app/use-query.js';
import { GenAiCharts } from './GenAiCharts.js';
import { GenAiEmptyState, GenAiNoMatch } from './GenAiEmptyState.js';
import { GenAiFindings } from './GenAiFindings.js';
import { GenAiGroupList } from './GenAiGroupList.js';
import { GenAiReadout } from './GenAiReadout.js';
import { GenAiSummary } from './GenAiSummary.js';
import { chooseGroup, genAiParams, groupState, readGenAiState } from './genai-state.js';
import type { SeriesAxis } from './series-geometry.js';

/** Buckets across the range: fine enough to show a 10-minute incident in two hours. */
const BUCKETS = 60;
const importEnded = (e: LiveEvent): boolean => e.type === 'import' && e.state === 'done';

export function GenAiPage() {
  const api = useApi();
  const route = useRoute();
  const { context, contextKey, link, setContext } = useDataContext();
  const state = readGenAiState(routeParams(route));
  const [hoverMs, setHoverMs] = useState<number | null>(null);
  const overview = useQuery(`genai/${contextKey}`, () => api.genAiOverview({ ...contextRequest(context), buckets: BUCKETS }), { live: true });
  // "Where are the calls?": the whole time range, asked only when the range holds none.
  const emptyInRange = overview.data !== null && !overview.stale && overview.data.groups.length === 0 && hasTimeRange(context);
  const whole = useQuery(`genai-whole/${contextKey}/${emptyInRange}`, () =>
    emptyInRange ? api.genAiOverview({ ...(context.dataset !== 'all' ? { datasetId: context.dataset } : {}), buckets: 1 }) : Promise.resolve(null),
  );
  // The drift findings, as the Models page finds them (the same request), so its finding index matches.
  const analysis = useQuery(`genai-drift/${contextKey}`, () => api.analyze(contextRequest(context)), { live: importEnded });

  const data = overview.data;
  if (overview.error && !data) return <div className="error-banner">Cannot load the GenAI view: {overview.error}</div>;
  if (!data)
    return (
      <p className="hint" data-testid="genai-loading">
        Reading language model calls…
      </p>
    );
  if (data.groups.length === 0) {
    if (!hasTimeRange(context)) return <GenAiEmptyState />;
    const wholeData = whole.stale ? null : whole.data;
    const w = wholeData && wholeData.groups.length > 0 ? wholeData : null;
    if (wholeData && !w) return <GenAiEmptyState />;
    return (
      <GenAiNoMatch
        elsewhere={w ? { fromMs: w.fromMs, toMs: w.toMs, calls: w.groups.reduce((n, g) => n + g.calls, 0) } : null}
        onWholeRange={() => setContext({ range: '', fromMs: undefined, toMs: undefined })}
      />
    );
  }

  const group = chooseGroup(data.groups, state)!;
  const axis: SeriesAxis = { fromMs: data.fromMs, bucketMs: data.bucketMs, buckets: group.series.calls.length };
  const allFindings = analysis.stale ? null : (analysis.data?.findings ?? null);
  const findings = allFindings?.filter((f) => f.model === group.model && f.datasetName === group.datasetName) ?? null;
  const drifted = new Set((allFindings ?? []).map((f) => `${f.datasetName}/${f.model}`));
  const modelsHref = (i: number): string =>
    href(link('/models', new URLSearchParams({ mds: String(group.datasetId), model: group.model, ...(i > 0 ? { finding: String(i) } : {}) })));
  const tracesParams = new URLSearchParams(group.services.length === 1 ? { service: group.services[0]! } : {});

  return (
    <section className="models-page genai-page">
      <aside className="models-list" aria-label="Models and operations">
        <div className="toolbar">
          <strong>Models</strong>
          <span className="hint small">{overview.loading ? 'Updating…' : ''}</span>
        </div>
        <GenAiGroupList groups={data.groups} selected={group} drifted={drifted} onSelect={(g) => navigate(link('/genai', genAiParams(groupState(g))))} />
        {data.truncatedCalls > 0 && (
          <p className="hint small">The newest calls are shown; {data.truncatedCalls.toLocaleString('en-US')} older ones are left out.</p>
        )}
      </aside>
      <div className="models-main" data-testid="genai-detail">
        <header className="model-header">
          <h2 data-testid="genai-title">
            {group.model} <span className="genai-operation">{group.operation || 'operation not given'}</span>
          </h2>
          <span className="hint">
            {group.datasetName} · {group.services.join(', ')}
          </span>
        </header>
        <GenAiFindings findings={findings} error={analysis.error} modelsHref={modelsHref} />
        <GenAiSummary group={group} tracesHref={href(link('/', tracesParams, { dataset: group.datasetId }))} />
        <h3>Over time</h3>
        <GenAiReadout group={group} axis={axis} atMs={hoverMs} />
        <GenAiCharts group={group} axis={axis} hoverMs={hoverMs} onHover={setHoverMs} />
      </div>
    </section>
  );
}
