/**
 * Said under a graph without arrows (one service, or services that never call each other in
 * this range): what the boxes are, why nothing connects them, and where to go from here, since
 * a lone box on an empty canvas reads as a page that failed to load.
 */
import { formatCount, plural } from '../app/format.js';
import { href } from '../app/router.js';
import type { ServiceGraphNode } from '../../../shared/model/trace-compare.js';

export function NoCallsNote({ nodes, serviceLink }: { nodes: readonly ServiceGraphNode[]; serviceLink: (service: string) => string }) {
  const shown = [...nodes].sort((a, b) => b.spans - a.spans).slice(0, 8);
  return (
    <div className="services-no-calls" data-testid="services-no-calls">
      <p>
        {nodes.length === 1 ? (
          <>
            Every span here is in <strong>{nodes[0]!.service}</strong>: no span has a parent in another service, so there is no call between services to draw.
          </>
        ) : (
          <>These services never call one another in this range (no span has its parent in another service), so the graph has no arrows.</>
        )}{' '}
        The graph shows services as boxes and their calls to each other as arrows, with call counts, errors and p95.
      </p>
      <ul className="services-way-on">
        {shown.map((n) => (
          <li key={n.service}>
            <a href={href(serviceLink(n.service))} data-testid="services-no-calls-link">
              The traces of {n.service}
            </a>{' '}
            <span className="hint">
              ({plural(n.spans, 'span')}
              {n.errors > 0 ? `, ${formatCount(n.errors)} with errors` : ''}): sort them by duration, open one for its waterfall, or compare the slow with the
              fast.
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
