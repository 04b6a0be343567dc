/**
 * The service dependency graph (/services): services as boxes in call order, calls as arrows
 * labelled with call count, error rate and p95; clicking an edge searches the traces with
 * those calls, clicking a service searches its traces. Dataset and time range are in the URL.
 */
import { useMemo } from 'react';
import { useApi } from '../app/ApiContext.js';
import { navigate } from '../app/router.js';
import { formatCount, formatDurationMs, plural } from '../app/format.js';
import type { ServiceGraphEdge } from '../../../shared/model/trace-compare.js';
import { useQuery } from '../app/use-query.js';
import { listParams, readListState } from '../traces/trace-search-url.js';
import { useDataContext } from '../app/DataContextProvider.js';
import { contextRequest, hasTimeRange } from '../app/data-context.js';
import { layoutServiceGraph, NODE_HEIGHT_PX, NODE_WIDTH_PX, type PlacedNode } from './graph-layout.js';
import { servicePalette } from '../waterfall/service-color.js';
import { NoCallsNote } from './NoCallsNote.js';

function edgePath(from: PlacedNode, to: PlacedNode): string {
  const x1 = from.xPx + NODE_WIDTH_PX;
  const y1 = from.yPx + NODE_HEIGHT_PX / 2;
  const x2 = to.xPx;
  const y2 = to.yPx + NODE_HEIGHT_PX / 2;
  if (x2 > x1) {
    const mid = (x1 + x2) / 2;
    return `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
  }
  // A call back to an earlier column (a cycle): loop below both boxes.
  const below = Math.max(from.yPx, to.yPx) + NODE_HEIGHT_PX + 26;
  return `M${from.xPx + NODE_WIDTH_PX / 2},${from.yPx + NODE_HEIGHT_PX} C${from.xPx + NODE_WIDTH_PX / 2},${below} ${to.xPx + NODE_WIDTH_PX / 2},${below} ${to.xPx + NODE_WIDTH_PX / 2},${to.yPx + NODE_HEIGHT_PX}`;
}

const errorRate = (e: ServiceGraphEdge): number => (e.calls ? e.errors / e.calls : 0);

export function ServicesPage() {
  const api = useApi();
  const { context, contextKey, dataset, link } = useDataContext();
  const { data: graph, error } = useQuery(contextKey, () => api.serviceGraph(contextRequest(context)), { live: true });

  const layout = useMemo(() => (graph ? layoutServiceGraph(graph) : null), [graph]);
  if (error) return <div className="error-banner">Cannot load the service graph: {error}</div>;
  if (!graph || !layout) return <div className="loading">Loading…</div>;
  const placed = new Map(layout.nodes.map((n) => [n.service, n]));
  const colors = servicePalette(layout.nodes.map((n) => n.service));
  const listBase = readListState('');
  const maxCalls = Math.max(1, ...graph.edges.map((e) => e.calls));

  return (
    <section className="services-page">
      <div className="toolbar">
        <span className="hint" data-testid="services-summary-label">
          {plural(graph.nodes.length, 'service')} · {plural(graph.edges.length, 'call path')} · from{' '}
          {graph.truncated ? `the newest ${formatCount(graph.traces)}` : plural(graph.traces, 'trace')}
        </span>
      </div>
      {graph.nodes.length === 0 ? (
        <div className="empty-state" data-testid="services-empty-state">
          <h2>
            No services {dataset ? `in ${dataset.name}` : 'yet'}
            {hasTimeRange(context) ? ' in this time range' : ''}
          </h2>
          <p>
            Send traces to the OTLP receiver or open a trace archive; services and the calls between them appear here. Choose another dataset or time range
            above to see other data.
          </p>
        </div>
      ) : (
        <div className="service-graph-scroll">
          <svg
            className="service-graph"
            width={layout.widthPx}
            height={layout.heightPx}
            data-testid="services-graph-svg"
            role="img"
            aria-label="Service dependency graph"
          >
            <defs>
              <marker
                id="arrow"
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="9"
                markerHeight="9"
                markerUnits="userSpaceOnUse"
                orient="auto-start-reverse"
              >
                <path d="M0,0 L10,5 L0,10 z" className="edge-arrow" />
              </marker>
            </defs>
            {graph.edges.map((e) => {
              const from = placed.get(e.parent);
              const to = placed.get(e.child);
              if (!from || !to) return null;
              const d = edgePath(from, to);
              const rate = errorRate(e);
              const mx = (from.xPx + NODE_WIDTH_PX + to.xPx) / 2;
              const my = to.xPx > from.xPx ? (from.yPx + to.yPx) / 2 + NODE_HEIGHT_PX / 2 - 9 : Math.max(from.yPx, to.yPx) + NODE_HEIGHT_PX + 22;
              const open = (): void => navigate(link('/', listParams({ ...listBase, call: `${e.parent}>${e.child}` })));
              return (
                <g
                  key={`${e.parent}>${e.child}`}
                  className={`graph-edge ${rate > 0 ? 'has-errors' : ''}`}
                  data-testid="services-edge"
                  data-edge={`${e.parent}>${e.child}`}
                  onClick={open}
                >
                  <title>{`${e.parent} → ${e.child}: ${e.calls} calls, ${(rate * 100).toFixed(1)}% errors, p50 ${formatDurationMs(e.p50Ms)}, p95 ${formatDurationMs(e.p95Ms)}. Click to see these traces.`}</title>
                  <path d={d} className="edge-hit" />
                  <path d={d} className="edge-line" strokeWidth={1.2 + 3 * Math.sqrt(e.calls / maxCalls)} markerEnd="url(#arrow)" />
                  <text
                    x={to.xPx > from.xPx ? mx : (from.xPx + to.xPx + NODE_WIDTH_PX) / 2}
                    y={my}
                    className="edge-label"
                    textAnchor="middle"
                    data-testid="services-edge-label"
                  >
                    {formatCount(e.calls)} calls · {(rate * 100).toFixed(rate > 0 && rate < 0.01 ? 2 : 0)}% err · p95 {formatDurationMs(e.p95Ms)}
                  </text>
                </g>
              );
            })}
            {layout.nodes.map((n) => {
              const node = graph.nodes.find((x) => x.service === n.service)!;
              return (
                <g
                  key={n.service}
                  className="graph-node"
                  data-testid="services-node"
                  data-service={n.service}
                  transform={`translate(${n.xPx},${n.yPx})`}
                  onClick={() => navigate(link('/', listParams({ ...listBase, service: n.service })))}
                >
                  <title>{`${n.service}: ${node.spans} spans, ${node.errors} errors. Click to see its traces.`}</title>
                  <rect width={NODE_WIDTH_PX} height={NODE_HEIGHT_PX} rx={6} className={node.errors > 0 ? 'node-box has-errors' : 'node-box'} />
                  <rect width={5} height={NODE_HEIGHT_PX} rx={2} fill={colors.get(n.service)} />
                  <text x={14} y={18} className="node-name">
                    {n.service.length > 22 ? `${n.service.slice(0, 21)}…` : n.service}
                  </text>
                  <text x={14} y={34} className="node-meta">
                    {plural(node.spans, 'span')}
                    {node.errors > 0 ? ` · ${node.errors} err` : ''}
                  </text>
                </g>
              );
            })}
          </svg>
        </div>
      )}
      {graph.nodes.length > 0 && graph.edges.length === 0 ? (
        <NoCallsNote nodes={graph.nodes} serviceLink={(service) => link('/', listParams({ ...listBase, service }))} />
      ) : (
        <p className="hint">
          Arrows point from caller to callee (a span whose parent is in another service); thicker arrows carry more calls, red ones had errors. Click an arrow
          for the traces with those calls.
        </p>
      )}
    </section>
  );
}
