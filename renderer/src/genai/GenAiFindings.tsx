/**
 * Drift findings of a GenAI group's model (presentational): the quality signals that drifted
 * (`quality:truncated`, `quality:eval.groundedness`…), when, and the top cause, each with a
 * link to the finding on the Models page where its causes and counterfactual are shown.
 */
import type { Finding } from '../../../shared/model/analysis.js';
import { QUALITY_SIGNAL_PREFIX } from '../../../shared/model/genai.js';
import { formatPeriod } from '../app/format.js';

interface Props {
  findings: Finding[] | null;
  error: string | null;
  /** The Models page's link for the i-th finding. */
  modelsHref: (index: number) => string;
}

const signalName = (s: string): string => (s.startsWith(QUALITY_SIGNAL_PREFIX) ? s.slice(QUALITY_SIGNAL_PREFIX.length) : s);

export function GenAiFindings({ findings, error, modelsHref }: Props) {
  if (error)
    return (
      <p className="hint small" data-testid="genai-findings-error">
        Drift was not checked: {error}
      </p>
    );
  if (findings === null)
    return (
      <p className="hint small" data-testid="genai-findings-loading">
        Looking for drift in this model’s quality…
      </p>
    );
  if (findings.length === 0)
    return (
      <p className="hint small" data-testid="genai-no-findings">
        No drift in this model’s quality signals.
      </p>
    );
  return (
    <ul className="genai-findings" data-testid="genai-findings">
      {findings.map((f, i) => {
        const cause = f.causes.find((c) => c.role === 'root') ?? f.causes[0];
        return (
          <li key={f.start} className="genai-finding" data-testid="genai-finding">
            <span className="badge badge-drift">drift</span> <strong>{formatPeriod(Date.parse(f.start), Date.parse(f.end))}</strong>:{' '}
            {f.signals
              .slice(0, 4)
              .map((s) => signalName(s.signal))
              .join(', ')}
            {cause ? (
              <>
                {' '}
                · cause: {cause.kind} <span className="mono">{cause.factor}</span>
              </>
            ) : (
              ' · no infrastructure cause'
            )}{' '}
            <a href={modelsHref(i)} data-testid="genai-finding-link">
              Explain on Models →
            </a>
          </li>
        );
      })}
    </ul>
  );
}
