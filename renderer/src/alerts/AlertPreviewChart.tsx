/** A rule's value over the stored data, its threshold, and where it would have fired. */
import { scaleLinear } from 'd3';
import type { AlertPreview } from '../../../shared/model/alert-preview.js';
import type { AlertRule } from '../../../shared/model/alerts.js';
import { formatClock, formatPeriod, plural } from '../app/format.js';
import { formatRuleValue } from './rule-text.js';

const W = 720;
const H = 120;
const LEFT = 64;
const RIGHT = W - 8;
const TOP = 8;
const BOTTOM = H - 20;

export function AlertPreviewChart({ preview, rule }: { preview: AlertPreview; rule: AlertRule }) {
  if (preview.note)
    return (
      <p className="hint" data-testid="alerts-preview-summary">
        {preview.note}.
      </p>
    );
  const values = preview.points.flatMap((p) => (p.value === null ? [] : [p.value]));
  const top = Math.max(rule.threshold * 1.2, ...values, 1e-9);
  const bottom = Math.min(0, ...values);
  const x = scaleLinear()
    .domain([preview.fromMs, Math.max(preview.toMs, preview.fromMs + 1)])
    .range([LEFT, RIGHT]);
  const y = scaleLinear().domain([bottom, top]).range([BOTTOM, TOP]).nice();
  let d = '';
  let pen = false;
  for (const p of preview.points) {
    if (p.value === null) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(p.atMs).toFixed(1)},${y(p.value).toFixed(1)}`;
    pen = true;
  }
  const summary =
    preview.firings.length > 0
      ? `Would have fired ${plural(preview.firings.length, 'time')}, first ${formatPeriod(preview.firings[0]!.fromMs, preview.firings[0]!.toMs ?? preview.toMs)}; peak ${formatRuleValue(rule, preview.peak)} against ${formatRuleValue(rule, rule.threshold)}.`
      : `Would not have fired: peak ${formatRuleValue(rule, preview.peak)} against ${formatRuleValue(rule, rule.threshold)}${rule.forSeconds ? `, held for ${rule.forSeconds} s` : ''}.`;
  return (
    <figure className="alert-preview">
      <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={summary} data-testid="alerts-preview-chart">
        {preview.firings.map((f, i) => (
          <rect key={i} x={x(f.fromMs)} y={TOP} width={Math.max(2, x(f.toMs ?? preview.toMs) - x(f.fromMs))} height={BOTTOM - TOP} className="chart-drift" />
        ))}
        {y.ticks(3).map((t) => (
          <g key={t}>
            <line x1={LEFT} x2={RIGHT} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={LEFT - 4} y={y(t) + 3} textAnchor="end" className="chart-axis">
              {formatRuleValue(rule, t)}
            </text>
          </g>
        ))}
        <line x1={LEFT} x2={RIGHT} y1={y(rule.threshold)} y2={y(rule.threshold)} className="alert-threshold-line" />
        <text x={RIGHT} y={y(rule.threshold) - 3} textAnchor="end" className="chart-axis">
          threshold
        </text>
        <path d={d} className="chart-line" />
        {x.ticks(6).map((t) => (
          <text key={t} x={x(t)} y={H - 4} textAnchor="middle" className="chart-axis">
            {formatClock(t, false)}
          </text>
        ))}
      </svg>
      <figcaption data-testid="alerts-preview-summary" className={preview.firings.length ? 'error-text' : 'hint'}>
        {summary}
      </figcaption>
    </figure>
  );
}
