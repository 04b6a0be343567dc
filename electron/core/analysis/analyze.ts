/**
 * The analysis entry point: for each model in scope, windows and baseline, drift tests,
 * drifted runs, and for each run the ranked infrastructure causes. Read-only: it runs on a
 * reader connection (WAL snapshot), so ingest goes on meanwhile.
 */
import type {
  AnalysisResult,
  AnalysisSettings,
  BaselineInfo,
  BaselineKind,
  Cause,
  Finding,
  ModelTimeline,
  WindowStats,
} from '../../../shared/model/analysis.js';
import { DEFAULT_ANALYSIS_SETTINGS } from '../../../shared/model/analysis.js';
import { presentValues, quantilesBySelection } from '../stats/select-quantiles.js';
import type { Db } from '../store/open-store.js';
import {
  AttributionMemo,
  attributeCauses,
  attributeCausesOnTwoThreads,
  type Attribution,
  type AttributionInput,
  type EvidenceSource,
} from './attribute-causes.js';
import { traceIdLookup } from './trace-id-lookup.js';
import { extendByCause, refineEdges, type RunSpan } from './run-edges.js';
import { countsOf, prepareBaseline } from './compare-samples.js';
import { buildSignals, findRuns, runSignals, testWindows, testWindowsOnTwoThreads, VERSION_MIX, type DriftRun, type SignalResult } from './detect-drift.js';
import type { SignalTestSource } from './signal-tests.js';
import { qualityByWindow, type Quality } from './ground-truth.js';
import type { QualitySource } from './quality-thread.js';
import { hostFactors, loadTraceFactors, metricFactors, type FactorColumn } from './load-factors.js';
import { listModels, loadModelData, packedPredictions, type ModelData, type NumericColumn, type Scope } from './model-data.js';
import { GENAI_QUALITY, QUALITY_SIGNAL_PREFIX } from '../../../shared/model/genai.js';
import { indexRange, MIN_PREDICTIONS, planWindows, windowIndices, type WindowPlan } from './windows.js';
import { versionBaseline } from './version-baseline.js';
import { stableBaseline } from './stable-baseline.js';
import { anomalousWindows } from './anomalous-windows.js';
import { runReference, seasonalPeriod, seasonalPlan, seasonalWindows } from './seasonal-plan.js';

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

/** The signal the timeline's quantiles follow: the score, else a language model's evaluation score or response length. */
export function headlineOf(data: ModelData): string {
  if (data.score.values.some((v) => !Number.isNaN(v))) return 'score';
  const numeric = [...data.quality].filter(([, c]) => c.type === 'numeric').map(([name]) => name);
  const name = numeric.filter((n) => n.startsWith('eval.')).sort()[0] ?? numeric.find((n) => n === GENAI_QUALITY.responseTokens);
  return name ? `${QUALITY_SIGNAL_PREFIX}${name}` : 'score';
}

function headlineColumn(data: ModelData): NumericColumn {
  const signal = headlineOf(data);
  const column = signal === 'score' ? data.score : data.quality.get(signal.slice(QUALITY_SIGNAL_PREFIX.length));
  return column?.type === 'numeric' ? column : data.score;
}

function timeline(data: ModelData, plan: WindowPlan, results: SignalResult[], versionOrder: number[], quality: Quality[]): ModelTimeline['windows'] {
  const ratios = new Map<number, Record<string, number>>();
  for (const r of results) {
    if (r.def.version !== null) continue;
    const rec = ratios.get(r.window.index) ?? {};
    rec[r.def.signal] = Math.round(r.ratio * 1000) / 1000;
    ratios.set(r.window.index, rec);
  }
  return plan.windows.map((w): WindowStats => {
    const idx = windowIndices(w);
    const scores = quantilesBySelection(presentValues(headlineColumn(data).values, idx), [0.1, 0.5, 0.9]);
    const confidenceMedian = quantilesBySelection(presentValues(data.confidence.values, idx), [0.5])[0]!;
    const q = quality[w.index]!;
    const counts = countsOf(data.version.values, data.version.categories.length, idx);
    return {
      startMs: w.startMs,
      endMs: w.endMs,
      count: w.to - w.from,
      versionCounts: versionOrder.map((vi) => counts[vi]!),
      scoreQuantiles: Number.isNaN(scores[0]) ? null : (scores as [number, number, number]),
      confidenceMedian: Number.isNaN(confidenceMedian) ? null : confidenceMedian,
      driftRatio: ratios.get(w.index) ?? {},
      ...q,
    };
  });
}

/** "requests with X" for events and errors, "requests whose X was > 500 ms" for measures. */
export function hitPhrase(factor: string, hitRule: string): string {
  return hitRule === 'present' ? `requests with ${factor}` : `requests whose ${factor} was ${hitRule}`;
}

/** A number as people read it: three significant digits, with its unit. */
const unitText = (x: number | null, unit: string): string => {
  if (x === null) return '';
  const v = Math.abs(x) >= 100 ? Math.round(x) : Number(x.toPrecision(3));
  return `${v}${unit && unit !== '%' && unit !== '°C' ? ` ${unit}` : unit}`;
};

/** "a → b → score" with each step's hit rule. */
export function chainText(c: Cause): string {
  return c.chain.map((s, k) => (k === c.chain.length - 1 ? s.factor : `${s.factor}${s.hitRule === 'present' ? '' : ` ${s.hitRule}`}`)).join(' → ');
}

const p95Change = (c: Cause): string =>
  c.evidence.baselineP95 !== null && c.evidence.windowP95 !== null
    ? ` (p95 ${unitText(c.evidence.baselineP95, c.evidence.unit)} → ${unitText(c.evidence.windowP95, c.evidence.unit)})`
    : '';

function describe(finding: Omit<Finding, 'note'>, primary: string, compared: number): string {
  const head = `${finding.model}: ${primary} drifted from ${finding.start} to ${finding.end}`;
  const top = finding.causes[0];
  const mixExplained = top?.chain.some((s) => s.factor.startsWith('served version ')) ?? false;
  const mix =
    finding.signals.some((s) => s.signal === VERSION_MIX) && !mixExplained ? ` The served version mix changed too (${finding.versions.join(', ')}).` : '';
  const coincident = finding.coincident.length
    ? ` Changed at the same time, explains nothing: ${finding.coincident
        .slice(0, 3)
        .map((c) => c.factor)
        .join('; ')}.`
    : '';
  const corroborating = top
    ? [
        ...(top.corroboratedBy ?? []),
        ...finding.context.filter((c) => c.kind === top.kind && c.basis === 'time-matched').map((c) => `${c.factor}${p95Change(c)}`),
      ]
    : [];
  const corroborated = corroborating.length ? ` Corroborated by ${corroborating.slice(0, 3).join('; ')} (host metrics matched by time).` : '';
  const others = finding.context.filter((c) => !top || c.kind !== top.kind || c.basis !== 'time-matched');
  const also = others.length
    ? ` Also changed in the same minutes, but could not be checked request by request: ${others
        .slice(0, 3)
        .map((c) => `${c.factor}${p95Change(c)}`)
        .join('; ')}.`
    : '';
  if (!top) return `${head}. No infrastructure factor explains this drift (${compared} factors compared with the baseline).${mix}${coincident}${also}`;
  const e = top.evidence;
  const via = top.explainedVia ?? top.factor;
  const p95 =
    e.baselineP95 !== null && e.windowP95 !== null
      ? `; ${top.factor} p95 ${unitText(e.baselineP95, e.unit)} in the baseline, ${unitText(e.windowP95, e.unit)} in the window`
      : '';
  const chain = top.chain.length > 2 ? ` Chain: ${chainText(top)}.` : '';
  return `${head}. ${Math.round(top.explainedShare * 100)}% of the drift goes away when ${hitPhrase(via, top.explainedVia ? 'present' : e.hitRule)} are replaced by requests of the same minutes without it (${top.factor}: ${Math.round(e.hitRateWindow * 100)}% of requests in the window, ${Math.round(e.hitRateBaseline * 100)}% in the baseline${p95}).${chain}${mix}${coincident}${corroborated}${also}`;
}

/** Where the analysis may do part of its work off this thread. */
export interface AnalyzeIo {
  /** Quality per window from ground truth (by default here, in SQLite; quality-thread.ts on a second core). */
  quality?: QualitySource | undefined;
  /** Half of each attribution's factors measured on a second core (quality-thread.ts, the same thread, once the ground truth is in). */
  evidence?: EvidenceSource | undefined;
  /** Every other numeric drift signal tested on a second core (quality-thread.ts, the same thread). */
  tests?: SignalTestSource | undefined;
  /** Told, before a model is loaded, how many of its predictions are packed in blocks: the second core's thread can start meanwhile. */
  warm?: ((predictions: number) => void) | undefined;
}

/** The model's quality per window: started now, on another thread when the caller gave one. */
function startQuality(db: Db, data: ModelData, plan: Pick<WindowPlan, 'windows'>, options: AnalyzeOptions, io: AnalyzeIo): Promise<Quality[]> {
  if (!io.quality) {
    try {
      return Promise.resolve(qualityByWindow(db, data, options, plan.windows, options.baselineVersion));
    } catch (e) {
      const failed = Promise.reject(e as Error);
      failed.catch(() => {}); // awaited below, unless the baseline's choice or the attribution fails first
      return failed;
    }
  }
  const { datasetId, service, model, fromMs, toMs } = options;
  const pending = io.quality({
    key: { datasetId: data.datasetId, datasetName: data.datasetName, model: data.model },
    scope: { datasetId, service, model, fromMs, toMs },
    windows: plan.windows,
    excludeVersion: options.baselineVersion,
  });
  pending.catch(() => {}); // awaited below, unless the attribution fails first
  return pending;
}

async function analyzeModel(
  db: Db,
  loaded: ModelData,
  options: AnalyzeOptions,
  settings: AnalysisSettings,
  io: AnalyzeIo,
): Promise<{ timeline: ModelTimeline; findings: Finding[] }> {
  let data = loaded;
  const versionTotals = countsOf(data.version.values, data.version.categories.length, indexRange(0, data.n));
  const versionOrder = data.version.categories.map((_, i) => i).sort((a, b) => versionTotals[b]! - versionTotals[a]!);
  const versions = versionOrder.map((i) => ({ version: data.version.categories[i]!, count: versionTotals[i]! }));
  const base: ModelTimeline = {
    datasetName: data.datasetName,
    datasetId: data.datasetId,
    model: data.model,
    versions,
    predictions: data.n,
    headline: headlineOf(data),
    baseline: { startMs: 0, endMs: 0, count: 0, kind: 'earliest', description: '', periods: [] },
    windows: [],
    tests: {},
    skipped: null,
  };
  if (data.n < MIN_PREDICTIONS) return { timeline: { ...base, skipped: `${data.n} predictions; at least ${MIN_PREDICTIONS} are needed` }, findings: [] };
  let plan: WindowPlan;
  let kind: BaselineKind;
  let quality: Promise<Quality[]> | undefined;
  // Loaded once, when first needed: by the baseline's screening or by a finding's attribution.
  let traceFactorColumns: FactorColumn[] | null = null;
  const traceFactors = (): FactorColumn[] => (traceFactorColumns ??= loadTraceFactors(db, data));
  const season = options.baselineVersion === undefined && !options.baseline ? seasonalPeriod(data.timeMs) : null;
  const seasonal = season
    ? (() => {
        const windows = seasonalWindows(data.timeMs);
        return seasonalPlan(data.timeMs, season.periodMs, anomalousWindows(windows, traceFactors()), windows);
      })()
    : null;
  if (options.baselineVersion !== undefined) {
    const vb = versionBaseline(data, options.baselineVersion);
    if ('error' in vb) return { timeline: { ...base, skipped: vb.error }, findings: [] };
    ({ data, plan } = vb);
    kind = 'version';
  } else if (options.baseline) {
    plan = planWindows(data.timeMs, options.baseline);
    kind = 'pinned';
  } else if (season && seasonal) {
    plan = seasonal;
    kind = season.kind;
  } else {
    const windows = planWindows(data.timeMs);
    // The ground truth needs only the windows, which the baseline's choice keeps: started
    // now, before the trace factors are read for that choice, it is done sooner on the second core.
    quality = startQuality(db, data, windows, options, io);
    plan = stableBaseline(data, windows, settings, anomalousWindows(windows.windows, traceFactors()));
    kind = 'earliest';
  }
  // The ground truth is read meanwhile (on the second core when it can): it needs only the windows.
  quality ??= startQuality(db, data, plan, options, io);
  // Against a version, the mix is 100% that version by construction: not a signal then.
  const defs = buildSignals(data, plan).filter((d) => options.baselineVersion === undefined || d.signal !== VERSION_MIX);
  const results = io.tests ? await testWindowsOnTwoThreads(data, plan, defs, settings, io.tests) : testWindows(data, plan, defs, settings);
  const runs = findRuns(plan, results, settings);
  const tests: ModelTimeline['tests'] = {};
  for (const r of results) if (r.def.version === null) tests[r.def.signal] = r.comparison.test;
  const findings: Finding[] = [];
  if (runs.length > 0) {
    const factors: FactorColumn[] = [...traceFactors(), ...metricFactors(db, data), ...hostFactors(data)];
    const traceIdOf = traceIdLookup(db);
    for (const run of runs) findings.push(await findingOf(data, plan, run, factors, settings, traceIdOf, io.evidence, results));
  }
  const tl: ModelTimeline = {
    ...base,
    baseline: baselineInfo(plan, kind, options.baselineVersion),
    windows: timeline(data, plan, results, versionOrder, await quality),
    tests,
  };
  return { timeline: tl, findings };
}

function baselineInfo(plan: WindowPlan, kind: BaselineKind, version: string | undefined): BaselineInfo {
  const periods: { startMs: number; endMs: number }[] = [];
  for (const k of [...plan.baselineWindows].sort((a, b) => a - b)) {
    const w = plan.windows[k]!;
    const last = periods[periods.length - 1];
    if (last && last.endMs === w.startMs) last.endMs = w.endMs;
    else periods.push({ startMs: w.startMs, endMs: w.endMs });
  }
  if (periods.length === 0) periods.push({ startMs: plan.baselineStartMs, endMs: plan.baselineEndMs });
  const skipped = kind === 'earliest' && periods.length > 1 ? ' (windows that looked like an incident or a warm-up were skipped)' : '';
  const description = {
    earliest: `the earliest ordinary fifth of the range${skipped}`,
    pinned: 'the pinned period',
    version: `the predictions of version ${version ?? '?'}`,
    'seasonal-daily': 'each window against the same hours of the previous days (the range spans days: traffic follows the hour of day)',
    'seasonal-weekly': 'each window against the same hours of the week in earlier weeks (the range spans weeks)',
  }[kind];
  return { startMs: plan.baselineStartMs, endMs: plan.baselineEndMs, count: plan.baseline.length, kind, description, periods };
}

async function findingOf(
  data: ModelData,
  plan: WindowPlan,
  run: DriftRun,
  factors: FactorColumn[],
  settings: AnalysisSettings,
  traceIdOf: (seq: number) => string | null,
  evidence: EvidenceSource | undefined,
  tested: SignalResult[],
): Promise<Finding> {
  const signals = runSignals(run);
  // The first pooled signal (outputs before inputs, runSignals' order): a version's own drift
  // can be explained only within that version.
  const primary = (signals.find((s) => s.signal.version === null && s.signal.signal !== VERSION_MIX) ?? signals.find((s) => s.signal.signal !== VERSION_MIX)!)
    .result.def;
  // The baseline and the windows stay when the run is attributed again: what they alone decide is made once.
  const memo = new AttributionMemo();
  // What the window tests measured for the primary, where the attribution measures the same (a
  // seasonal plan's runs are measured against their own reference, a pile-up as an indicator).
  const testedDrift =
    plan.references || primary.signal.startsWith('mass:')
      ? undefined
      : { def: primary, byWindow: new Map(tested.filter((r) => r.def === primary).map((r) => [r.window.index, r.comparison.magnitude])) };
  const attribute = (span: RunSpan): Promise<Attribution> | Attribution => {
    // Seasonal plans compare a run with the same hours earlier, not with the first day.
    const reference = runReference(plan, span.first.index, span.last.index);
    const baselineIdx = reference ?? plan.baseline;
    const onVersion = (idx: Int32Array): Int32Array => (primary.versionIndex < 0 ? idx : idx.filter((i) => data.version.values[i] === primary.versionIndex));
    // Field by field: a spread would prepare the pooled baseline (a getter) only to replace it.
    const runPrimary = reference
      ? {
          signal: primary.signal,
          version: primary.version,
          column: primary.column,
          versionIndex: primary.versionIndex,
          baseline: prepareBaseline(primary.column, onVersion(reference)),
          baselineIdx: onVersion(reference),
        }
      : primary;
    const input: AttributionInput = {
      data,
      windows: plan.windows,
      baselineIdx,
      runIdx: indexRange(span.first.from, span.last.to),
      primary: runPrimary,
      factors,
      settings,
      traceIdOf,
      referenceWindows: plan.baselineWindows,
      memo,
      testedDrift,
    };
    return evidence ? attributeCausesOnTwoThreads(input, evidence) : attributeCauses(input);
  };
  let span: RunSpan = { first: run.windows[0]!, last: run.windows[run.windows.length - 1]! };
  let attribution = await attribute(span);
  let edges: { from: number; to: number };
  if (attribution.root && !attribution.root.timeMatched) {
    // The incident lasts as long as its cause: follow it into neighbouring windows, then find
    // the edges on the cause's own per-request hits. (A host metric matched by time can do
    // neither: its hits come in clumps of one sampling interval; the drift itself places the
    // edges then.)
    const { hit, baselineRate } = attribution.root;
    const extended = extendByCause(span, plan.windows, new Set(plan.evaluated.map((w) => w.index)), hit, baselineRate);
    if (extended.first !== span.first || extended.last !== span.last) {
      span = extended;
      attribution = await attribute(span);
    }
    edges = refineEdges(span, plan.windows, { kind: 'binary', hit: attribution.root?.hit ?? (() => false) });
  } else {
    edges =
      primary.column.type === 'numeric'
        ? refineEdges(span, plan.windows, { kind: 'numeric', values: primary.column.values })
        : { from: span.first.from, to: span.last.to };
  }
  const runIdx = indexRange(edges.from, edges.to);
  const { causes, context, coincident, compared } = attribution;
  const versionCounts = countsOf(data.version.values, data.version.categories.length, runIdx);
  const versions = data.version.categories
    .map((v, i) => [v, versionCounts[i]!] as const)
    .filter(([, c]) => c > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([v]) => v);
  const startMs = data.timeMs[edges.from]!;
  const endMs = edges.to < data.n ? data.timeMs[edges.to]! : data.timeMs[data.n - 1]! + 1;
  const finding: Omit<Finding, 'note'> = {
    datasetName: data.datasetName,
    model: data.model,
    versions,
    start: iso(startMs),
    end: iso(endMs),
    signals: signals.map((s) => s.signal),
    causes,
    context,
    coincident,
    baseline: {
      start: iso(plan.baselineStartMs),
      end: iso(plan.baselineEndMs),
      count: runReference(plan, span.first.index, span.last.index)?.length ?? plan.baseline.length,
    },
    predictions: runIdx.length,
  };
  return { ...finding, note: describe(finding, primary.version ? `${primary.signal} of ${primary.version}` : primary.signal, compared) };
}

export async function analyze(db: Db, options: AnalyzeOptions = {}, io: AnalyzeIo = {}): Promise<AnalysisResult> {
  const started = performance.now();
  const settings = { ...DEFAULT_ANALYSIS_SETTINGS, ...options.settings };
  const findings: Finding[] = [];
  const models: ModelTimeline[] = [];
  for (const key of listModels(db, options)) {
    io.warm?.(packedPredictions(db, key));
    const data = loadModelData(db, key, options);
    const r = await analyzeModel(db, data, options, settings, io);
    models.push(r.timeline);
    findings.push(...r.findings);
  }
  return { findings, models, settings, seconds: Math.round(performance.now() - started) / 1000 };
}
