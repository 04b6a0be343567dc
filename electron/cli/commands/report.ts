/**
 * `sightline report --out FILE.html|FILE.pdf [--evidence FILE.json] [scope]`: a sealed audit
 * report of the store's drift findings and their causes. `sightline report --public-key`
 * prints the signing key's public half (PEM) and fingerprint, to hand to an auditor.
 * `sightline verify` is verify.ts.
 */
import path from 'node:path';
import { CliError, UsageError } from '../cli-error.js';
import { storePath, withCore, withScratchCore } from '../core-client.js';
import { storeKeyDir } from '../../core/front-door.js';
import { parseOptions } from '../options.js';
import { parseTime } from '../parse-time.js';

export const REPORT_USAGE = `sightline report --out FILE.html|FILE.pdf [--evidence FILE.json] [--db PATH] [--dataset NAME]
                   [--from T] [--to T] [--service S] [--model M] [--key-dir DIR] [--json]
  sightline report --public-key [--db PATH] [--key-dir DIR]   the signing key's public half, for auditors`;

const resolved = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(p));

export async function reportCommand(argv: string[]): Promise<void> {
  const { values } = parseOptions(argv, {
    db: { type: 'string' },
    dataset: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    service: { type: 'string' },
    model: { type: 'string' },
    out: { type: 'string' },
    evidence: { type: 'string' },
    'key-dir': { type: 'string' },
    'public-key': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values['public-key']) {
    // The key beside the store (made on first use), even before the store itself exists.
    const keyDir = resolved(values['key-dir']) ?? storeKeyDir(storePath(values.db));
    const key = await withScratchCore((core) => core.call('getSigningKey', { keyDir }));
    process.stdout.write(`${key.publicKeyPem.trim()}\nfingerprint (SHA-256 of the key): ${key.fingerprint}\n`);
    return;
  }
  if (!values.out) throw new UsageError('name the report file: --out FILE.html|FILE.pdf (or --public-key for the signing key)');
  if (!/\.(html?|pdf)$/i.test(values.out)) throw new CliError('--out must end in .html or .pdf');
  const scope = { fromMs: parseTime(values.from, '--from'), toMs: parseTime(values.to, '--to'), service: values.service, model: values.model };
  const started = performance.now();
  const result = await withCore(values.db, { current: true }, async (core) => {
    const off = core.subscribe((e) => {
      if (e.type === 'report') process.stderr.write(`report: ${e.step}…\n`);
    });
    try {
      return await core.call('writeReport', {
        ...scope,
        datasetId: await core.datasetId(values.dataset),
        outPath: path.resolve(values.out!),
        evidencePath: resolved(values.evidence),
        keyDir: resolved(values['key-dir']),
      });
    } finally {
      off();
    }
  });
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  if (values.json) process.stdout.write(JSON.stringify({ ...result, seconds }) + '\n');
  else
    process.stdout.write(
      `${result.file}: ${result.findings} finding(s)${result.topCause ? `, top cause ${result.topCause}` : ''}; ${(result.bytes / 1024).toFixed(0)} KiB, SHA-256 ${result.sha256}, in ${seconds} s\n`,
    );
}
