/**
 * The analysis entry point: for each model in scope, windows and baseline, drift tests,
 * drifted runs, and for each run the ranked infrastructure causes. Read-only: it runs on a
 * reader connection (WAL snapshot), so ingest goes on meanwhile.
 */
import type { AnalysisResult, AnalysisSettings, Finding, ModelTimeline, WindowStats } from '../../../shared/model/analysis.js';
import { DEFAULT_ANALYSIS_SETTINGS } from '../../../shared/model/analysis.js';
import { quantileSorted } from '../../../shared/stats/descriptive.js';
import type { Db } from '../store/open-store.js';
import { attributeCauses } from './attribute-causes.js';
import { countsOf, numericSample } from './compare-samples.js';
import { buildSignals, findRuns, runSignals, testWindows, VERSION_MIX, type DriftRun, type SignalResult } from './detect-drift.js';
import { qualityByWindow } from './ground-truth.js';
import { hostFactors, loadTraceFactors, metricFactors, type FactorColumn } from './load-factors.js';
import { listModels, loadModelData, type ModelData, type Scope } from './model-data.js';
import { MIN_PREDICTIONS, planWindows, windowIndices, type WindowPlan } from './windows.js';
import { versionBaseline } from './version-baseline.js';
import { stableBaseline } from './stable-baseline.js';

export interface AnalyzeOptions extends Scope {
  settings?: Partial<AnalysisSettings>;
  /** Pin the baseline to a period instead of the earliest part of the data. */
  baseline?: { fromMs: number; toMs: number } | undefined;
  /** Or compare the other versions with this one. */
  baselineVersion?: string | undefined;
}

function iso(ms: number): string {
  return new Date(Math.round(ms)).toISOString();
}

function timeline(data: ModelData, plan: WindowPlan, results: SignalResult[], db: Db, versionOrder: number[], options: AnalyzeOptions): ModelTimeline['windows'] {
  const quality = qualityByWindow(db, data, options, plan.windows, options.baselineVersion);
  const ratios = new Map<number, Record<string, number>>();
  for (const r of results) {
    if (r.def.version !== null) continue;
    const rec = ratios.get(r.window.index) ?? {};
    rec[r.def.signal] = Math.round(r.ratio * 1000) / 1000;
    ratios.set(r.window.index, rec);
  }
  return plan.windows.map((w): WindowStats => {
    const idx = windowIndices(w);
    const scores = numericSample(data.score.values, idx);
    const conf = numericSample(data.confidence.values, idx);
    const q = quality[w.index]!;
    const counts = countsOf(data.version.values, data.version.categories.length, idx);
    return {
      startMs: w.startMs,
      endMs: w.endMs,
      count: w.to - w.from,
      versionCounts: versionOrder.map((vi) => counts[vi]!),
      scoreQuantiles: scores.length ? [quantileSorted(scores, 0.1), quantileSorted(scores, 0.5), quantileSorted(scores, 0.9)] : null,
      confidenceMedian: conf.length ? quantileSorted(conf, 0.5) : null,
      driftRatio: ratios.get(w.index) ?? {},
      ...q,
    };
  });
}

/** "requests with X" for events and errors, "requests whose X was > 500 ms" for measures. */
export function hitPhrase(factor: string, hitRule: string): string {
  return hitRule === 'present' ? `requests with ${factor}` : `requests whose ${factor} was ${hitRule}`;
}

function describe(finding: Omit<Finding, 'note'>, primary: string, compared: number): string {
  const head = `${finding.model}: ${primary} drifted from ${finding.start} to ${finding.end}`;
  const mix = finding.signals.some((s) => s.signal === VERSION_MIX) ? ` The served version mix changed too (${finding.versions.join(', ')}).` : '';
  const top = finding.causes[0];
  const ctx = finding.context.find((c) => c.evidence.baselineP95 !== null);
  const also = ctx ? ` In the same window ${ctx.factor} went from p95 ${ctx.evidence.baselineP95} to ${ctx.evidence.windowP95}${ctx.evidence.unit === 'ms' ? ' ms' : ''}.` : '';
  if (!top) return `${head}. No infrastructure factor explains this drift (${compared} factors compared with the baseline).${mix}${also}`;
  const e = top.evidence;
  const p95 = e.baselineP95 !== null && e.windowP95 !== null ? `; p95 ${e.baselineP95}${e.unit === 'ms' ? ' ms' : ''} in the baseline, ${e.windowP95}${e.unit === 'ms' ? ' ms' : ''} in the window` : '';
  return `${head}. ${Math.round(top.explainedShare * 100)}% of the drift disappears when ${hitPhrase(top.factor, e.hitRule)} are left out (${Math.round(e.hitRateWindow * 100)}% of requests in the window, ${Math.round(e.hitRateBaseline * 100)}% in the baseline${p95}).${mix}${also}`;
}

function analyzeModel(db: Db, loaded: ModelData, options: AnalyzeOptions, settings: AnalysisSettings): { timeline: ModelTimeline; findings: Finding[] } {
  let data = loaded;
  const versionTotals = countsOf(data.version.values, data.version.categories.length, Int32Array.from({ length: data.n }, (_, i) => i));
  const versionOrder = data.version.categories.map((_, i) => i).sort((a, b) => versionTotals[b]! - versionTotals[a]!);
  const versions = versionOrder.map((i) => ({ version: data.version.categories[i]!, count: versionTotals[i]! }));
  const base: ModelTimeline = {
    dataset: data.dataset,
    datasetId: data.datasetId,
    model: data.model,
    versions,
    predictions: data.n,
    baseline: { startMs: 0, endMs: 0, count: 0 },
    windows: [],
    tests: {},
    skipped: null,
  };
  if (data.n < MIN_PREDICTIONS) return { timeline: { ...base, skipped: `${data.n} predictions; at least ${MIN_PREDICTIONS} are needed` }, findings: [] };
  let plan: WindowPlan;
  if (options.baselineVersion !== undefined) {
    const vb = versionBaseline(data, options.baselineVersion);
    if ('error' in vb) return { timeline: { ...base, skipped: vb.error }, findings: [] };
    ({ data, plan } = vb);
  } else if (options.baseline) plan = planWindows(data.timeMs, options.baseline);
  else plan = stableBaseline(data, planWindows(data.timeMs), settings);
  // Against a version, the mix is 100% that version by construction: not a signal then.
  const defs = buildSignals(data, plan).filter((d) => options.baselineVersion === undefined || d.signal !== VERSION_MIX);
  const results = testWindows(data, plan, defs, settings);
  const runs = findRuns(plan, results, settings);
  const tests: ModelTimeline['tests'] = {};
  for (const r of results) if (r.def.version === null) tests[r.def.signal] = r.comparison.test;
  const tl: ModelTimeline = {
    ...base,
    baseline: { startMs: plan.baselineStartMs, endMs: plan.baselineEndMs, count: plan.baseline.length },
    windows: timeline(data, plan, results, db, versionOrder, options),
    tests,
  };
  if (runs.length === 0) return { timeline: tl, findings: [] };
  const factors: FactorColumn[] = [...loadTraceFactors(db, data), ...metricFactors(db, data), ...hostFactors(data)];
  const traceIdStmt = db.prepare('SELECT lower(hex(trace_id)) FROM traces WHERE trace_seq = ?').pluck();
  const findings = runs.map((run) => findingOf(data, plan, run, factors, settings, (seq) => (traceIdStmt.get(seq) as string | undefined) ?? null));
  return { timeline: tl, findings };
}

function findingOf(data: ModelData, plan: WindowPlan, run: DriftRun, factors: FactorColumn[], settings: AnalysisSettings, traceIdOf: (seq: number) => string | null): Finding {
  const first = run.windows[0]!;
  const last = run.windows[run.windows.length - 1]!;
  const runIdx = Int32Array.from({ length: last.to - first.from }, (_, i) => first.from + i);
  const signals = runSignals(run, settings);
  // The first pooled signal (outputs before inputs, runSignals' order): a version's own drift
  // can be explained only within that version.
  const primary = (signals.find((s) => s.signal.version === null && s.signal.signal !== VERSION_MIX) ?? signals.find((s) => s.signal.signal !== VERSION_MIX)!).result.def;
  const { causes, context, compared } = attributeCauses({ data, windows: plan.windows, baselineIdx: plan.baseline, runIdx, primary, factors, settings, traceIdOf, baselineEndMs: plan.baselineEndMs });
  const versionCounts = countsOf(data.version.values, data.version.categories.length, runIdx);
  const versions = data.version.categories.map((v, i) => [v, versionCounts[i]!] as const).filter(([, c]) => c > 0).sort((a, b) => b[1] - a[1]).map(([v]) => v);
  const finding: Omit<Finding, 'note'> = {
    dataset: data.dataset,
    model: data.model,
    versions,
    start: iso(first.startMs),
    end: iso(last.endMs),
    signals: signals.map((s) => s.signal),
    causes,
    context,
    baseline: { start: iso(plan.baselineStartMs), end: iso(plan.baselineEndMs), count: plan.baseline.length },
    predictions: runIdx.length,
  };
  return { ...finding, note: describe(finding, primary.version ? `${primary.signal} of ${primary.version}` : primary.signal, compared) };
}

export function analyze(db: Db, options: AnalyzeOptions = {}): AnalysisResult {
  const started = performance.now();
  const settings = { ...DEFAULT_ANALYSIS_SETTINGS, ...options.settings };
  const findings: Finding[] = [];
  const models: ModelTimeline[] = [];
  for (const key of listModels(db, options)) {
    const data = loadModelData(db, key, options);
    const r = analyzeModel(db, data, options, settings);
    models.push(r.timeline);
    findings.push(...r.findings);
  }
  return { findings, models, settings, seconds: Math.round(performance.now() - started) / 1000 };
}
