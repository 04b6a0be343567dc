/**
 * What a reading command (traces, trace, stats, export, analyze) says on stderr just before it
 * prints its answer (never before an error, which stays one line): which dataset it reads and how many traces that holds; and when that dataset is empty
 * while others hold data, which ones and the flag that picks them. Without it `sightline
 * traces` after `sightline demo` printed nothing at all: the demo is a dataset of its own, and
 * traces reads "live". With --json it says nothing, so stdout and stderr stay as scripts expect.
 */
import type { DatasetInfo } from '../../shared/model/telemetry.js';
import type { CliCore } from './core-client.js';
import { findDataset, shellQuoted } from './dataset-names.js';

export interface ScopeChoice {
  /** --dataset as given. */
  dataset: string | undefined;
  /** What the command reads without --dataset: the live dataset, or all of them. */
  otherwise: 'live' | 'all';
  /** --json: say nothing. */
  quiet: boolean;
}

const count = (n: number): string => `${n.toLocaleString('en-US')} trace${n === 1 ? '' : 's'}`;

/** The dataset a command reads, and what to tell the user about it once the command has its answer. */
export interface Scope<Id extends number | undefined> {
  datasetId: Id;
  /** Writes the note on stderr; called after success, so a failure stays one line. */
  tell(): void;
}

/** The ID to pass as datasetId (undefined: every dataset), and the note saying what is read. */
export async function readScope(core: CliCore, choice: ScopeChoice & { otherwise: 'live' }): Promise<Scope<number>>;
export async function readScope(core: CliCore, choice: ScopeChoice): Promise<Scope<number | undefined>>;
export async function readScope(core: CliCore, choice: ScopeChoice): Promise<Scope<number | undefined>> {
  const list = await core.call('listDatasets', {});
  const name = choice.dataset ?? (choice.otherwise === 'live' ? 'live' : undefined);
  const chosen = name !== undefined ? findDataset(list, name) : undefined;
  const note = choice.quiet ? '' : describe(list, chosen);
  return { datasetId: chosen?.id, tell: () => void (note && process.stderr.write(note)) };
}

function describe(list: DatasetInfo[], chosen: DatasetInfo | undefined): string {
  if (!chosen) return `reading all datasets (${count(list.reduce((n, d) => n + d.traces, 0))})\n`;
  let note = `reading dataset "${chosen.name}" (${count(chosen.traces)})\n`;
  const others = list.filter((d) => d.id !== chosen.id && d.traces > 0).sort((a, b) => b.traces - a.traces);
  if (chosen.traces === 0 && others.length > 0) {
    const named = others.slice(0, 5).map((d) => `"${d.name}" (${count(d.traces)})`);
    if (others.length > 5) named.push(`${others.length - 5} more`);
    const pick = `--dataset ${shellQuoted(others[0]!.name)}`;
    note += `hint: "${chosen.name}" is empty; traces are in ${named.join(', ')}: ${others.length === 1 ? 'add' : 'e.g.'} ${pick}\n`;
  }
  return note;
}

/** `read` on the chosen dataset; the note goes out once it has answered (a failure stays one line). */
export async function inScope<T>(core: CliCore, choice: ScopeChoice & { otherwise: 'live' }, read: (datasetId: number) => Promise<T>): Promise<T>;
export async function inScope<T>(core: CliCore, choice: ScopeChoice, read: (datasetId: number | undefined) => Promise<T>): Promise<T>;
export async function inScope<T>(core: CliCore, choice: ScopeChoice, read: (datasetId: number) => Promise<T>): Promise<T> {
  const scope = await readScope(core, choice);
  const answer = await read(scope.datasetId!);
  scope.tell();
  return answer;
}
