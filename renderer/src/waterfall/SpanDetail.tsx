import { useQuery } from '../app/use-query.js';
import { traceLink } from '../app/links.js';
import type { Attributes, SpanView } from '../../../shared/model/telemetry.js';
import { useApi } from '../app/ApiContext.js';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '../../../shared/model/telemetry.js';
import { formatDurationMs, formatValue } from '../app/format.js';
import { href } from '../app/router.js';
import { CopyButton } from '../components/CopyButton.js';
import { SpanLogs } from '../logs/SpanLogs.js';
import { GenAiSpanFacts } from './GenAiSpanFacts.js';

function AttributeTable({ attributes, testId }: { attributes: Attributes; testId: string }) {
  const keys = Object.keys(attributes).sort();
  if (keys.length === 0) return <p className="hint">none</p>;
  return (
    <table className="attr-table" data-testid={testId}>
      <tbody>
        {keys.map((k) => (
          <tr key={k}>
            <th>{k}</th>
            <td className="mono">{formatValue(attributes[k])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The detail panel; an outline span (of a huge trace) is fetched whole from the core. */
export function SpanDetail({
  span: shown,
  traceId,
  datasetId,
  traceStartMs,
  onClose,
}: {
  span: SpanView;
  traceId: string;
  datasetId: number;
  traceStartMs: number;
  onClose: () => void;
}) {
  const api = useApi();
  // An outline's attributes, events and links come from the core when it is selected.
  const q = useQuery(`${traceId}/${datasetId}/${shown.spanId}/${shown.outline}`, () =>
    shown.outline ? api.getSpan({ traceId, spanId: shown.spanId, ...(datasetId !== 1 ? { datasetId } : {}) }) : Promise.resolve(null),
  );
  const full: SpanView | null = q.stale ? null : q.data;
  const span = full && full.spanId === shown.spanId ? full : shown;
  return (
    <aside className="span-detail" data-testid="span-detail-panel">
      <div className="span-detail-header">
        <h3 data-testid="span-detail-title">{span.name}</h3>
        <button onClick={onClose} aria-label="Close">
          ×
        </button>
      </div>
      <dl className="span-facts">
        <dt>Service</dt>
        <dd>{span.serviceName}</dd>
        <dt>Span ID</dt>
        <dd className="mono">
          {span.spanId} <CopyButton text={span.spanId} testId="span-detail-copy-span-id-button" />
        </dd>
        <dt>Kind</dt>
        <dd>{SPAN_KIND_NAMES[span.kind] ?? span.kind}</dd>
        <dt>Start</dt>
        <dd>+{formatDurationMs(span.startTimeMs - traceStartMs)}</dd>
        <dt>Duration</dt>
        <dd>{formatDurationMs(span.durationMs)}</dd>
        <dt>Status</dt>
        <dd className={span.statusCode === 2 ? 'error-text' : ''}>
          {STATUS_CODE_NAMES[span.statusCode] ?? span.statusCode}
          {span.statusMessage ? `: ${span.statusMessage}` : ''}
        </dd>
        <dt>Scope</dt>
        <dd>
          {span.scopeName || '—'} {span.scopeVersion}
        </dd>
      </dl>
      {span.outline && (
        <p className="hint" data-testid="span-detail-loading-label">
          Loading the span’s attributes…
        </p>
      )}
      <GenAiSpanFacts span={span} traceId={traceId} />
      <h4>Attributes</h4>
      <AttributeTable attributes={span.attributes} testId="span-detail-attributes-table" />
      {span.events.length > 0 && (
        <>
          <h4>Events</h4>
          <ul className="event-list">
            {span.events.map((e, i) => (
              <li key={i}>
                <span className="mono">+{formatDurationMs(e.timeMs - span.startTimeMs)}</span> {e.name}
                {Object.keys(e.attributes).length > 0 && <AttributeTable attributes={e.attributes} testId="span-detail-event-attributes-table" />}
              </li>
            ))}
          </ul>
        </>
      )}
      {span.links.length > 0 && (
        <>
          <h4>Links</h4>
          <ul className="event-list">
            {span.links.map((l, i) => (
              <li key={i} className="mono">
                <a href={href(traceLink(l.traceId, datasetId, l.spanId))} data-testid="span-detail-link-anchor">
                  {l.traceId} / {l.spanId}
                </a>
                {Object.keys(l.attributes).length > 0 && <AttributeTable attributes={l.attributes} testId="span-detail-link-attributes-table" />}
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Logs</h4>
      <SpanLogs traceId={traceId} spanId={span.spanId} spanStartMs={span.startTimeMs} />
      <h4>Resource</h4>
      <AttributeTable attributes={span.resourceAttributes} testId="span-detail-resource-table" />
    </aside>
  );
}
