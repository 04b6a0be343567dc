/**
 * The trace list (/): every trace of the data context's dataset and range, not just the newest.
 * The core sorts by any column and pages by key (Show more), counts the total, and aggregates a
 * duration-over-time heatmap of the whole range that brushes the range. Filters live in the URL.
 */
import { useMemo, useState } from 'react';
import { useApi } from '../app/ApiContext.js';
import { href, navigate, routeParams, useRoute } from '../app/router.js';
import { formatCount, formatDurationMs, formatPeriod, formatTime, plural, zoneLabel } from '../app/format.js';
import type { TraceSummary } from '../../../shared/model/telemetry.js';
import type { TraceListCursor, TraceHeatmap as Heatmap } from '../../../shared/model/trace-list.js';
import type { ServerInfo } from '../../../shared/api/contract.js';
import { EmptyState } from '../components/EmptyState.js';
import { listParams, readListState, searchFilters, type SortKey, type TraceListState } from '../traces/trace-search-url.js';
import { TraceSearchBar } from '../traces/TraceSearchBar.js';
import { TraceHeatmap } from '../traces/TraceHeatmap.js';
import { compareUrl, slowVsFastAt } from '../compare/compare-url.js';
import { useQuery } from '../app/use-query.js';
import { useDataContext } from '../app/DataContextProvider.js';
import { contextRequest, hasTimeRange } from '../app/data-context.js';
import { traceLink } from '../app/links.js';

const PAGE = 100;

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'service', label: 'Service', numeric: false },
  { key: 'operation', label: 'Root operation', numeric: false },
  { key: 'start', label: 'Start', numeric: false },
  { key: 'duration', label: 'Duration', numeric: true },
  { key: 'spans', label: 'Spans', numeric: true },
  { key: 'errors', label: 'Errors', numeric: true },
];

/** The duration that splits the heatmap's traces at their 90th percentile (a row's lower edge). */
function p90FromHeatmap(map: Heatmap): number | null {
  if (map.total < 10) return null;
  const perRow = Array.from({ length: map.rows }, (_, r) => map.counts.slice(r * map.columns, (r + 1) * map.columns).reduce((s, n) => s + n, 0));
  let seen = 0;
  for (let r = 0; r < map.rows; r++) {
    seen += perRow[r]!;
    if (seen >= map.total * 0.9) return map.minDurationMs * Math.exp((Math.log(map.maxDurationMs / map.minDurationMs) / map.rows) * (r + 1));
  }
  return null;
}

export function TraceListPage({ info, onLoadDemo }: { info: ServerInfo | null; onLoadDemo: () => void }) {
  const api = useApi();
  const route = useRoute();
  const { context, contextKey, dataset, datasets, datasetsLoaded, setContext, link } = useDataContext();
  const query = routeParams(route).toString();
  // One object per URL: the search form resets its draft when this changes, so it must not
  // change on every render (a live reload would wipe what is being typed).
  const state: TraceListState = useMemo(() => ({ ...readListState(query), range: '', fromMs: undefined, toMs: undefined }), [query]);
  const go = (next: Partial<TraceListState>): void => navigate(link('/', listParams({ ...state, ...next })));
  const filtered = listParams({ ...state, sort: 'start', desc: true }).toString() !== '';
  const oneDataset = typeof context.dataset === 'number' ? context.dataset : undefined;
  // Comparing needs one dataset: the chosen one, or the only one that holds traces.
  const withTraces = datasets.filter((d) => d.spans > 0);
  const compareDataset = oneDataset ?? (withTraces.length === 1 ? withTraces[0]!.id : undefined);

  // A filter that cannot be read is shown beside the form; the list is then empty.
  let filters: ReturnType<typeof searchFilters> | null = null;
  let searchError: string | null = null;
  try {
    filters = searchFilters(state, PAGE);
  } catch (e) {
    searchError = (e as Error).message;
  }
  const { limit: _limit, ...filterFields } = filters ?? { limit: PAGE };
  // A relative range ("last 15m") becomes times when a request is made, not at each render.
  const request = (): typeof filterFields & ReturnType<typeof contextRequest> => ({ ...contextRequest(context), ...filterFields });
  const key = JSON.stringify([contextKey, filterFields, state.sort, state.desc, !!filters]);
  const list = useQuery(key, () => (filters ? api.listTraces({ ...request(), sort: state.sort, desc: state.desc, limit: PAGE }) : Promise.resolve(null)), {
    live: true,
  });
  const heat = useQuery(`heat${key}`, () => (filters ? api.traceHeatmap({ ...request(), columns: 120, rows: 24 }) : Promise.resolve(null)), { live: true });
  const stats = useQuery(`stats${String(context.dataset)}`, () => api.getStats(oneDataset !== undefined ? { datasetId: oneDataset } : {}), { live: true });
  // "Where is the data?": the same search over all time, asked only when the range finds nothing.
  const emptyInRange = list.data?.total === 0 && hasTimeRange(context);
  const wholeRange = useQuery(`whole${key}${emptyInRange}`, () =>
    emptyInRange ? api.traceHeatmap({ ...request(), fromMs: undefined, toMs: undefined, columns: 2, rows: 2 }) : Promise.resolve(null),
  );
  /** Pages after the first, for this search (Show more). */
  const [more, setMore] = useState<{ key: string; traces: TraceSummary[]; next: TraceListCursor | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  /** Traces ticked to compare side by side (at most two, oldest tick dropped). */
  const [ticked, setTicked] = useState<{ traceId: string; datasetId: number }[]>([]);
  const tickedDataset = ticked.length === 2 && ticked[0]!.datasetId === ticked[1]!.datasetId ? ticked[0]!.datasetId : undefined;

  if (list.error && !list.data)
    return (
      <div className="error-banner" data-testid="trace-list-error">
        Cannot load traces: {list.error}
      </div>
    );
  const storeEmpty = datasetsLoaded && datasets.every((d) => d.spans === 0);
  if (storeEmpty && !filtered) return <EmptyState info={info} onLoadDemo={onLoadDemo} />;
  const page = list.data;
  const extra = more && more.key === key ? more : null;
  const seen = new Set<string>();
  const rows = [...(page?.traces ?? []), ...(extra?.traces ?? [])].filter((t) => {
    const id = `${t.datasetId}/${t.traceId}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
  const next = extra ? extra.next : (page?.next ?? null);
  const showMore = (): void => {
    if (!next || !filters) return;
    setLoadingMore(true);
    api.listTraces({ ...request(), sort: state.sort, desc: state.desc, limit: PAGE, after: next }).then(
      (p) => {
        setMore({ key, traces: [...(extra?.traces ?? []), ...p.traces], next: p.next });
        setLoadingMore(false);
      },
      () => setLoadingMore(false),
    );
  };
  const sortBy = (k: SortKey): void => go({ sort: k, desc: state.sort === k ? !state.desc : k !== 'service' && k !== 'operation' });
  const arrow = (k: SortKey): string => (state.sort === k ? (state.desc ? ' ↓' : ' ↑') : '');
  const split = heat.data && compareDataset !== undefined ? p90FromHeatmap(heat.data) : null;
  const listState = { ...state, dataset: compareDataset ?? 1, ...contextRequest(context) };
  const slowFast = split !== null ? slowVsFastAt(listState, split) : null;
  const total = page?.total ?? 0;

  return (
    <section className="trace-list">
      <div className="toolbar">
        <label>
          Service{' '}
          <select data-testid="trace-list-service-select" value={state.service} onChange={(e) => go({ service: e.target.value })}>
            <option value="">All services</option>
            {(stats.data?.services ?? []).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        {stats.data && (
          <span className="toolbar-stats" data-testid="trace-list-stats-label">
            {dataset ? dataset.name : 'All datasets'}: {plural(stats.data.traces, 'trace')} · {plural(stats.data.spans, 'span')} ·{' '}
            {plural(stats.data.metricPoints, 'metric point')} · {plural(stats.data.logRecords, 'log record')}
          </span>
        )}
        {context.dataset === 1 ? (
          <span className="live-dot" title="Updates as data arrives">
            live
          </span>
        ) : dataset ? (
          <span className="archive-label" data-testid="trace-list-archive-label" title={dataset.source ?? ''}>
            archive
          </span>
        ) : null}
      </div>
      <TraceSearchBar state={state} onApply={(n) => go(n)} />
      {state.call && (
        <p className="filter-chip" data-testid="trace-list-call-chip">
          Traces where <strong>{state.call.split('>')[0]}</strong> calls <strong>{state.call.split('>')[1]}</strong>{' '}
          <button onClick={() => go({ call: '' })} aria-label="Remove the call filter">
            ✕
          </button>
        </p>
      )}
      {heat.data && heat.data.total > 0 && <TraceHeatmap map={heat.data} onBrush={(fromMs, toMs) => setContext({ fromMs, toMs })} />}
      {searchError && (
        <div className="error-banner" data-testid="trace-search-error">
          {searchError}
        </div>
      )}
      <div className="list-actions">
        {page && !list.stale ? (
          <p className="hint" data-testid="trace-list-count" aria-live="polite">
            {total === 0
              ? '0 matching traces'
              : `${rows.length < total ? `${formatCount(rows.length)} of ` : ''}${plural(total, 'matching trace')}${page.totalCapped ? ' or more' : ''}`}
          </p>
        ) : (
          <p className="hint">Loading…</p>
        )}
        {slowFast && (
          <button
            onClick={() => navigate(slowFast)}
            data-testid="trace-list-compare-slow-button"
            title="Split these traces at their 90th percentile and compare the slow ones with the rest"
          >
            Compare slow with fast
          </button>
        )}
        <button
          disabled={tickedDataset === undefined}
          onClick={() =>
            navigate(
              compareUrl({
                dataset: tickedDataset ?? 1,
                a: { kind: 'trace', traceId: ticked[0]!.traceId, label: 'first' },
                b: { kind: 'trace', traceId: ticked[1]!.traceId, label: 'second' },
              }),
            )
          }
          data-testid="trace-list-compare-two-button"
          title={
            ticked.length === 2 && tickedDataset === undefined ? 'The two traces are in different datasets' : 'Tick two traces to compare them side by side'
          }
        >
          Compare 2 traces{ticked.length === 1 ? ' (tick one more)' : ''}
        </button>
      </div>
      {page && total === 0 ? (
        <NothingHere
          filtered={filtered}
          inRange={hasTimeRange(context)}
          elsewhere={wholeRange.data?.total ? wholeRange.data : null}
          datasetName={dataset?.name}
          others={datasets.filter((d) => d.id !== oneDataset && d.spans > 0).map((d) => ({ id: d.id, name: d.name, spans: d.spans }))}
          onWholeRange={() => setContext({ range: '', fromMs: undefined, toMs: undefined })}
          onClearFilters={() => navigate(link('/'))}
          onDataset={(id) => setContext({ dataset: id })}
          showDatasets={oneDataset !== undefined && !filtered && !hasTimeRange(context)}
        />
      ) : (
        <table className={list.stale ? 'trace-table stale' : 'trace-table'} data-testid="trace-list-table" aria-busy={list.stale}>
          <thead>
            <tr>
              <th aria-label="Compare" />
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  className={`sortable${c.numeric ? ' num' : ''}`}
                  aria-sort={state.sort === c.key ? (state.desc ? 'descending' : 'ascending') : 'none'}
                  data-testid={`trace-list-sort-${c.key}`}
                >
                  <button type="button" className="th-button" onClick={() => sortBy(c.key)}>
                    {c.key === 'start' ? `Start (${zoneLabel()})` : c.label}
                    {arrow(c.key)}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr
                key={`${t.datasetId}/${t.traceId}`}
                data-testid="trace-list-row"
                data-trace-id={t.traceId}
                className={t.errorCount > 0 ? 'has-error' : ''}
                onClick={() => navigate(traceLink(t.traceId, t.datasetId))}
              >
                <td onClick={(e) => e.stopPropagation()}>
                  <input
                    type="checkbox"
                    aria-label={`Tick trace ${t.traceId.slice(0, 8)} to compare`}
                    data-testid="trace-list-compare-checkbox"
                    checked={ticked.some((x) => x.traceId === t.traceId && x.datasetId === t.datasetId)}
                    onChange={(e) =>
                      setTicked((prev) => {
                        const others = prev.filter((x) => x.traceId !== t.traceId || x.datasetId !== t.datasetId);
                        return e.target.checked ? [...others, { traceId: t.traceId, datasetId: t.datasetId }].slice(-2) : others;
                      })
                    }
                  />
                </td>
                <td>{t.rootServiceName ?? t.serviceNames[0] ?? '—'}</td>
                <td>
                  <a href={href(traceLink(t.traceId, t.datasetId))} onClick={(e) => e.preventDefault()}>
                    {t.rootSpanName ?? <em>missing root span</em>}
                  </a>
                </td>
                <td className="mono">{formatTime(t.startTimeMs)}</td>
                <td className="num mono">{formatDurationMs(t.durationMs)}</td>
                <td className="num mono">{formatCount(t.spanCount)}</td>
                <td className={`num mono ${t.errorCount > 0 ? 'error-text' : ''}`}>{formatCount(t.errorCount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <p>
          <button onClick={showMore} disabled={loadingMore} data-testid="trace-list-more-button">
            {loadingMore ? 'Loading…' : `Show ${formatCount(Math.min(PAGE, total - rows.length))} more`}
          </button>{' '}
          <span className="hint">
            {formatCount(rows.length)} of {formatCount(total)} shown
          </span>
        </p>
      )}
    </section>
  );
}

/** An empty list, told apart: nothing in the dataset, or nothing matching (with the way out). */
function NothingHere(p: {
  filtered: boolean;
  inRange: boolean;
  elsewhere: Heatmap | null;
  datasetName: string | undefined;
  others: { id: number; name: string; spans: number }[];
  showDatasets: boolean;
  onWholeRange: () => void;
  onClearFilters: () => void;
  onDataset: (id: number) => void;
}) {
  if (p.showDatasets)
    return (
      <div className="empty-note" data-testid="trace-list-no-data">
        <p>
          <strong>{p.datasetName ?? 'This dataset'}</strong> holds no traces.
        </p>
        {p.others.length > 0 && (
          <p>
            The data is in:{' '}
            {p.others.map((d) => (
              <button key={d.id} className="link-button" onClick={() => p.onDataset(d.id)} data-testid="trace-list-other-dataset">
                {d.name} ({plural(d.spans, 'span')})
              </button>
            ))}
          </p>
        )}
      </div>
    );
  return (
    <div className="empty-note" data-testid="trace-list-no-match">
      <p>
        <strong>No traces match</strong>
        {p.inRange ? ' in this time range' : ''}
        {p.filtered ? ' with these filters' : ''}.
      </p>
      {p.elsewhere && (
        <p data-testid="trace-list-elsewhere">
          {plural(p.elsewhere.total, 'trace')} match outside it, between {formatPeriod(p.elsewhere.fromMs, p.elsewhere.toMs)}.{' '}
          <button className="link-button" onClick={p.onWholeRange} data-testid="trace-list-whole-range-button">
            Show the whole range
          </button>
        </p>
      )}
      {p.filtered && (
        <p>
          <button className="link-button" onClick={p.onClearFilters} data-testid="trace-list-clear-filters-button">
            Clear the filters
          </button>
        </p>
      )}
    </div>
  );
}
