/**
 * A GenAI group in figures (presentational): calls and rate, latency, time to first token,
 * generation speed, tokens, finish reasons with the truncated and refused shares, evaluation
 * means and labels, and retrieval; each figure with example traces where the core keeps them.
 */
import type { ReactNode } from 'react';
import type { GenAiExemplar, GenAiGroup } from '../../../shared/model/genai.js';
import { formatCount } from '../app/format.js';
import { ExemplarLinks } from './ExemplarLinks.js';
import { formatDocuments, formatMs, formatPair, formatPerMinute, formatScore, formatShare, formatTokens, formatTokensPerSecond } from './genai-format.js';

function Stat({ id, label, value, children }: { id: string; label: string; value: ReactNode; children?: ReactNode }) {
  return (
    <div className="genai-stat" data-testid={`genai-stat-${id}`}>
      <div className="genai-stat-label">{label}</div>
      <div className="genai-stat-value">{value}</div>
      {children && <div className="genai-stat-more small">{children}</div>}
    </div>
  );
}

export function GenAiSummary({ group, tracesHref }: { group: GenAiGroup; tracesHref: string }) {
  const g = group;
  const ex = g.exemplars;
  const ds = g.datasetId;
  const ms = (e: GenAiExemplar): string => formatMs(Number(e.value));
  const reasons = g.finishReasons.reduce((n, r) => n + r.calls, 0);
  return (
    <div className="genai-stats" data-testid="genai-summary">
      <Stat id="calls" label="Calls" value={`${formatCount(g.calls)} · ${formatPerMinute(g.callsPerMinute)}`}>
        <span className="hint">{g.services.join(', ')}</span> · <a href={tracesHref}>traces</a>
      </Stat>
      <Stat id="latency" label="Latency" value={formatPair(g.latencyMs, formatMs)}>
        <ExemplarLinks label="slowest" kind="slowest" exemplars={ex.slowest} datasetId={ds} format={ms} />
      </Stat>
      {g.timeToFirstTokenMs.p50 !== null && <Stat id="ttft" label="Time to first token" value={formatPair(g.timeToFirstTokenMs, formatMs)} />}
      {g.outputTokensPerSecond.p50 !== null && <Stat id="speed" label="Output tokens/s" value={formatPair(g.outputTokensPerSecond, formatTokensPerSecond)} />}
      {(g.inputTokens || g.outputTokens) && (
        <Stat
          id="tokens"
          label="Tokens in / out"
          value={`${g.inputTokens ? formatTokens(g.inputTokens.mean) : '—'} / ${g.outputTokens ? formatTokens(g.outputTokens.mean) : '—'} per call`}
        >
          <span className="hint">
            total {g.inputTokens ? formatTokens(g.inputTokens.total) : '—'} / {g.outputTokens ? formatTokens(g.outputTokens.total) : '—'}
          </span>
        </Stat>
      )}
      {reasons > 0 && (
        <Stat
          id="finish"
          label="Finish reasons"
          value={
            <>
              truncated <span className={g.truncatedShare ? 'error-text' : ''}>{formatShare(g.truncatedShare ?? 0)}</span> · refused{' '}
              <span className={g.refusedShare ? 'error-text' : ''}>{formatShare(g.refusedShare ?? 0)}</span>
            </>
          }
        >
          <span className="hint">{g.finishReasons.map((r) => `${r.reason} ${formatShare(r.calls / reasons)}`).join(', ')}</span>
          <br />
          <ExemplarLinks label="cut" kind="truncated" exemplars={ex.truncated} datasetId={ds} format={(e) => `${e.value} tokens`} />{' '}
          <ExemplarLinks label="refused" kind="refused" exemplars={ex.refused} datasetId={ds} format={(e) => String(e.value)} />
        </Stat>
      )}
      {g.evaluations.map((e) => (
        <Stat key={e.name} id={`eval-${e.name}`} label={`Evaluation: ${e.name}`} value={e.mean === null ? '—' : `mean ${formatScore(e.mean)}`}>
          <span className="hint">
            {formatCount(e.count)} scored
            {e.labels.length > 0 && ` · ${e.labels.map((l) => `${l.label} ${formatShare(l.count / e.count)}`).join(', ')}`}
          </span>
          <br />
          <ExemplarLinks
            label="lowest"
            kind={`eval-${e.name}`}
            exemplars={ex.lowestEvaluation.filter((x) => x.evaluation === e.name)}
            datasetId={ds}
            format={(x) => formatScore(Number(x.value))}
          />
        </Stat>
      ))}
      {g.retrieval && (
        <Stat id="retrieval" label="Retrieval" value={`${formatDocuments(g.retrieval.documentsMean)} documents · empty ${formatShare(g.retrieval.emptyShare)}`}>
          <span className="hint">
            {formatCount(g.retrieval.requests)} requests · latency {formatPair(g.retrieval.latencyMs, formatMs)}
          </span>
          <br />
          <ExemplarLinks label="empty" kind="empty" exemplars={ex.emptyRetrieval} datasetId={ds} format={() => 'no documents'} />
        </Stat>
      )}
    </div>
  );
}
