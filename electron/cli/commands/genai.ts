/**
 * `sightline genai`: the language model calls in scope, per model and operation (the GenAI
 * view's numbers): rate, latency, time to first token, generation speed, tokens, finish
 * reasons, evaluations and retrievals, with an exemplar trace. `--json` prints the overview.
 */
import { withCore } from '../core-client.js';
import { inScope } from '../data-context.js';
import { parseOptions } from '../options.js';
import { parseTime } from '../parse-time.js';
import type { GenAiGroup, GenAiOverview, Percentiles } from '../../../shared/model/genai.js';

export const GENAI_USAGE = `sightline genai [--db PATH] [--dataset NAME] [--model M] [--from T] [--to T] [--json]
      language model calls per model and operation: rate, latency, tokens, finish reasons,
      evaluations, retrievals, with exemplar traces.`;

export async function genAiCommand(argv: string[]): Promise<void> {
  const { values } = parseOptions(argv, {
    db: { type: 'string' },
    dataset: { type: 'string' },
    model: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    json: { type: 'boolean' },
  });
  const request = { model: values.model, fromMs: parseTime(values.from, '--from'), toMs: parseTime(values.to, '--to') };
  const overview = await withCore(values.db, { current: true }, (core) =>
    inScope(core, { dataset: values.dataset, otherwise: 'all', quiet: !!values.json }, (datasetId) => core.call('genAiOverview', { ...request, datasetId })),
  );
  if (values.json) {
    process.stdout.write(JSON.stringify(overview) + '\n');
    return;
  }
  process.stdout.write(describeOverview(overview));
}

const ms = (p: Percentiles): string => (p.p50 === null ? '–' : `${formatNumber(p.p50)} / ${formatNumber(p.p95!)} ms`);
const pct = (share: number | null): string => (share === null ? '–' : `${(share * 100).toFixed(1)}%`);

function formatNumber(v: number): string {
  return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(Math.round(v * 100) / 100);
}

function describeGroup(g: GenAiGroup): string {
  const lines = [
    `${g.datasetName} / ${g.model}${g.operation ? ` (${g.operation})` : ''} · ${g.services.join(', ')}: ${g.calls.toLocaleString('en-US')} calls, ${formatNumber(g.callsPerMinute)}/min`,
    `  latency p50 / p95 ${ms(g.latencyMs)}` +
      (g.timeToFirstTokenMs.p50 !== null ? ` · time to first token ${ms(g.timeToFirstTokenMs)}` : '') +
      (g.outputTokensPerSecond.p50 !== null ? ` · ${formatNumber(g.outputTokensPerSecond.p50)} output tokens/s (median)` : ''),
  ];
  const tokens = [g.inputTokens && `${formatNumber(g.inputTokens.mean)} in`, g.outputTokens && `${formatNumber(g.outputTokens.mean)} out`].filter(Boolean);
  if (tokens.length) lines.push(`  tokens per call ${tokens.join(', ')}`);
  if (g.finishReasons.length)
    lines.push(
      `  finish reasons ${g.finishReasons.map((f) => `${f.reason} ${f.calls.toLocaleString('en-US')}`).join(', ')} · cut at the limit ${pct(g.truncatedShare)}, refused ${pct(g.refusedShare)}`,
    );
  for (const e of g.evaluations)
    lines.push(
      `  evaluation ${e.name}: ${e.count.toLocaleString('en-US')} results${e.mean !== null ? `, mean ${formatNumber(e.mean)}` : ''}${e.labels.length ? ` (${e.labels.map((l) => `${l.label} ${l.count}`).join(', ')})` : ''}`,
    );
  if (g.retrieval)
    lines.push(
      `  retrieval: ${formatNumber(g.retrieval.documentsMean)} documents per request, ${pct(g.retrieval.emptyShare)} empty, latency p50 / p95 ${ms(g.retrieval.latencyMs)}`,
    );
  const slowest = g.exemplars.slowest[0];
  if (slowest) lines.push(`  slowest: trace ${slowest.traceId} (${formatNumber(Number(slowest.value))} ms)`);
  const lowest = g.exemplars.lowestEvaluation[0];
  if (lowest) lines.push(`  lowest ${lowest.evaluation}: trace ${lowest.traceId} (${formatNumber(Number(lowest.value))})`);
  return lines.join('\n');
}

/** The overview as text, one block per model and operation. */
export function describeOverview(o: GenAiOverview): string {
  if (o.groups.length === 0) return 'No language model calls in scope (spans with gen_ai.operation.name or gen_ai.usage.*, or OpenInference LLM spans).\n';
  const more = o.truncatedCalls > 0 ? `\n(${o.truncatedCalls.toLocaleString('en-US')} older calls left out)\n` : '';
  return o.groups.map(describeGroup).join('\n\n') + '\n' + more;
}
