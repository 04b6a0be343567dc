/**
 * Every command reads its argv through `parseOptions`, so a mistyped option, a missing value
 * or a stray argument is one line with exit code 2 (and a suggestion when one is close), the
 * same for all commands; numeric options are checked for range here too.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error.js';
import { didYouMean } from './suggest.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util's parseArgs, strict, with its errors as one-line usage errors. */
export function parseOptions<O extends Options, P extends boolean = false>(
  args: string[],
  options: O,
  allowPositionals?: P,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: P; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: (allowPositionals ?? false) as P, strict: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const typed = /'([^']+)'/.exec(err.message)?.[1] ?? err.message;
      const suggestion = didYouMean(typed, [...Object.keys(options).map((o) => `--${o}`), '--help']);
      throw new UsageError(`Unknown option '${typed}'.${suggestion}`, suggestion === '');
    }
    if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new UsageError(`Unexpected argument '${/'([^']*)'/.exec(err.message)?.[1] ?? '?'}'.`);
    }
    // A missing value ("Option '--db <value>' argument missing"), a value for a flag, an ambiguous one: Node's words, on one line.
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(err.message.replace(/\s*\n\s*/g, ' '));
    throw e;
  }
}

export interface IntRange {
  min?: number;
  max?: number;
}

/** A whole-number option within `range`, or `fallback` when it is absent. */
export function intOption(value: string | undefined, name: string, fallback: number, range: IntRange = {}): number {
  if (value === undefined) return fallback;
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = range;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    const span =
      max === Number.MAX_SAFE_INTEGER ? (min === 0 ? 'a whole number' : `a whole number of at least ${min}`) : `a whole number from ${min} to ${max}`;
    throw new UsageError(`${name} takes ${span}, not "${value}"`);
  }
  return n;
}

/** A TCP port: 0 (any free port) to 65535. */
export const portOption = (value: string | undefined, name: string, fallback: number): number => intOption(value, name, fallback, { max: 65535 });
