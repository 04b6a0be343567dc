/**
 * `sightline demo [--db PATH]`: loads the generated incident demo (a ranking model whose
 * feature store slowed down, a recommender whose GPU throttled) into the store, once, and
 * prints what the analysis finds. Then `sightline start` shows it on the Models page.
 */
import { parseArgs } from 'node:util';
import { findDataset } from '../../core/store/datasets.js';
import { demoArchivePath, DEMO_DATASET } from '../../core/demo/demo-archive.js';
import { CliError } from '../cli-error.js';
import { openStoreReader, storePath } from '../store-access.js';
import { importCommand } from './import.js';
import { analyzeCommand } from './analyze.js';
import fs from 'node:fs';

export async function demoCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { db: { type: 'string' } } });
  const db = storePath(values.db);
  const file = demoArchivePath();
  if (!file) throw new CliError('the demo archive was not built; run: npm run build');
  let present = false;
  if (fs.existsSync(db)) {
    const reader = openStoreReader(db);
    present = findDataset(reader, DEMO_DATASET) !== null;
    reader.close();
  }
  if (!present) await importCommand(['--db', db, '--dataset', DEMO_DATASET, file]);
  else process.stderr.write(`the dataset "${DEMO_DATASET}" is already in ${db}\n`);
  process.stdout.write('\n');
  analyzeCommand(['--db', db, '--dataset', DEMO_DATASET]);
  process.stdout.write(`\nSee it in the app: sightline start${values.db ? ` --db ${values.db}` : ''}, then Models.\n`);
}
