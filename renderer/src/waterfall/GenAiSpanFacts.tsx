/**
 * A language model call in the span detail (connected): its prompt and completion token counts
 * as badges and its evaluation results. Evaluations recorded as log records are read with the
 * span's logs, asked only for a language model span.
 */
import type { SpanView } from '../../../shared/model/telemetry.js';
import { useApi } from '../app/ApiContext.js';
import { formatCount } from '../app/format.js';
import { useQuery } from '../app/use-query.js';
import { isLanguageModelSpan, spanEvaluations, spanTokens } from './genai-span.js';

export function GenAiSpanFacts({ span, traceId }: { span: SpanView; traceId: string }) {
  const api = useApi();
  const llm = !span.outline && isLanguageModelSpan(span.attributes);
  const logs = useQuery(
    `genai-logs/${traceId}/${span.spanId}/${llm}`,
    () => (llm ? api.searchLogs({ traceId, spanId: span.spanId, limit: 100 }) : Promise.resolve(null)),
    {
      live: true,
    },
  );
  if (!llm) return null;
  const tokens = spanTokens(span.attributes);
  const evaluations = spanEvaluations(span.events, logs.stale ? [] : (logs.data ?? []));
  return (
    <section className="genai-span-facts" data-testid="span-detail-genai">
      <h4>Language model call</h4>
      {tokens && (
        <p data-testid="span-detail-tokens">
          {tokens.input !== null && <span className="token-badge">{formatCount(tokens.input)} prompt tokens</span>}
          {tokens.output !== null && <span className="token-badge">{formatCount(tokens.output)} completion tokens</span>}
        </p>
      )}
      {evaluations.length > 0 ? (
        <table className="attr-table genai-eval-table" data-testid="span-detail-evaluations">
          <thead>
            <tr>
              <th>Evaluation</th>
              <th>Score</th>
              <th>Label</th>
            </tr>
          </thead>
          <tbody>
            {evaluations.map((e, i) => (
              <tr key={i} data-testid="span-detail-evaluation-row">
                <th title={e.source === 'log' ? 'from a log record' : 'from a span event'}>{e.name}</th>
                <td className="mono">{e.score ?? '—'}</td>
                <td>{e.label ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="hint small">{logs.data === null && logs.loading ? 'Reading evaluations…' : 'No evaluation results for this call.'}</p>
      )}
    </section>
  );
}
