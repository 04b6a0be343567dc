/** Dataset names as the CLI takes and shows them: looked up with a suggestion, quoted for a shell. */
import type { DatasetInfo } from '../../shared/model/telemetry.js';
import { CliError } from './cli-error.js';
import { closest } from './suggest.js';

/** A dataset name as a shell argument: double quotes unless it needs single ones. */
export function shellQuoted(name: string): string {
  if (/^[\w.@%+=:,/-]+$/.test(name)) return name;
  if (!/["$`\\!]/.test(name)) return `"${name}"`;
  return `'${name.replace(/'/g, `'\\''`)}'`;
}

/** The dataset named `name`; an unknown name is an error that suggests a close one. */
export function findDataset(list: DatasetInfo[], name: string): DatasetInfo {
  const found = list.find((d) => d.name === name);
  if (found) return found;
  const near = closest(
    name,
    list.map((d) => d.name),
  );
  throw new CliError(`no dataset named "${name}"${near !== undefined ? `; did you mean "${near}"?` : ''} (see: sightline datasets)`);
}
