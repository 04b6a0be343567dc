/**
 * `sightline analyze`: drift per model and version, with ranked infrastructure causes.
 * `--json` prints `{"findings":[…]}` (plus the per-model timelines with `--timelines`);
 * without it, one readable paragraph per finding.
 */
import { UsageError } from '../cli-error.js';
import { withCore } from '../core-client.js';
import { inScope } from '../data-context.js';
import { parseOptions } from '../options.js';
import { parseTime } from '../parse-time.js';
import type { AnalysisResult } from '../../../shared/model/analysis.js';

export const ANALYZE_USAGE = `sightline analyze [--db PATH] [--dataset NAME] [--service S] [--model M] [--from T] [--to T]
                    [--baseline-from T --baseline-to T | --baseline-version V] [--alpha P] [--distance D]
                    [--json] [--timelines]
      drift per model and version, with infrastructure causes ranked by evidence.`;

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} takes a positive number, not "${value}"`);
  return n;
}

export async function analyzeCommand(argv: string[]): Promise<void> {
  const { values } = parseOptions(argv, {
    db: { type: 'string' },
    dataset: { type: 'string' },
    service: { type: 'string' },
    model: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'baseline-from': { type: 'string' },
    'baseline-to': { type: 'string' },
    'baseline-version': { type: 'string' },
    alpha: { type: 'string' },
    distance: { type: 'string' },
    json: { type: 'boolean' },
    timelines: { type: 'boolean' },
  });
  const bFrom = parseTime(values['baseline-from'], '--baseline-from');
  const bTo = parseTime(values['baseline-to'], '--baseline-to');
  if ((bFrom === undefined) !== (bTo === undefined)) throw new UsageError('--baseline-from and --baseline-to go together');
  if (bFrom !== undefined && bTo !== undefined && bTo <= bFrom) throw new UsageError('--baseline-to must be after --baseline-from');
  if (values['baseline-version'] !== undefined && bFrom !== undefined) throw new UsageError('choose one baseline: a period or a version');
  const request = {
    service: values.service,
    model: values.model,
    fromMs: parseTime(values.from, '--from'),
    toMs: parseTime(values.to, '--to'),
    baselineFromMs: bFrom,
    baselineToMs: bTo,
    baselineVersion: values['baseline-version'],
    alpha: numberOption(values.alpha, '--alpha'),
    distanceThreshold: numberOption(values.distance, '--distance'),
  };
  const result = await withCore(values.db, { current: true }, (core) =>
    inScope(core, { dataset: values.dataset, otherwise: 'all', quiet: !!values.json }, (datasetId) => core.call('analyze', { ...request, datasetId })),
  );
  printAnalysis(result, { json: !!values.json, timelines: !!values.timelines });
}

/** The findings, as JSON or one paragraph each (what `analyze` and `demo` print). */
export function printAnalysis(result: AnalysisResult, options: { json: boolean; timelines: boolean }): void {
  if (options.json) {
    const out = options.timelines ? result : { findings: result.findings };
    process.stdout.write(JSON.stringify(out) + '\n');
    return;
  }
  if (result.models.length === 0)
    process.stdout.write('No predictions in scope (spans with ml.model.name and a score or label, or language model calls with gen_ai.* attributes).\n');
  for (const m of result.models) {
    process.stdout.write(
      `${m.datasetName} / ${m.model}: ${m.predictions} predictions, versions ${m.versions.map((v) => `${v.version} (${v.count})`).join(', ')}${m.skipped ? ` — not analysed: ${m.skipped}` : ''}\n`,
    );
  }
  if (result.findings.length === 0 && result.models.length > 0) process.stdout.write('No drift found.\n');
  for (const f of result.findings) {
    process.stdout.write(`\n${f.note}\n`);
    for (const c of f.causes.slice(0, 5)) {
      const role = c.role === 'root' ? 'cause' : 'via';
      process.stdout.write(
        `  ${role.padEnd(5)} ${c.kind.padEnd(8)} ${c.factor}: explains ${Math.round(c.explainedShare * 100)}%, effect ${c.effectSize}, p ${c.pValue}; e.g. trace ${c.exemplarTraceIds[0] ?? '-'}\n`,
      );
    }
    for (const c of f.coincident.slice(0, 3)) process.stdout.write(`  same time, explains nothing: ${c.factor} (${Math.round(c.explainedShare * 100)}%)\n`);
  }
}
