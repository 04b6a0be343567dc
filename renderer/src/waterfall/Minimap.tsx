/**
 * The trace's overview on a canvas: every span as a thin bar (one pixel row per group of
 * spans), with the zoom window highlighted. Brushing selects the part of the trace the
 * waterfall shows; a double click shows the whole trace again. The spans are drawn once per
 * trace to an offscreen canvas of fixed resolution and scaled in, so brushing, or a resize
 * (the detail panel opening), only copies pixels, whatever the number of spans. That drawing
 * (200,000 rectangles, about 170 ms) is sliced work: the previous picture stays until the
 * new one is done, and scrolling goes on meanwhile.
 */
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import type { WaterfallRow } from './span-tree.js';
import { runSliced, type Sliced } from './sliced.js';
import { STATUS_CODE_ERROR } from '../../../shared/model/telemetry.js';
import { windowFromBrush, type ViewWindow } from './view-window.js';

const HEIGHT_PX = 44;
/** The offscreen layer's size: about one pixel per column of a wide screen, two per row. */
const LAYER_WIDTH_PX = 2048;
const LAYER_HEIGHT_PX = HEIGHT_PX * 2;

/** Every row as a bar on the layer, yielding every few thousand rows. */
function* drawSpans(ctx: CanvasRenderingContext2D, rows: WaterfallRow[], colors: ReadonlyMap<string, string>, traceDurationMs: number): Sliced<void> {
  const n = Math.max(rows.length, 1);
  const rowPx = Math.max(LAYER_HEIGHT_PX / n, 1);
  const x = (ms: number): number => (traceDurationMs > 0 ? (ms / traceDurationMs) * LAYER_WIDTH_PX : 0);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    ctx.fillStyle = colors.get(r.span.serviceName) ?? '#888';
    ctx.fillRect(x(r.offsetMs), (i / n) * LAYER_HEIGHT_PX, Math.max(x(r.span.durationMs), 1), rowPx);
    // An error keeps its service's colour, with a red edge on top.
    if (r.span.statusCode === STATUS_CODE_ERROR) {
      ctx.fillStyle = '#d64545';
      ctx.fillRect(x(r.offsetMs), (i / n) * LAYER_HEIGHT_PX, Math.max(x(r.span.durationMs), 1), Math.max(rowPx / 3, 1));
    }
    if ((i & 2047) === 2047) yield;
  }
}

export function Minimap({
  rows,
  colors,
  traceDurationMs,
  view,
  onZoom,
}: {
  rows: WaterfallRow[];
  colors: ReadonlyMap<string, string>;
  traceDurationMs: number;
  view: ViewWindow;
  onZoom: (view: ViewWindow | null) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [spansLayer, setSpansLayer] = useState<HTMLCanvasElement | null>(null);
  const [widthPx, setWidthPx] = useState(0);
  const [brush, setBrush] = useState<{ from: number; to: number } | null>(null);

  useEffect(() => {
    const el = canvas.current?.parentElement;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidthPx(el.clientWidth));
    ro.observe(el);
    setWidthPx(el.clientWidth);
    return () => ro.disconnect();
  }, []);

  // The spans, once per layout of the trace.
  useEffect(() => {
    const layer = document.createElement('canvas');
    layer.width = LAYER_WIDTH_PX;
    layer.height = LAYER_HEIGHT_PX;
    const ctx = layer.getContext('2d');
    if (!ctx) return;
    let live = true;
    void runSliced(drawSpans(ctx, rows, colors, traceDurationMs), () => live).then(() => live && setSpansLayer(layer));
    return () => void (live = false);
  }, [rows, colors, traceDurationMs]);

  // Spans plus the window (or the brush being drawn).
  useEffect(() => {
    const el = canvas.current;
    if (!el || widthPx === 0 || !spansLayer) return;
    const dpr = window.devicePixelRatio || 1;
    el.width = Math.round(widthPx * dpr);
    el.height = Math.round(HEIGHT_PX * dpr);
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.drawImage(spansLayer, 0, 0, el.width, el.height);
    ctx.scale(dpr, dpr);
    const [a, b] = brush ? [Math.min(brush.from, brush.to), Math.max(brush.from, brush.to)] : [view.startMs / traceDurationMs, view.endMs / traceDurationMs];
    if (a > 0 || b < 1 || brush) {
      ctx.fillStyle = 'rgba(120, 130, 150, 0.45)';
      ctx.fillRect(0, 0, a * widthPx, HEIGHT_PX);
      ctx.fillRect(b * widthPx, 0, widthPx - b * widthPx, HEIGHT_PX);
      ctx.strokeStyle = '#3b6fd8';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(a * widthPx, 0.75, Math.max((b - a) * widthPx, 1), HEIGHT_PX - 1.5);
    }
  }, [view, brush, widthPx, traceDurationMs, spansLayer]);

  const fraction = (e: PointerEvent<HTMLCanvasElement>): number => {
    const rect = e.currentTarget.getBoundingClientRect();
    return Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width));
  };
  return (
    <canvas
      ref={canvas}
      className="waterfall-minimap"
      style={{ width: '100%', height: HEIGHT_PX }}
      data-testid="waterfall-minimap-canvas"
      title="Drag to zoom into part of the trace; double-click to see all of it"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        const f = fraction(e);
        setBrush({ from: f, to: f });
      }}
      onPointerMove={(e) => brush && setBrush({ from: brush.from, to: fraction(e) })}
      onPointerUp={(e) => {
        if (!brush) return;
        const to = fraction(e);
        setBrush(null);
        if (Math.abs(to - brush.from) > 0.002) onZoom(windowFromBrush(brush.from, to, traceDurationMs));
      }}
      onDoubleClick={() => onZoom(null)}
    />
  );
}
