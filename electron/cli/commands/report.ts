/**
 * `sightline report --out FILE.html|FILE.pdf [--evidence FILE.json] [scope]`: a sealed audit
 * report of the store's drift findings and their causes. `sightline report --public-key`
 * prints the signing key's public half (PEM) and fingerprint, to hand to an auditor.
 * `sightline verify` is verify.ts.
 */
import { parseArgs } from 'node:util';
import { openWriter } from '../../core/store/open-store.js';
import { makeReport, recordReport } from '../../core/reports/make-report.js';
import { loadOrCreateSigningKey, reportKeyDir } from '../../core/reports/signing-key.js';
import { PdfError } from '../../core/reports/report-pdf.js';
import { CliError } from '../cli-error.js';
import { datasetIdByName, openStoreReader, storePath } from '../store-access.js';
import { parseTime } from './export.js';

export const REPORT_USAGE = `sightline report --out FILE.html|FILE.pdf [--evidence FILE.json] [--db PATH] [--dataset NAME]
                   [--from T] [--to T] [--service S] [--model M] [--key-dir DIR] [--json]
  sightline report --public-key [--db PATH] [--key-dir DIR]   the signing key's public half, for auditors`;

export async function reportCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' }, dataset: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, service: { type: 'string' }, model: { type: 'string' },
      out: { type: 'string' }, evidence: { type: 'string' }, 'key-dir': { type: 'string' }, 'public-key': { type: 'boolean' }, json: { type: 'boolean' },
    },
  });
  if (values['public-key']) {
    const key = loadOrCreateSigningKey(values['key-dir'] ?? reportKeyDir(storePath(values.db)));
    process.stdout.write(`${key.publicKeyPem.trim()}\nfingerprint (SHA-256 of the key): ${key.fingerprint}\n`);
    return;
  }
  if (!values.out) throw new CliError(`usage: ${REPORT_USAGE.split('\n')[0]}`);
  if (!/\.(html?|pdf)$/i.test(values.out)) throw new CliError('--out must end in .html or .pdf');
  const dbPath = storePath(values.db);
  const db = openStoreReader(values.db, { needsMl: true });
  try {
    const datasetId = datasetIdByName(db, values.dataset);
    const scope = {
      fromMs: parseTime(values.from, '--from') ?? null,
      toMs: parseTime(values.to, '--to') ?? null,
      service: values.service ?? null,
      model: values.model ?? null,
      dataset: values.dataset ?? null,
    };
    const started = performance.now();
    const result = await makeReport(db, {
      scope,
      datasetId,
      outFile: values.out,
      evidenceFile: values.evidence,
      keyDir: values['key-dir'] ?? reportKeyDir(dbPath),
      onProgress: (step) => process.stderr.write(`report: ${step}…\n`),
      recordHistory: (entry) => {
        const w = openWriter(dbPath);
        try {
          recordReport(w, entry);
        } finally {
          w.close();
        }
      },
    });
    const seconds = Math.round((performance.now() - started) / 10) / 100;
    if (values.json) process.stdout.write(JSON.stringify({ ...result, seconds }) + '\n');
    else process.stdout.write(`${result.file}: ${result.findings} finding(s)${result.topCause ? `, top cause ${result.topCause}` : ''}; ${(result.bytes / 1024).toFixed(0)} KiB, SHA-256 ${result.sha256}, in ${seconds} s\n`);
  } catch (e) {
    if (e instanceof PdfError) throw new CliError(e.message);
    throw e;
  } finally {
    db.close();
  }
}
