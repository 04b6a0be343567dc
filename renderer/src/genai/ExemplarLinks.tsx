/** Example traces of one statistic (presentational): each opens the trace page in its dataset. */
import type { GenAiExemplar } from '../../../shared/model/genai.js';
import { formatTimestamp } from '../app/format.js';
import { traceLink } from '../app/links.js';
import { href } from '../app/router.js';

interface Props {
  /** What the examples are ("slowest", "cut"). */
  label: string;
  exemplars: GenAiExemplar[];
  datasetId: number;
  format: (e: GenAiExemplar) => string;
  kind: string;
  max?: number;
}

export function ExemplarLinks({ label, exemplars, datasetId, format, kind, max = 3 }: Props) {
  if (exemplars.length === 0) return null;
  return (
    <span className="genai-exemplars" data-testid={`genai-exemplars-${kind}`}>
      {label}:{' '}
      {exemplars.slice(0, max).map((e, i) => (
        <span key={`${e.traceId}${i}`}>
          {i > 0 && ', '}
          <a
            href={href(traceLink(e.traceId, datasetId))}
            title={`Trace ${e.traceId} at ${formatTimestamp(e.timeMs)}`}
            data-testid="genai-exemplar-link"
            data-kind={kind}
          >
            {format(e)}
          </a>
        </span>
      ))}
    </span>
  );
}
