/**
 * A report's evidence: everything the HTML and PDF show, as data. Its RFC 8785 canonical JSON
 * is hashed into the seal, and `sightline report --evidence FILE.json` writes it beside the
 * report, so an auditor can check the numbers without trusting the rendering.
 */
import type { AlertEvent } from './alerts.js';
import type { Finding, ModelTimeline } from './analysis.js';
import type { RedactionAction } from './redaction.js';

export interface ReportScope {
  fromMs: number | null;
  toMs: number | null;
  service: string | null;
  model: string | null;
  datasetName: string | null;
}

export interface ReportSource {
  datasetName: string;
  kind: string;
  source: string;
  traces: number;
  spans: number;
  metricPoints: number;
  logRecords: number;
  /** Imported files still on disk, with their SHA-256 at report time. */
  files: { path: string; sha256: string | null; note: string | null }[];
}

export interface LatencySlo {
  model: string;
  version: string;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface ExemplarTrace {
  traceId: string;
  cause: string;
  spans: { name: string; service: string; depth: number; startMs: number; durationMs: number; error: boolean }[];
}

export interface ReportEvidence {
  /** 2: dataset names are `datasetName` (scope, sources, findings, timelines); 1 called them `dataset`. */
  format: 'sightline-report/2';
  title: string;
  provenance: {
    appVersion: string;
    generatedAt: string;
    query: ReportScope;
    thresholds: { alpha: number; distanceThreshold: number; largeBaseline: number; minWindows: number };
    /** SHA-256 over every stored field of the spans, predictions, log records and metric points in scope (electron/core/reports/store-hash.ts). */
    storeSha256: string;
    /** How storeSha256 was made, so `verify --db` recomputes it the same way; absent in reports from before it could. */
    storeHashFormat?: string;
    previousReportSha256: string | null;
  };
  sources: ReportSource[];
  slos: LatencySlo[];
  findings: Finding[];
  timelines: ModelTimeline[];
  alerts: AlertEvent[];
  exemplars: ExemplarTrace[];
  methodology: string[];
  /** The redaction rules in force, whether each erases or pseudonymises, and how often each fired in this store; never the values. */
  redaction: { rules: { name: string; kind: 'key' | 'value'; pattern: string; action: RedactionAction }[]; counts: Record<string, number> };
  /** Every trace ID the report relies on (exemplars), sorted. */
  evidenceTraceIds: string[];
}

/** One report made from this store, as the Reports page lists it. */
export interface ReportHistoryEntry {
  id: number;
  createdAtMs: number;
  path: string;
  format: 'html' | 'pdf';
  sha256: string;
  evidenceSha256: string;
  previousSha256: string | null;
  query: ReportScope;
}

/** A report written to a file of the user's choosing (`sightline report --out`). */
export interface ReportResult {
  file: string;
  bytes: number;
  sha256: string;
  evidenceSha256: string;
  previousSha256: string | null;
  findings: number;
  topCause: string | null;
}

/** `sightline verify`: each check and whether it held. */
export interface ReportVerification {
  ok: boolean;
  checks: { check: string; ok: boolean; detail: string }[];
  /** The signer's key fingerprint and the previous report it follows, from the seal (null when unreadable). */
  keyFingerprint: string | null;
  previousReportSha256: string | null;
}

/** One report of a chain, and its place in it. */
export interface ChainLine {
  name: string;
  sha256: string;
  previousSha256: string | null;
  ok: boolean;
  /** Its place in the chain, or what is wrong, in words. */
  detail: string;
}

export interface ChainResult {
  ok: boolean;
  reports: ChainLine[];
  summary: string;
}

/** A chain checked, and where it came from ("folder …", "the report history of …"). */
export interface ChainVerification extends ChainResult {
  source: string;
}

/** The report signing key's public half, for auditors. */
export interface SigningKeyInfo {
  publicKeyPem: string;
  fingerprint: string;
}
