/**
 * The data context picker above every page that follows it: the dataset (or all) and the time
 * range, chosen once for Traces, Services, Logs, Models and Reports.
 */
import { useDataContext } from '../app/DataContextProvider.js';
import { RANGES, type RangeKey } from '../../../shared/model/time-ranges.js';
import { formatCount, formatTimestamp } from '../app/format.js';
import { hasTimeRange } from '../app/data-context.js';

export function DataContextBar() {
  const { context, datasets, datasetsLoaded, setContext } = useDataContext();
  const custom = !context.range && (context.fromMs !== undefined || context.toMs !== undefined);
  return (
    <div className="data-context" data-testid="data-context-bar">
      <label>
        Data{' '}
        <select
          data-testid="context-dataset-select"
          value={String(context.dataset)}
          onChange={(e) => setContext({ dataset: e.target.value === 'all' ? 'all' : Number(e.target.value) })}
        >
          <option value="all">{datasetsLoaded ? `All datasets (${formatCount(datasets.reduce((n, d) => n + d.spans, 0))} spans)` : 'All datasets'}</option>
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({formatCount(d.spans)} spans)
            </option>
          ))}
          {typeof context.dataset === 'number' && !datasets.some((d) => d.id === context.dataset) && (
            <option value={context.dataset}>dataset {context.dataset} (loading…)</option>
          )}
        </select>
      </label>
      <label>
        Time{' '}
        <select
          data-testid="context-range-select"
          value={custom ? 'custom' : context.range}
          onChange={(e) => {
            const v = e.target.value;
            if (v === 'custom') return;
            setContext(v === '' ? { range: '', fromMs: undefined, toMs: undefined } : { range: v as RangeKey });
          }}
        >
          <option value="">All time</option>
          {Object.keys(RANGES).map((k) => (
            <option key={k} value={k}>
              Last {k}
            </option>
          ))}
          {custom && (
            <option value="custom">
              {context.fromMs !== undefined ? formatTimestamp(context.fromMs) : '…'} – {context.toMs !== undefined ? formatTimestamp(context.toMs) : '…'}
            </option>
          )}
        </select>
      </label>
      {hasTimeRange(context) && (
        <button
          type="button"
          className="link-button"
          onClick={() => setContext({ range: '', fromMs: undefined, toMs: undefined })}
          data-testid="context-range-clear"
        >
          Whole range
        </button>
      )}
    </div>
  );
}
