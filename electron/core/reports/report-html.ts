/**
 * Renders a report's evidence as one self-contained HTML file: inline styles and SVG, no
 * script, no request to anything outside the file (the CSP says so too), laid out to print.
 * The evidence itself is embedded as JSON so the numbers travel with the pictures.
 */
import type { ReportEvidence } from '../../../shared/model/report.js';
import type { RedactionAction } from '../../../shared/model/redaction.js';
import { causeSvg, counterfactualSvg, esc, scoreTimelineSvg, waterfallSvg } from './report-svg.js';

const STYLE = `
body{font:13px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2330;max-width:820px;margin:24px auto;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde1e7;padding-bottom:4px}h3{font-size:14px;margin:16px 0 6px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{text-align:left;padding:3px 6px;border-bottom:1px solid #dde1e7;vertical-align:top}th{color:#5d6778;font-weight:600}
.num{text-align:right}.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px;word-break:break-all}.muted{color:#5d6778}
.finding{border:1px solid #d64545;border-radius:6px;padding:8px 12px;margin:10px 0;-webkit-box-decoration-break:clone;box-decoration-break:clone}.note{font-size:14px}
.keep{break-inside:avoid;page-break-inside:avoid}tr{break-inside:avoid;page-break-inside:avoid}h2,h3{break-after:avoid;page-break-after:avoid}svg{display:block;max-width:100%;height:auto}
.kind{display:inline-block;color:#fff;background:#7f8c8d;border-radius:3px;padding:0 5px;font-size:11px}.k-storage{background:#3b6fd8}.k-gpu{background:#9b59b6}.k-network{background:#16a2b8}.k-queue{background:#e08a1e}.k-error{background:#d64545}
.cause{margin-top:6px}@media print{body{margin:0;max-width:none}}`;

/** How the report names each redaction action. */
const ACTION_WORDS: Record<RedactionAction, string> = { replace: 'erased', pseudonymise: 'pseudonymised' };
const pct = (x: number): string => `${Math.round(x * 100)}%`;
const when = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC');
/** The report's one time format (UTC, to the second) for ISO times in the analysis' sentences. */
const isoToWhen = (text: string): string => text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, (iso) => when(Date.parse(iso)));
const count = (n: number): string => n.toLocaleString('en-US');

export function renderReportHtml(e: ReportEvidence, evidenceSha256: string): string {
  const q = e.provenance.query;
  const findings = e.findings.length
    ? e.findings
        .map((f) => {
          const t = e.timelines.find((m) => m.model === f.model && m.datasetName === f.datasetName);
          const causes = f.causes.filter((c) => c.role !== 'mechanism').slice(0, 3);
          return `<div class="finding"><div class="keep"><h3>${esc(f.model)} · ${when(Date.parse(f.start))} → ${when(Date.parse(f.end))} · versions ${esc(f.versions.join(', '))}</h3>
<p class="note">${esc(isoToWhen(f.note))}</p>
${t ? scoreTimelineSvg(t, [f]) : ''}</div>
<table><tr><th>Drifted signal</th><th>Version</th><th>Test</th><th class="num">Statistic</th><th class="num">Threshold</th><th class="num">PSI</th></tr>
${f.signals.map((s) => `<tr><td>${esc(s.signal)}</td><td>${esc(s.version ?? 'all')}</td><td>${s.test}</td><td class="num">${s.pValue !== null ? `p ${s.pValue.toExponential(2)}` : s.statistic.toFixed(3)}</td><td class="num">${s.threshold.toFixed(3)}</td><td class="num">${s.psi.toFixed(2)}</td></tr>`).join('\n')}</table>
${causes.length === 0 ? '<p><strong>No infrastructure cause.</strong> No factor was both more frequent in the drifted period and, replaced by requests of the same minutes, took the drift away.</p>' : ''}
${causes
  .map(
    (c, i) => `<div class="cause"><div class="keep"><h3>Cause ${i + 1}: <span class="kind k-${c.kind}">${c.kind}</span> ${esc(c.factor)}</h3>
${c.chain.length > 2 ? `<p>Chain: <span class="mono">${esc(c.chain.map((s, k) => (k === c.chain.length - 1 || s.hitRule === 'present' ? s.factor : `${s.factor} ${s.hitRule}`)).join(' → '))}</span></p>` : ''}
<p>Evidence ${c.basis === 'per-request' ? 'per request' : c.basis === 'time-matched' ? 'from a host metric matched by time' : 'by host'}${c.explainedVia ? `; its share is measured on ${esc(c.explainedVia)}` : ''}. Explains ${pct(c.explainedShare)} of the drift · hit ${pct(c.evidence.hitRateWindow)} of requests in the window vs ${pct(c.evidence.hitRateBaseline)} in the baseline (${esc(c.evidence.hitRule)}) · Cohen's h ${c.effectSize} · p ${c.pValue} · hit rate ${c.evidence.anomalyScore} robust SD above the baseline's windows${c.evidence.baselineP95 !== null ? ` · p95 ${c.evidence.baselineP95} → ${c.evidence.windowP95}${c.evidence.unit && c.evidence.unit !== 'count' ? ` ${c.evidence.unit}` : ''}` : ''}</p>
${t ? causeSvg(t, c) : ''}</div>
<div class="keep"><p class="muted">Counterfactual: drift of ${esc(c.evidence.primarySignal)} as it was, and with the requests the factor hit replaced by requests of the same minutes it did not hit</p>
${counterfactualSvg(c)}</div>
<p class="muted">Exemplar traces: <span class="mono">${c.exemplarTraceIds.map(esc).join(' ')}</span></p></div>`,
  )
  .join('\n')}
${
  f.coincident?.length
    ? `<p><strong>Changed at the same time, explains nothing:</strong> ${esc(
        f.coincident
          .slice(0, 5)
          .map((c) => `${c.factor} (${pct(c.explainedShare)})`)
          .join('; '),
      )}.</p>`
    : ''
}</div>`;
        })
        .join('\n')
    : '<p><strong>No drift was found in scope.</strong> No cause is claimed.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="Sightline ${esc(e.provenance.appVersion)}">
<title>${esc(e.title)}</title><style>${STYLE}</style></head>
<body>
<h1>${esc(e.title)}</h1>
<p class="muted">Generated ${when(Date.parse(e.provenance.generatedAt))} by Sightline ${esc(e.provenance.appVersion)}</p>
<h2>Scope</h2>
<table><tr><th>From</th><td>${when(q.fromMs)}</td><th>To</th><td>${when(q.toMs)}</td></tr>
<tr><th>Service</th><td>${esc(q.service ?? 'all')}</td><th>Model</th><td>${esc(q.model ?? 'all')}</td></tr><tr><th>Dataset</th><td colspan="3">${esc(q.datasetName ?? 'all')}</td></tr></table>
<h2>Data sources</h2>
<table><tr><th>Dataset</th><th>Kind</th><th class="num">Traces</th><th class="num">Spans</th><th class="num">Metric points</th><th class="num">Log records</th></tr>
${e.sources.map((s) => `<tr><td>${esc(s.datasetName)}</td><td>${esc(s.kind)}</td><td class="num">${count(s.traces)}</td><td class="num">${count(s.spans)}</td><td class="num">${count(s.metricPoints)}</td><td class="num">${count(s.logRecords)}</td></tr>`).join('\n')}</table>
${
  e.sources.flatMap((s) => s.files).length
    ? `<table><tr><th>Imported file</th><th>SHA-256</th></tr>${e.sources
        .flatMap((s) => s.files)
        .map((f) => `<tr><td class="mono">${esc(f.path)}</td><td class="mono">${esc(f.sha256 ?? f.note ?? '')}</td></tr>`)
        .join('')}</table>`
    : ''
}
<h2>Latency per model version</h2>
${e.slos.length ? `<table><tr><th>Model</th><th>Version</th><th class="num">Requests</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th></tr>${e.slos.map((s) => `<tr><td>${esc(s.model)}</td><td>${esc(s.version)}</td><td class="num">${count(s.requests)}</td><td class="num">${s.p50Ms} ms</td><td class="num">${s.p95Ms} ms</td><td class="num">${s.p99Ms} ms</td></tr>`).join('')}</table>` : '<p class="muted">No predictions in scope.</p>'}
<h2>Drift findings and causes</h2>
${findings}
<h2>Alert history</h2>
${e.alerts.length ? `<table><tr><th>Data time</th><th>State</th><th>What</th></tr>${e.alerts.map((a) => `<tr><td>${when(a.atMs)}</td><td>${a.state}</td><td>${esc(a.message)}</td></tr>`).join('')}</table>` : '<p class="muted">No alert changed state in scope.</p>'}
<h2>Exemplar traces</h2>
${e.exemplars.map((x) => `<div class="keep"><h3 class="mono">${esc(x.traceId)}</h3><p class="muted">${esc(x.cause)}</p>${waterfallSvg(x)}</div>`).join('\n') || '<p class="muted">None.</p>'}
<h2>Redaction</h2>
<p class="muted">Applied by the receivers and importers before anything was stored, and again at export. A rule erases what it matches, or pseudonymises it: a keyed hash stable in this store, so equal values stay equal and distinct ones distinct. Counts are for this store; values are never shown.</p>
<table><tr><th>Rule</th><th>Kind</th><th>Action</th><th>Pattern</th><th class="num">Fired</th></tr>
${e.redaction.rules.map((r) => `<tr><td>${esc(r.name)}</td><td>${r.kind}</td><td>${ACTION_WORDS[r.action]}</td><td class="mono">${esc(r.pattern)}</td><td class="num">${count(e.redaction.counts[r.name] ?? 0)}</td></tr>`).join('')}</table>
<h2>Methodology</h2>
<ul>${e.methodology.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>
<h2>Provenance and integrity</h2>
<table><tr><th>App version</th><td>${esc(e.provenance.appVersion)}</td></tr><tr><th>Generated</th><td>${when(Date.parse(e.provenance.generatedAt))}</td></tr>
<tr><th>Query</th><td class="mono">${esc(JSON.stringify(q))}</td></tr><tr><th>Thresholds</th><td class="mono">${esc(JSON.stringify(e.provenance.thresholds))}</td></tr>
<tr><th>Store contents in scope</th><td class="mono">SHA-256 ${esc(e.provenance.storeSha256)}</td></tr>
<tr><th>Evidence (RFC 8785 JSON)</th><td class="mono">SHA-256 ${esc(evidenceSha256)}</td></tr>
<tr><th>Previous report</th><td class="mono">${esc(e.provenance.previousReportSha256 ?? 'none (first report from this store)')}</td></tr></table>
<p class="muted">The last line of this file is its seal: the SHA-256 of everything above it and an Ed25519 signature. Check it with <span class="mono">sightline verify FILE</span>.</p>
<h2>Appendix: evidence IDs</h2>
<p class="mono">${e.evidenceTraceIds.map(esc).join(' ') || '—'}</p>
<script type="application/json" id="sightline-evidence">${JSON.stringify(e).replace(/</g, '\\u003c')}</script>
</body></html>
`;
}
