/** Inline SVG charts for reports: no script, no external asset, prints as vectors. */
import type { Cause, Finding, ModelTimeline } from '../../../shared/model/analysis.js';
import type { ExemplarTrace } from '../../../shared/model/report.js';

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const W = 720;
const LEFT = 44;
// Room on both sides for a centred time label at either end of the axis.
const RIGHT = W - 24;

function xScale(t: ModelTimeline): (ms: number) => number {
  const t0 = t.windows[0]?.startMs ?? 0;
  const t1 = t.windows[t.windows.length - 1]?.endMs ?? 1;
  return (ms) => LEFT + ((ms - t0) / Math.max(1, t1 - t0)) * (RIGHT - LEFT);
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

function axis(t: ModelTimeline, x: (ms: number) => number, y: number): string {
  const n = Math.min(6, t.windows.length);
  let out = '';
  for (let k = 0; k <= n; k++) {
    const ms = t.windows[0]!.startMs + (k / n) * (t.windows[t.windows.length - 1]!.endMs - t.windows[0]!.startMs);
    out += `<text x="${x(ms).toFixed(1)}" y="${y}" font-size="9" text-anchor="middle" fill="#5d6778">${clock(ms)}</text>`;
  }
  return out;
}

/** The headline signal's (the score's) p10–p90 band and median per window, baseline shaded grey, findings shaded red. */
export function scoreTimelineSvg(t: ModelTimeline, findings: Finding[]): string {
  const H = 150;
  const x = xScale(t);
  const scored = t.windows.filter((w) => w.scoreQuantiles);
  if (scored.length === 0) return '';
  const lo = Math.min(0, ...scored.map((w) => w.scoreQuantiles![0]));
  const hi = Math.max(1, ...scored.map((w) => w.scoreQuantiles![2]));
  const y = (v: number): number => 10 + (1 - (v - lo) / (hi - lo)) * (H - 30);
  const mid = (w: (typeof scored)[number]): number => x((w.startMs + w.endMs) / 2);
  const band =
    scored.map((w) => `${mid(w).toFixed(1)},${y(w.scoreQuantiles![2]).toFixed(1)}`).join(' ') +
    ' ' +
    [...scored]
      .reverse()
      .map((w) => `${mid(w).toFixed(1)},${y(w.scoreQuantiles![0]).toFixed(1)}`)
      .join(' ');
  const median = scored.map((w) => `${mid(w).toFixed(1)},${y(w.scoreQuantiles![1]).toFixed(1)}`).join(' ');
  const shade = findings
    .map(
      (f) =>
        `<rect x="${x(Date.parse(f.start)).toFixed(1)}" y="6" width="${Math.max(2, x(Date.parse(f.end)) - x(Date.parse(f.start))).toFixed(1)}" height="${H - 22}" fill="#d64545" fill-opacity="0.12" stroke="#d64545" stroke-dasharray="3 3"/>`,
    )
    .join('');
  // A language model has no score: its headline is an evaluation score or its response length.
  const label = t.headline === 'score' ? 'Score' : t.headline.replace(/^quality:/, '');
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(label)} over time for ${esc(t.model)}">
<text x="${W - 4}" y="16" font-size="9" fill="#5d6778" text-anchor="end">${esc(label)} · p10–p90 and median</text>
<rect x="${x(t.baseline.startMs).toFixed(1)}" y="6" width="${Math.max(0, x(t.baseline.endMs) - x(t.baseline.startMs)).toFixed(1)}" height="${H - 22}" fill="#7f8c8d" fill-opacity="0.15"/>
<text x="${(x(t.baseline.startMs) + 3).toFixed(1)}" y="16" font-size="9" fill="#5d6778">baseline</text>
${shade}
<text x="4" y="${y(hi) + 4}" font-size="9" fill="#5d6778">${hi.toFixed(1)}</text><text x="4" y="${y(lo) + 4}" font-size="9" fill="#5d6778">${lo.toFixed(1)}</text>
<polygon points="${band}" fill="#3b6fd8" fill-opacity="0.25"/>
<polyline points="${median}" fill="none" stroke="#3b6fd8" stroke-width="1.6"/>
${axis(t, x, H - 4)}
</svg>`;
}

/** The drift of the primary signal and the cause's hit rate on one time axis. */
export function causeSvg(t: ModelTimeline, c: Cause): string {
  const H = 120;
  const x = xScale(t);
  const primary = c.evidence.primarySignal.replace(/ \(.*\)$/, '');
  const drift = t.windows.map((w) => w.driftRatio[primary] ?? 0);
  const dMax = Math.max(1.2, ...drift);
  const fMax = Math.max(0.05, ...c.evidence.hitRateSeries);
  const mid = (k: number): number => x((t.windows[k]!.startMs + t.windows[k]!.endMs) / 2);
  const yd = (v: number): number => 28 + (1 - v / dMax) * (H - 48);
  const yf = (v: number): number => 28 + (1 - v / fMax) * (H - 48);
  const dl = drift.map((v, k) => `${mid(k).toFixed(1)},${yd(v).toFixed(1)}`).join(' ');
  const fl = c.evidence.hitRateSeries.map((v, k) => `${mid(k).toFixed(1)},${yf(v).toFixed(1)}`).join(' ');
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Drift and ${esc(c.factor)} over time">
<line x1="${LEFT}" x2="${RIGHT}" y1="${yd(1).toFixed(1)}" y2="${yd(1).toFixed(1)}" stroke="#d64545" stroke-dasharray="4 3" stroke-opacity="0.5"/>
<polyline points="${dl}" fill="none" stroke="#d64545" stroke-width="1.6"/>
<polyline points="${fl}" fill="none" stroke="#e08a1e" stroke-width="1.6" stroke-dasharray="5 2"/>
<text x="${LEFT}" y="12" font-size="10" fill="#d64545">— drift of ${esc(c.evidence.primarySignal)} (1 = threshold)</text>
<text x="${LEFT}" y="24" font-size="10" fill="#e08a1e">- - ${esc(c.factor)}: share of requests hit</text>
${axis(t, x, H - 4)}
</svg>`;
}

export function counterfactualSvg(c: Cause): string {
  const max = Math.max(c.evidence.driftBefore, c.evidence.driftAfter, 1e-9);
  const bar = (v: number): number => (v / max) * 420;
  return `<svg viewBox="0 0 ${W} 46" width="100%" role="img" aria-label="Counterfactual">
<text x="0" y="14" font-size="10" fill="#5d6778">all requests</text><rect x="150" y="5" width="${bar(c.evidence.driftBefore).toFixed(1)}" height="12" fill="#d64545"/><text x="${(156 + bar(c.evidence.driftBefore)).toFixed(1)}" y="15" font-size="10">${c.evidence.driftBefore.toFixed(3)}</text>
<text x="0" y="37" font-size="10" fill="#5d6778">without hit requests</text><rect x="150" y="28" width="${Math.max(1, bar(c.evidence.driftAfter)).toFixed(1)}" height="12" fill="#2e9d55"/><text x="${(156 + bar(c.evidence.driftAfter)).toFixed(1)}" y="38" font-size="10">${c.evidence.driftAfter.toFixed(3)}</text>
</svg>`;
}

/** A small waterfall picture of an exemplar trace. */
export function waterfallSvg(e: ExemplarTrace): string {
  const rowH = 16;
  const H = e.spans.length * rowH + 8;
  const end = Math.max(...e.spans.map((s) => s.startMs + s.durationMs), 1e-6);
  const x0 = 260;
  const x = (ms: number): number => x0 + (ms / end) * (RIGHT - x0);
  const rows = e.spans
    .map((s, i) => {
      const y = 4 + i * rowH;
      return `<text x="${4 + s.depth * 10}" y="${y + 11}" font-size="10" fill="#1d2330">${esc(s.name.slice(0, 34))}</text>
<rect x="${x(s.startMs).toFixed(1)}" y="${y + 2}" width="${Math.max(1.5, x(s.startMs + s.durationMs) - x(s.startMs)).toFixed(1)}" height="${rowH - 5}" fill="${s.error ? '#d64545' : '#3b6fd8'}" fill-opacity="0.85"/>
<text x="${Math.min(RIGHT - 60, x(s.startMs + s.durationMs) + 3).toFixed(1)}" y="${y + 11}" font-size="9" fill="#5d6778">${s.durationMs.toFixed(1)} ms</text>`;
    })
    .join('\n');
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Waterfall of trace ${e.traceId}">${rows}</svg>`;
}
