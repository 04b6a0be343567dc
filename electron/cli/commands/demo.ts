/**
 * `sightline demo [--db PATH]`: loads the generated incident demo (a ranking model whose
 * feature store slowed down, a recommender whose GPU throttled) into the store, once, and
 * prints what the analysis finds. Then `sightline start` shows it on the Models page.
 */
import { CliError } from '../cli-error.js';
import { withCore } from '../core-client.js';
import { parseOptions } from '../options.js';
import { printAnalysis } from './analyze.js';

export const DEMO_USAGE = `sightline demo [--db PATH]             load the generated incident demo and analyse it
      (into a dataset of its own, "demo: ranker incident"; once: run again, it analyses what is there)`;

export async function demoCommand(argv: string[]): Promise<void> {
  const { values } = parseOptions(argv, { db: { type: 'string' } });
  const result = await withCore(values.db, { create: true }, async (core) => {
    // The end of each import as it arrives: the demo's is picked out by its ID below.
    const ended = new Map<string, string | null>();
    let heard: (() => void) | null = null;
    const off = core.subscribe((e) => {
      if (e.type !== 'import' || e.state === 'running') return;
      ended.set(e.importId, e.state === 'done' ? null : (e.message ?? e.state));
      heard?.();
    });
    try {
      const demo = await core.call('loadDemo', { ifMissing: true });
      if (demo.importId === null) process.stderr.write(`the dataset "${demo.datasetName}" is already in ${core.dbPath}\n`);
      else {
        process.stderr.write(`loading "${demo.datasetName}"…\n`);
        const id = demo.importId;
        while (!ended.has(id)) await new Promise<void>((resolve) => (heard = resolve));
        const failure = ended.get(id);
        if (failure) throw new CliError(`the demo could not be loaded: ${failure}`);
      }
      return await core.call('analyze', { datasetId: await core.datasetId(demo.datasetName) });
    } finally {
      off();
    }
  });
  printAnalysis(result, { json: false, timelines: false });
  process.stdout.write(
    `\nSee it in the app: sightline start${values.db ? ` --db ${values.db}` : ''}, then Models; or here: sightline traces${values.db ? ` --db ${values.db}` : ''} --dataset "demo: ranker incident"\n`,
  );
}
