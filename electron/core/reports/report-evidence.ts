/**
 * Gathers a report's evidence from the store: scope, sources and volumes, the drift analysis
 * (findings, timelines), alert history and exemplar traces. The latency SLOs and the hash of
 * the store's contents are made meanwhile on another thread (report-side-thread.ts).
 */
import type { Db } from '../store/db.js';
import { analyze, type AnalyzeIo } from '../analysis/analyze.js';
import { listDatasets } from '../store/datasets.js';
import { datasetFiles, sha256OfFile } from '../store/dataset-files.js';
import { readAlertHistory } from '../alerts/alert-store.js';
import { readRedactionCounts, readRedactionRules } from '../redaction/redaction-settings.js';
import { actionOf } from '../../../shared/model/redaction.js';
import { APP_VERSION } from '../util/app-paths.js';
import type { ExemplarTrace, ReportEvidence, ReportScope, ReportSource } from '../../../shared/model/report.js';

function fileSha256(file: string): string | null {
  try {
    return sha256OfFile(file);
  } catch {
    return null; // not on disk any more
  }
}

function sources(db: Db, datasetId: number | undefined): ReportSource[] {
  return listDatasets(db)
    .filter((d) => datasetId === undefined || d.id === datasetId)
    .map((d) => ({
      datasetName: d.name,
      kind: d.kind,
      source: d.source,
      traces: d.traces,
      spans: d.spans,
      metricPoints: d.metricPoints,
      logRecords: d.logRecords,
      files: (() => {
        if (d.kind !== 'import') return [];
        const recorded = datasetFiles(db, d.id);
        if (recorded.length) return recorded.map((f) => ({ path: f.name === f.path ? f.path : `${f.name} (${f.path})`, sha256: f.sha256, note: null }));
        // Imported before hashes were recorded: hash what is still on disk.
        return d.source
          .split(', ')
          .filter(Boolean)
          .map((p) => {
            const sha256 = fileSha256(p);
            return { path: p, sha256, note: sha256 ? 'hashed at report time' : 'not on disk any more, and imported before hashes were recorded' };
          });
      })(),
    }));
}

function exemplar(db: Db, traceId: string, cause: string): ExemplarTrace | null {
  const rows = db
    .prepare(
      `SELECT lower(hex(s.span_id)) AS id, lower(hex(s.parent_span_id)) AS parent, s.name, r.service_name AS service, s.start_time_unix_nano / 1e6 AS startMs,
              (s.end_time_unix_nano - s.start_time_unix_nano) / 1e6 AS durationMs, s.status_code AS status
       FROM traces t JOIN spans s ON s.trace_seq = t.trace_seq JOIN resources r ON r.id = s.resource_id
       WHERE t.trace_id = ? ORDER BY s.start_time_unix_nano LIMIT 200`,
    )
    .all(Buffer.from(traceId, 'hex')) as {
    id: string;
    parent: string | null;
    name: string;
    service: string;
    startMs: number;
    durationMs: number;
    status: number;
  }[];
  if (rows.length === 0) return null;
  const depthOf = new Map<string, number>();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const depth = (r: (typeof rows)[number], guard = 0): number => {
    const known = depthOf.get(r.id);
    if (known !== undefined) return known;
    const parent = r.parent ? byId.get(r.parent) : undefined;
    const d = parent && guard < 50 ? depth(parent, guard + 1) + 1 : 0;
    depthOf.set(r.id, d);
    return d;
  };
  const t0 = Math.min(...rows.map((r) => r.startMs));
  return {
    traceId,
    cause,
    spans: rows.map((r) => ({
      name: r.name,
      service: r.service,
      depth: depth(r),
      startMs: Math.round((r.startMs - t0) * 1000) / 1000,
      durationMs: Math.round(r.durationMs * 1000) / 1000,
      error: r.status === 2,
    })),
  };
}

/** The evidence but its store hash and latency SLOs, which the caller makes on another thread (report-side-thread.ts). */
export type EvidenceOnThisThread = Omit<ReportEvidence, 'provenance' | 'slos'> & {
  provenance: Omit<ReportEvidence['provenance'], 'storeSha256' | 'storeHashFormat'>;
};

export async function gatherEvidence(
  db: Db,
  scope: ReportScope,
  datasetId: number | undefined,
  previousReportSha256: string | null,
  io: AnalyzeIo = {},
  now = new Date(),
): Promise<EvidenceOnThisThread> {
  const result = await analyze(
    db,
    {
      datasetId,
      service: scope.service ?? undefined,
      model: scope.model ?? undefined,
      fromMs: scope.fromMs ?? undefined,
      toMs: scope.toMs ?? undefined,
    },
    io,
  );
  const exemplars: ExemplarTrace[] = [];
  for (const f of result.findings) {
    for (const c of f.causes.slice(0, 2)) {
      const id = c.exemplarTraceIds[0];
      if (!id || exemplars.some((e) => e.traceId === id)) continue;
      const e = exemplar(db, id, `${f.model}: ${c.factor}`);
      if (e) exemplars.push(e);
    }
  }
  const alerts = readAlertHistory(db, 10_000).filter((a) => (scope.fromMs === null || a.atMs >= scope.fromMs) && (scope.toMs === null || a.atMs < scope.toMs));
  const evidenceTraceIds = [...new Set(result.findings.flatMap((f) => f.causes.flatMap((c) => c.exemplarTraceIds)))].sort();
  const s = result.settings;
  return {
    format: 'sightline-report/2',
    title: `Model drift and infrastructure report${scope.model ? `: ${scope.model}` : ''}`,
    provenance: {
      appVersion: APP_VERSION,
      generatedAt: now.toISOString(),
      query: scope,
      thresholds: { alpha: s.alpha, distanceThreshold: s.distanceThreshold, largeBaseline: s.largeBaseline, minWindows: s.minWindows },
      previousReportSha256,
    },
    sources: sources(db, datasetId),
    findings: result.findings,
    timelines: result.models,
    alerts,
    exemplars,
    methodology: [
      `Windows of about 300 predictions (6 to 48 per model); the baseline is the earliest fifth of the range, skipping windows whose infrastructure looks like an incident or whose output looks like a warm-up; over two days or more, each window is compared with the same hours of the previous days (weeks).`,
      `Drift per model (versions pooled) for score, label, confidence, every feature and the version mix, and per version for score and label.`,
      `Baselines of up to ${s.largeBaseline} predictions: Kolmogorov-Smirnov and chi-square tests, p-values Benjamini-Hochberg-adjusted, drift at p < ${s.alpha}. Larger baselines: Wasserstein distance normalised by the baseline's standard deviation and Jensen-Shannon distance, drift at ≥ ${s.distanceThreshold} and above the baseline's own sampling noise for the window's size. PSI is reported.`,
      `A finding needs ${s.minWindows} consecutive drifted windows, each corroborated by a second signal or a neighbouring window.`,
      `Causes: requests of the drifted period against the baseline on every infrastructure factor and on the versions served; Cohen's h and a 999-shuffle permutation p-value (Benjamini-Hochberg-adjusted); and the matched counterfactual: the share of the drift that goes away when the requests a factor hit are replaced by requests of the same minutes it did not hit, beyond what 19 random replacements achieve. Mechanisms (errors, timeouts, fallbacks, versions served) are linked to the infrastructure factor whose requests contain theirs, and the root of each chain is ranked. A cause needs h ≥ 0.2, p < ${s.alpha} and a share ≥ 0.2; factors that rose but explain nothing are listed as coincidences, host metrics matched by time as corroboration or context.`,
      `Integrity: SHA-256 of the evidence's RFC 8785 canonical JSON and of the report's bytes, signed with Ed25519; each report records the previous report's hash.`,
      `Store contents in scope: SHA-256 over every stored field of each span, prediction, log record and metric point in the range (in chunks of 65,536 row IDs, as stored); \`sightline verify REPORT --db STORE\` makes it again from every stored row.`,
    ],
    evidenceTraceIds,
    redaction: {
      rules: readRedactionRules(db).map((r) => ({ name: r.name, kind: r.kind, pattern: r.pattern, action: actionOf(r) })),
      counts: readRedactionCounts(db),
    },
  };
}
