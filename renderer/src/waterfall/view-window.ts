/**
 * The waterfall's view window: the part of the trace shown, as offsets from the trace's start
 * (ms). One time→percent mapping for bars, ticks, event markers and metric lanes; the URL form
 * (?zoom=from-to) so a zoomed view can be linked. Pure.
 */
export interface ViewWindow {
  startMs: number;
  endMs: number;
}

export function fullWindow(traceDurationMs: number): ViewWindow {
  return { startMs: 0, endMs: traceDurationMs };
}

/** Percent of the timeline column at which an offset lies (outside 0–100 when outside the window). */
export function toViewPercent(offsetMs: number, view: ViewWindow): number {
  const span = view.endMs - view.startMs;
  return span > 0 ? ((offsetMs - view.startMs) / span) * 100 : 0;
}

/** A bar from offset to offset + duration, clipped to the window; null when wholly outside. */
export function barGeometry(offsetMs: number, durationMs: number, view: ViewWindow): { leftPct: number; widthPct: number } | null {
  const a = toViewPercent(offsetMs, view);
  const b = toViewPercent(offsetMs + durationMs, view);
  if (b < 0 || a > 100) return null;
  const left = Math.max(0, a);
  return { leftPct: left, widthPct: Math.max(Math.min(100, b) - left, 0.2) };
}

/** Reads ?zoom=from-to (ms offsets), kept inside the trace; null for the whole trace. */
export function readZoom(param: string | null, traceDurationMs: number): ViewWindow | null {
  const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(param ?? '');
  if (!m) return null;
  const startMs = Math.max(0, Number(m[1]));
  const endMs = Math.min(traceDurationMs, Number(m[2]));
  return endMs > startMs ? { startMs, endMs } : null;
}

export function zoomParam(view: ViewWindow): string {
  const r = (x: number): string => String(Math.round(x * 1000) / 1000);
  return `${r(view.startMs)}-${r(view.endMs)}`;
}

/** The window for a brush from fraction a to b of the whole trace (order-free), at least 0.1% wide. */
export function windowFromBrush(a: number, b: number, traceDurationMs: number): ViewWindow {
  const lo = Math.max(0, Math.min(a, b));
  const hi = Math.min(1, Math.max(a, b));
  const minWidth = 0.001;
  const mid = (lo + hi) / 2;
  const [s, e] = hi - lo >= minWidth ? [lo, hi] : [Math.max(0, mid - minWidth / 2), Math.min(1, mid + minWidth / 2)];
  return { startMs: s * traceDurationMs, endMs: e * traceDurationMs };
}
