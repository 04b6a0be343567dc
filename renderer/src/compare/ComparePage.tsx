/**
 * Compare (/compare): group A against group B (slow against fast, v2 against v1, or two single
 * traces). Leads with the one sentence that answers "what is different about A", then the
 * time-per-trace chart, the ranked operation table and the span paths that differ.
 */
import { traceLink } from '../app/links.js';
import { useMemo } from 'react';
import { useQuery } from '../app/use-query.js';
import { useApi } from '../app/ApiContext.js';
import { href, routeParams, useRoute } from '../app/router.js';
import { formatDurationMs, plural } from '../app/format.js';
import type { GroupComparison, GroupSummary, OperationComparison } from '../../../shared/model/trace-compare.js';
import { groupRequest, readCompareState, type GroupSpec } from './compare-url.js';
import { DeltaChart } from './DeltaChart.js';
import { describeSearch, groupLimitNote } from './group-text.js';

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const signed = (ms: number): string => `${ms > 0 ? '+' : ms < 0 ? '−' : ''}${formatDurationMs(Math.abs(ms))}`;

function headline(c: GroupComparison, la: string, lb: string): string {
  const top = c.operations[0];
  const diff = c.a.meanDurationMs - c.b.meanDurationMs;
  const overall = `${la} traces take ${formatDurationMs(c.a.meanDurationMs)} on average, ${lb} ${formatDurationMs(c.b.meanDurationMs)}`;
  if (!top || top.deltaSelfMsPerTrace === 0) return `${overall}; no operation differs in time per trace.`;
  const share = diff !== 0 ? ` (${pct(Math.min(1, Math.max(0, top.deltaSelfMsPerTrace / diff)))} of the difference)` : '';
  const what =
    top.b.count === 0
      ? `${top.service}: ${top.name}, which ${lb} traces never run,`
      : `${top.service}: ${top.name} (p95 ${formatDurationMs(top.a.p95Ms)} against ${formatDurationMs(top.b.p95Ms)})`;
  return `${overall}. The biggest difference is ${what}: ${top.deltaSelfMsPerTrace > 0 ? '+' : '−'}${formatDurationMs(Math.abs(top.deltaSelfMsPerTrace))} of its own time per trace${share}.`;
}

function GroupLink({ g, dataset }: { g: GroupSpec; dataset: number }) {
  const ds = dataset !== 1 ? `dataset=${dataset}` : '';
  if (g.kind === 'trace')
    return (
      <a className="mono" href={href(traceLink(g.traceId, dataset))}>
        {g.traceId.slice(0, 16)}…
      </a>
    );
  const q = [ds, g.query].filter(Boolean).join('&');
  return <a href={href(`/${q ? `?${q}` : ''}`)}>{describeSearch(g.query)}</a>;
}

/** One group: its label, its search (a link to it on the trace list), what was read of it. */
function GroupRow({ side, g, dataset, summary }: { side: 'a' | 'b'; g: GroupSpec; dataset: number; summary: GroupSummary | null }) {
  const limit = summary ? groupLimitNote(summary.traces) : null;
  return (
    <tr>
      <th className={`group-${side}`}>{g.label}</th>
      <td>
        <GroupLink g={g} dataset={dataset} />
      </td>
      {summary && (
        <td className="hint" data-testid={`compare-${side}-summary`}>
          {plural(summary.traces, 'trace')} · p50 {formatDurationMs(summary.p50DurationMs)} · p95 {formatDurationMs(summary.p95DurationMs)} ·{' '}
          {(summary.traces ? summary.spans / summary.traces : 0).toFixed(1)} spans per trace · {plural(summary.errorTraces, 'trace')} with errors
          {limit && (
            <span className="compare-limit" data-testid={`compare-${side}-limit`}>
              {' '}
              ({limit})
            </span>
          )}
        </td>
      )}
    </tr>
  );
}

function OperationRow({ o, aTraces, bTraces }: { o: OperationComparison; aTraces: number; bTraces: number }) {
  const perTrace = (count: number, traces: number): string => (traces ? (count / traces).toFixed(2).replace(/\.00$/, '') : '0');
  return (
    <tr data-testid="compare-operation-row" className={o.deltaSelfMsPerTrace > 0 ? 'slower' : o.deltaSelfMsPerTrace < 0 ? 'faster' : ''}>
      <td>{o.service}</td>
      <td>{o.name}</td>
      <td className={`num mono ${o.deltaSelfMsPerTrace > 0 ? 'error-text' : ''}`}>{signed(o.deltaSelfMsPerTrace)}</td>
      <td className="num mono">{signed(o.deltaMsPerTrace)}</td>
      <td className="num mono">
        {o.a.count ? formatDurationMs(o.a.p50Ms) : '—'} / {o.b.count ? formatDurationMs(o.b.p50Ms) : '—'}
      </td>
      <td className="num mono">
        {o.a.count ? formatDurationMs(o.a.p95Ms) : '—'} / {o.b.count ? formatDurationMs(o.b.p95Ms) : '—'}
      </td>
      <td className="num mono" title="spans per trace">
        {perTrace(o.a.count, aTraces)} / {perTrace(o.b.count, bTraces)}
      </td>
      <td className="num mono">
        {o.a.errors} / {o.b.errors}
      </td>
      <td className="num mono">{o.ksPValue === null ? '—' : o.ksPValue < 0.001 ? '< 0.001' : o.ksPValue.toFixed(3)}</td>
    </tr>
  );
}

export function ComparePage() {
  const api = useApi();
  const route = useRoute();
  const query = routeParams(route).toString();
  const state = useMemo(() => readCompareState(query), [query]);
  const q = useQuery(query, () => {
    if (!state.a || !state.b) return Promise.resolve(null);
    // A group's attribute filter that cannot be read rejects here, and shows as the error.
    return api.compareTraces({ datasetId: state.dataset, a: groupRequest(state.a), b: groupRequest(state.b) });
  });
  const result: GroupComparison | null = q.stale ? null : q.data;
  const error = q.stale ? null : q.error;

  if (!state.a || !state.b)
    return (
      <div className="empty-state" data-testid="compare-empty-state">
        <h2>Compare traces</h2>
        <p>
          On the trace list, press <strong>Compare slow with fast</strong> to split the current search at its 90th percentile, or tick two traces and press{' '}
          <strong>Compare 2 traces</strong>.
        </p>
      </div>
    );
  const { a, b } = state;
  return (
    <section className="compare-page">
      <h2 data-testid="compare-title">
        {a.kind === 'trace' ? 'Two traces' : 'Two groups of traces'}: <span className="group-a">{a.label}</span> against{' '}
        <span className="group-b">{b.label}</span>
      </h2>
      <table className="compare-groups">
        <tbody>
          <GroupRow side="a" g={a} dataset={state.dataset} summary={result?.a ?? null} />
          <GroupRow side="b" g={b} dataset={state.dataset} summary={result?.b ?? null} />
        </tbody>
      </table>
      {error && (
        <div className="error-banner" data-testid="compare-error">
          {error}
        </div>
      )}
      {!result && !error && <div className="loading">Comparing…</div>}
      {result && (
        <>
          <p className="compare-headline" data-testid="compare-headline">
            {headline(result, a.label, b.label)}
          </p>
          <DeltaChart operations={result.operations} />
          <h3>Operations, largest difference in self time per trace first</h3>
          <table className="trace-table compare-table" data-testid="compare-operation-table">
            <thead>
              <tr>
                <th>Service</th>
                <th>Operation</th>
                <th className="num" title="time in the operation itself, not in its child spans">
                  Δ self time per trace
                </th>
                <th className="num" title="including child spans">
                  Δ total
                </th>
                <th className="num">p50 A / B</th>
                <th className="num">p95 A / B</th>
                <th className="num">spans per trace A / B</th>
                <th className="num">errors A / B</th>
                <th className="num">KS p</th>
              </tr>
            </thead>
            <tbody>
              {result.operations.slice(0, 100).map((o) => (
                <OperationRow key={`${o.service}\u0000${o.name}`} o={o} aTraces={result.a.traces} bTraces={result.b.traces} />
              ))}
            </tbody>
          </table>
          {result.paths.length > 0 && (
            <>
              <h3>Structure: span paths that occur more often in one of them (per trace)</h3>
              <table className="trace-table" data-testid="compare-path-table">
                <thead>
                  <tr>
                    <th>Path</th>
                    <th className="num">{a.label}</th>
                    <th className="num">{b.label}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.paths.slice(0, 50).map((p) => (
                    <tr key={p.path} data-testid="compare-path-row">
                      <td className="mono">{p.path}</td>
                      <td className="num mono">{p.aPerTrace}</td>
                      <td className="num mono">{p.bPerTrace}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {a.kind === 'search' && (
            <p className="hint" data-testid="compare-examples">
              Examples of {a.label}:{' '}
              {result.aTraceIds.slice(0, 5).map((id) => (
                <a key={id} className="mono" href={href(traceLink(id, state.dataset))}>
                  {id.slice(0, 8)}{' '}
                </a>
              ))}
              · of {b.label}:{' '}
              {result.bTraceIds.slice(0, 5).map((id) => (
                <a key={id} className="mono" href={href(traceLink(id, state.dataset))}>
                  {id.slice(0, 8)}{' '}
                </a>
              ))}
            </p>
          )}
        </>
      )}
    </section>
  );
}
