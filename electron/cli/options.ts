import { CliError } from './cli-error.js';

/** Parses a whole-number option, or returns the default when it is absent. */
export function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new CliError(`${name} takes a whole number, not "${value}"`);
  return Number(value);
}
