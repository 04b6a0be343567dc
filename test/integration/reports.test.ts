/**
 * Audit reports from the CLI on a planted storage incident (sent by the scenario generator
 * through the OpenTelemetry SDK to a running serve): the HTML names storage as the cause and
 * requests nothing outside itself; the PDF's text (pdftotext) holds the key findings; verify
 * passes on the originals and fails, saying what, after a one-byte edit; each report records
 * the previous one's hash. Screenshots of the HTML and the PDF's pages are kept.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { cliJson, runCli, startServe, tempDir, type ServeProcess } from '../helpers/serve-process.js';
import { launchChromium, SCREENSHOT_DIR } from '../helpers/browser.js';
import { generateScenario } from '../scenarios/inference-traffic.js';
import type { ReportEvidence } from '../../shared/model/report.js';

let serve: ServeProcess;
let dir: string;
let dbPath: string;
let keyDir: string;

interface ReportResult {
  file: string;
  sha256: string;
  evidenceSha256: string;
  previousSha256: string | null;
  findings: number;
  topCause: string | null;
}

before(async () => {
  dir = tempDir();
  dbPath = path.join(dir, 'reports.db');
  keyDir = path.join(dir, 'keys');
  serve = await startServe(dbPath);
  const base = `http://127.0.0.1:${serve.ports.otlpHttp}`;
  await generateScenario(
    { scenario: 'storage-slowdown', model: 'ranker', seed: 11 },
    { spans: new OTLPTraceExporter({ url: `${base}/v1/traces` }), metrics: new OTLPMetricExporter({ url: `${base}/v1/metrics` }) },
  );
});
after(async () => serve?.stop());

function flipByte(src: string, dst: string, at: number): void {
  const b = fs.readFileSync(src);
  b[at] = b[at] === 0x41 ? 0x42 : 0x41;
  fs.writeFileSync(dst, b);
}

test('an HTML report of a storage incident names storage, is self-contained and verifies', async () => {
  const html = path.join(dir, 'incident.html');
  const evidenceFile = path.join(dir, 'incident.evidence.json');
  const r = await cliJson<ReportResult>(['report', '--db', dbPath, '--out', html, '--evidence', evidenceFile, '--key-dir', keyDir, '--json']);
  assert.equal(r.findings, 1);
  assert.match(r.topCause!, /^storage: feature-store\.read/);
  assert.equal(r.previousSha256, null, 'the first report of this store');
  const text = fs.readFileSync(html, 'utf8');
  assert.match(text, /Cause 1: <span class="kind k-storage">storage<\/span> feature-store\.read/);
  assert.match(text, /Latency per model version/);
  assert.match(text, /<svg viewBox/);
  // Nothing outside the file: no external URL in any attribute, style or import.
  const external = text.match(/(?:src|href|action|poster)\s*=\s*["']?\s*(?:https?:)?\/\/[^"'\s>]*|url\(\s*["']?(?:https?:)?\/\/|@import/gi) ?? [];
  assert.deepEqual(external, []);
  assert.doesNotMatch(text, /<script(?![^>]*type="application\/json")/, 'no executable script');
  assert.doesNotMatch(text, /<link\b/);

  const ok = await runCli(['verify', html]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /verified: .* is as it was signed/);
  const edited = path.join(dir, 'edited.html');
  flipByte(html, edited, 2000);
  const bad = await runCli(['verify', edited]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /FAIL content hash: the content was changed after signing/);
  assert.match(bad.stdout, /NOT verified/);

  // The evidence bundle verifies on its own, and a changed number in it is caught.
  assert.equal((await runCli(['verify', evidenceFile])).code, 0);
  const bundle = JSON.parse(fs.readFileSync(evidenceFile, 'utf8')) as { evidence: ReportEvidence };
  assert.equal(bundle.evidence.findings[0]!.causes[0]!.kind, 'storage');
  bundle.evidence.findings[0]!.causes[0]!.explainedShare = 0.01;
  const forged = path.join(dir, 'forged.evidence.json');
  fs.writeFileSync(forged, JSON.stringify(bundle));
  const f = await runCli(['verify', forged]);
  assert.equal(f.code, 1);
  assert.match(f.stdout, /FAIL evidence hash: the evidence was changed/);

  // Pinning the key: a report signed by another key is refused.
  const pub = await runCli(['report', '--public-key', '--key-dir', keyDir]);
  const fingerprint = /fingerprint \(SHA-256 of the key\): ([0-9a-f]{64})/.exec(pub.stdout)![1]!;
  assert.equal((await runCli(['verify', html, '--key-fingerprint', fingerprint])).code, 0);
  const other = await runCli(['verify', html, '--key-fingerprint', '0'.repeat(64)]);
  assert.equal(other.code, 1);
  assert.match(other.stdout, /FAIL trusted key/);

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    const requests: string[] = [];
    page.on('request', (req) => void requests.push(req.url()));
    await page.goto(`file://${html}`);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'report-html.png'), fullPage: true });
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')),
      [],
      'opening the report requests nothing',
    );
  } finally {
    await browser.close();
  }
});

test('a PDF report holds the findings as text, verifies, and chains to the previous report', async () => {
  const first = await cliJson<ReportResult>(['report', '--db', dbPath, '--out', path.join(dir, 'chain-1.html'), '--key-dir', keyDir, '--json']);
  const pdf = path.join(dir, 'incident.pdf');
  const r = await cliJson<ReportResult>(['report', '--db', dbPath, '--out', pdf, '--key-dir', keyDir, '--json']);
  assert.equal(r.previousSha256, first.sha256, 'the PDF records the hash of the report before it');
  assert.equal(fs.readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  assert.match(text, /Drift findings and causes/);
  assert.match(text, /storage\s+feature-store\.read/);
  assert.match(text, /ranker: score drifted from/);
  // Laid out to print: the finding starts on page 1 (a box taller than what is left of a
  // page no longer leaves it half empty), in the report's one time format, with its chart.
  const page1 = execFileSync('pdftotext', ['-layout', '-f', '1', '-l', '1', pdf, '-'], { encoding: 'utf8' });
  assert.match(page1, /Drift findings and causes[\s\S]*ranker: score drifted from \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
  assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'no raw ISO times');
  const ok = await runCli(['verify', pdf]);
  assert.equal(ok.code, 0, ok.stdout);
  const edited = path.join(dir, 'edited.pdf');
  flipByte(pdf, edited, 1000);
  assert.equal((await runCli(['verify', edited])).code, 1);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', pdf, path.join(SCREENSHOT_DIR, 'report-pdf-page')]);
  assert.ok(fs.existsSync(path.join(SCREENSHOT_DIR, 'report-pdf-page-1.png')));
});

test('bad report requests get clear errors', async () => {
  const r = await runCli(['report', '--db', dbPath, '--out', path.join(dir, 'x.docx')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--out must end in \.html or \.pdf/);
  const v = await runCli(['verify', path.join(dir, 'reports.db')]);
  assert.equal(v.code, 1);
  assert.match(v.stdout, /no Sightline seal/);
});
