/**
 * The waterfall, virtualized: only the rows in view plus a buffer exist in the DOM, each
 * absolutely placed on a spacer as tall as all visible rows, so a 200,000-span trace scrolls
 * like a 20-span one. Row states (collapsed subtrees, search matches, the filter) come from
 * row-states.ts, memoized; the critical path from critical-path.ts. Keyboard: ↑/↓ or k/j move,
 * Enter toggles, ←/→ collapse/expand, / searches, Esc clears.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { STATUS_CODE_ERROR } from '../../../shared/model/telemetry.js';
import { formatCount, formatDurationMs } from '../app/format.js';
import type { TraceLayout } from './trace-layout.js';
import { searchText, visibleRows } from './row-states.js';
import { servicePalette } from './service-color.js';
import { Minimap } from './Minimap.js';
import { barGeometry, toViewPercent, type ViewWindow } from './view-window.js';

interface Props {
  /** Rows, critical path, parents and services, made when the spans arrived (trace-layout.ts). */
  layout: TraceLayout;
  traceDurationMs: number;
  /** The part of the trace shown (offsets from its start); the minimap's brush sets it. */
  view: ViewWindow;
  onZoom: (view: ViewWindow | null) => void;
  /** The in-trace search (held by the page, which also asks the core for outline spans). */
  query: string;
  onQuery: (query: string) => void;
  /** Spans the core matched for `query`, beyond what the UI's own text holds. */
  extraMatches: ReadonlySet<string>;
  selectedSpanId: string | null;
  onSelect: (spanId: string | null) => void;
}

export const ROW_HEIGHT_PX = 26;
const BUFFER_ROWS = 15;

export function Waterfall({ layout, traceDurationMs, view, onZoom, query, onQuery: setQuery, extraMatches, selectedSpanId, onSelect }: Props) {
  const { rows, critical, parentIds } = layout;
  const zoomed = view.startMs > 0 || view.endMs < traceDurationMs;
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState(false);
  const [showCritical, setShowCritical] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportPx, setViewportPx] = useState(600);
  const scroller = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const frame = useRef(0);

  // The search texts are made on the first keystroke, not with the rows (90 ms at 200k spans).
  const searching = query.trim() !== '';
  const texts = useMemo(() => (searching ? rows.map(searchText) : undefined), [rows, searching]);
  const colors = useMemo(() => servicePalette(layout.services), [layout.services]);
  const visible = useMemo(() => visibleRows(rows, collapsed, query, filter, texts, extraMatches), [rows, collapsed, query, filter, texts, extraMatches]);
  const matchCount = useMemo(() => (query.trim() ? visible.filter((v) => v.match).length : 0), [visible, query]);
  // "Collapse all" also holds for parents whose spans arrive later (pages of a huge trace):
  // the parents seen when it was clicked (or at the last layout since) are kept while it holds.
  const collapseAll = useRef(false);
  const seenParents = useRef<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (!collapseAll.current) return;
    const added = parentIds.filter((id) => !seenParents.current.has(id));
    if (added.length) setCollapsed((prev) => new Set([...prev, ...added]));
    seenParents.current = new Set(parentIds);
  }, [parentIds]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewportPx(el.clientHeight));
    ro.observe(el);
    setViewportPx(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  const onScroll = (): void => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setScrollTop(scroller.current?.scrollTop ?? 0));
  };

  const reveal = (position: number): void => {
    const el = scroller.current;
    if (!el) return;
    const top = position * ROW_HEIGHT_PX;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT_PX > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT_PX - el.clientHeight;
  };

  const toggle = (spanId: string, open?: boolean): void => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      const isCollapsed = next.has(spanId);
      if (open === true || (open === undefined && isCollapsed)) next.delete(spanId);
      else next.add(spanId);
      return next;
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.target instanceof HTMLInputElement) {
      if (e.key === 'Escape') {
        setQuery('');
        scroller.current?.focus();
      }
      return;
    }
    // A scan per key press rather than a map of every visible row by span ID per layout.
    const at = selectedSpanId !== null ? visible.findIndex((v) => v.row.span.spanId === selectedSpanId) : -1;
    const move = (to: number): void => {
      const v = visible[Math.max(0, Math.min(visible.length - 1, to))];
      if (!v) return;
      onSelect(v.row.span.spanId);
      reveal(Math.max(0, Math.min(visible.length - 1, to)));
    };
    const current = at >= 0 ? visible[at] : undefined;
    if (e.key === 'ArrowDown' || e.key === 'j') move(at + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') move(Math.max(at - 1, 0));
    else if (e.key === 'Enter' && current && current.row.childCount > 0) toggle(current.row.span.spanId);
    else if (e.key === 'ArrowLeft' && current && current.row.childCount > 0) toggle(current.row.span.spanId, false);
    else if (e.key === 'ArrowRight' && current && current.row.childCount > 0) toggle(current.row.span.spanId, true);
    else if (e.key === '/') search.current?.focus();
    else if (e.key === 'Escape') {
      if (query) setQuery('');
      else onSelect(null);
    } else return;
    e.preventDefault();
  };

  // The scroll offset kept inside the content: when rows vanish (collapse all, a filter) the
  // browser clamps scrollTop too, but its scroll event comes a frame later; without this the
  // window would lie past the last row for that frame and draw nothing.
  const top = Math.min(scrollTop, Math.max(0, visible.length * ROW_HEIGHT_PX - viewportPx));
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT_PX) - BUFFER_ROWS);
  const last = Math.min(visible.length, Math.ceil((top + viewportPx) / ROW_HEIGHT_PX) + BUFFER_ROWS);
  const ticks = [0, 0.25, 0.5, 0.75, 1];

  return (
    <div className="waterfall" data-testid="waterfall-container" onKeyDown={onKeyDown}>
      <div className="waterfall-toolbar">
        <input
          ref={search}
          className="waterfall-search"
          placeholder="Search spans (/)"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="waterfall-search-input"
        />
        {query.trim() && (
          <span className="hint" data-testid="waterfall-search-count">
            {matchCount} of {rows.length} spans
          </span>
        )}
        <label>
          <input type="checkbox" checked={filter} onChange={(e) => setFilter(e.target.checked)} data-testid="waterfall-filter-toggle" /> only matches
        </label>
        <label>
          <input type="checkbox" checked={showCritical} onChange={(e) => setShowCritical(e.target.checked)} data-testid="waterfall-critical-toggle" /> critical
          path
        </label>
        <button
          onClick={() => ((collapseAll.current = true), (seenParents.current = new Set(parentIds)), setCollapsed(new Set(parentIds)))}
          data-testid="waterfall-collapse-all"
        >
          Collapse all
        </button>
        <button onClick={() => ((collapseAll.current = false), setCollapsed(new Set()))} data-testid="waterfall-expand-all">
          Expand all
        </button>
        <span className="hint">
          {formatCount(visible.length)} of {formatCount(rows.length)} rows
        </span>
      </div>
      <div className="waterfall-minimap-row">
        <div className="waterfall-label-col">
          Overview
          {zoomed && (
            <button className="zoom-reset" onClick={() => onZoom(null)} data-testid="waterfall-zoom-reset-button">
              Show all
            </button>
          )}
        </div>
        <div className="waterfall-timeline-col">
          <Minimap rows={rows} colors={colors} traceDurationMs={traceDurationMs} view={view} onZoom={onZoom} />
        </div>
      </div>
      <div className="waterfall-ruler" data-testid="waterfall-ruler">
        <div className="waterfall-label-col">Service · operation</div>
        <div className="waterfall-timeline-col">
          {ticks.map((t) => (
            <span key={t} className="tick" style={{ left: `${t * 100}%` }} data-testid="waterfall-ruler-tick">
              {formatDurationMs(view.startMs + t * (view.endMs - view.startMs))}
            </span>
          ))}
        </div>
      </div>
      <div className="waterfall-scroll" ref={scroller} onScroll={onScroll} tabIndex={0} data-testid="waterfall-scroll">
        <div style={{ height: visible.length * ROW_HEIGHT_PX, position: 'relative' }}>
          {visible.slice(first, last).map((v, k) => {
            const { span, depth, offsetMs, childCount } = v.row;
            const isError = span.statusCode === STATUS_CODE_ERROR;
            const onCritical = showCritical && critical[v.index] === 1;
            const bar = barGeometry(offsetMs, span.durationMs, view);
            const left = bar?.leftPct ?? 0;
            const width = bar?.widthPct ?? 0;
            return (
              <div
                key={span.spanId}
                className={`waterfall-row${span.spanId === selectedSpanId ? ' selected' : ''}${isError ? ' error' : ''}${v.match ? ' match' : ''}${onCritical ? ' critical' : ''}`}
                style={{ position: 'absolute', top: (first + k) * ROW_HEIGHT_PX, left: 0, right: 0 }}
                data-testid="waterfall-span-row"
                data-span-id={span.spanId}
                data-critical={onCritical ? 'true' : undefined}
                onClick={() => onSelect(span.spanId)}
              >
                <div className="waterfall-label-col" style={{ paddingLeft: `${4 + depth * 14}px` }} title={`${span.serviceName} ${span.name}`}>
                  {childCount > 0 ? (
                    <button
                      className="row-toggle"
                      onClick={(e) => (e.stopPropagation(), toggle(span.spanId))}
                      data-testid="waterfall-row-toggle"
                      aria-label={v.collapsed ? 'expand' : 'collapse'}
                    >
                      {v.collapsed ? '▸' : '▾'}
                    </button>
                  ) : (
                    <span className="row-toggle-space" />
                  )}
                  <span className="service-swatch" style={{ background: colors.get(span.serviceName) }} />
                  <span className="service-name">{span.serviceName}</span> <span className="span-name">{span.name}</span>
                  {v.collapsed && <span className="hint small"> +{childCount}</span>}
                </div>
                <div className="waterfall-timeline-col">
                  {bar && (
                    <div
                      className={isError ? 'span-bar error' : 'span-bar'}
                      style={{ left: `${left}%`, width: `${width}%`, background: colors.get(span.serviceName) }}
                    />
                  )}
                  {span.events.map((e, i) => {
                    const at = toViewPercent(offsetMs + (e.timeMs - span.startTimeMs), view);
                    return at >= 0 && at <= 100 ? (
                      <span key={i} className="event-marker" title={e.name} style={{ left: `${at}%` }} data-testid="waterfall-event-marker" />
                    ) : null;
                  })}
                  {!bar ? null : left + width <= 88 ? (
                    <span className="span-duration" style={{ left: `calc(${left + width}% + 4px)` }}>
                      {formatDurationMs(span.durationMs)}
                    </span>
                  ) : (
                    <span className="span-duration inside" style={{ right: `calc(${100 - left - width}% + 4px)` }}>
                      {formatDurationMs(span.durationMs)}
                    </span>
                  )}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
