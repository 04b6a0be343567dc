/**
 * The `sightline` command line. Each command is a small module that exposes its usage; this
 * file dispatches to them and owns what every command shares: `--help`/`-h` (the command's
 * usage on stdout, exit 0, nothing run), `--version`, "did you mean" for a mistyped command,
 * and the one-line errors (usage errors exit 2, others 1; SIGHTLINE_DEBUG=1 adds the stack).
 */
import { analyzeCommand, ANALYZE_USAGE } from './commands/analyze.js';
import { demoCommand, DEMO_USAGE } from './commands/demo.js';
import { genAiCommand, GENAI_USAGE } from './commands/genai.js';
import { exportCommand, EXPORT_USAGE } from './commands/export.js';
import { importCommand, IMPORT_USAGE } from './commands/import.js';
import { datasetsCommand, DATASETS_USAGE, statsCommand, STATS_USAGE, traceCommand, TRACE_USAGE, tracesCommand, TRACES_USAGE } from './commands/query.js';
import { remoteCommand, REMOTE_USAGE } from './commands/remote.js';
import { reportCommand, REPORT_USAGE } from './commands/report.js';
import { serveCommand, SERVE_USAGE } from './commands/serve.js';
import { OPEN_USAGE, startCommand, START_USAGE } from './commands/start.js';
import { verifyCommand, VERIFY_USAGE } from './commands/verify.js';
import { CliError, UsageError } from './cli-error.js';
import { fileProblem } from './input-files.js';
import { didYouMean } from './suggest.js';
import { sightlineVersion } from './version.js';

interface Command {
  usage: string;
  run(argv: string[]): Promise<void>;
}

const HELP_USAGE = `sightline help [COMMAND]               this text, or one command's (as sightline COMMAND --help)
  sightline --version                    the version`;

/** The commands in the order the overview lists them. */
const COMMANDS: Record<string, Command> = {
  serve: { usage: SERVE_USAGE, run: serveCommand },
  start: { usage: START_USAGE, run: (argv) => startCommand(argv, { requireFiles: false }) },
  open: { usage: OPEN_USAGE, run: (argv) => startCommand(argv, { requireFiles: true }) },
  stats: { usage: STATS_USAGE, run: statsCommand },
  traces: { usage: TRACES_USAGE, run: tracesCommand },
  trace: { usage: TRACE_USAGE, run: traceCommand },
  datasets: { usage: DATASETS_USAGE, run: datasetsCommand },
  import: { usage: IMPORT_USAGE, run: importCommand },
  export: { usage: EXPORT_USAGE, run: exportCommand },
  remote: { usage: REMOTE_USAGE, run: remoteCommand },
  analyze: { usage: ANALYZE_USAGE, run: analyzeCommand },
  genai: { usage: GENAI_USAGE, run: genAiCommand },
  demo: { usage: DEMO_USAGE, run: demoCommand },
  report: { usage: REPORT_USAGE, run: reportCommand },
  verify: { usage: VERIFY_USAGE, run: verifyCommand },
  help: { usage: HELP_USAGE, run: helpCommand },
  version: { usage: HELP_USAGE.split('\n')[1]!.trim(), run: async () => printVersion() },
};

const OVERVIEW = `Sightline: trace analysis for AI systems.

Usage:
${Object.entries(COMMANDS)
  .filter(([name]) => name !== 'version')
  .map(([, c]) => `  ${c.usage}`)
  .join('\n')}

Without --db the store is the one in the app-data folder, shared with the desktop app.
The receivers write the "live" dataset; each import goes into a dataset of its own
(named after the first file unless --dataset is given). traces and export read "live"
unless --dataset is given, trace looks in "live" first and then in the other datasets,
stats, analyze and genai read every dataset.
`;

const usageOf = (name: string, c: Command): string => `Usage:\n  ${c.usage}\n${name === 'help' ? '' : `\nsightline help lists every command.\n`}`;

function printVersion(): void {
  process.stdout.write(`sightline ${sightlineVersion()}\n`);
}

/** The command named `name`, or a usage error that suggests a close one. */
function commandNamed(name: string): Command {
  if (Object.hasOwn(COMMANDS, name)) return COMMANDS[name]!;
  throw unknownCommand(name);
}

function unknownCommand(name: string): UsageError {
  const suggestion = didYouMean(name, Object.keys(COMMANDS));
  return new UsageError(`Unknown command '${name}'.${suggestion || ' Run sightline help for the list.'}`, false);
}

async function helpCommand(argv: string[]): Promise<void> {
  const [name, ...more] = argv;
  if (name === undefined) return void process.stdout.write(OVERVIEW);
  if (more.length > 0) throw new UsageError('help takes one command name');
  process.stdout.write(usageOf(name, commandNamed(name)));
}

/** --help or -h before any `--` (after it, arguments are data). */
function asksForHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') return void process.stdout.write(OVERVIEW);
  if (name === '--version' || name === '-V') return printVersion();
  if (name.startsWith('-'))
    throw new UsageError(
      `Unknown option '${name}'.${didYouMean(name, ['--help', '--version']) || ' Options go after the command: sightline COMMAND --help.'}`,
      false,
    );
  const command = commandNamed(name);
  if (asksForHelp(rest)) return void process.stdout.write(usageOf(name, command));
  try {
    await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError && e.seeHelp) throw new UsageError(`${e.message.replace(/\.$/, '')} (see: sightline ${name} --help)`, false);
    throw e;
  }
}

/** One line on stderr for any failure; the stack only when SIGHTLINE_DEBUG asks for it. */
function fail(e: unknown): never {
  const debug = !!process.env['SIGHTLINE_DEBUG'] && process.env['SIGHTLINE_DEBUG'] !== '0';
  const err: Error = e instanceof Error ? e : new Error(String(e));
  const { code: errno, path: file } = err as NodeJS.ErrnoException;
  let line: string;
  let exitCode = 1;
  if (err instanceof CliError) {
    line = err.message;
    exitCode = err.exitCode;
  } else if (typeof file === 'string' && errno && /^E[A-Z]+$/.test(errno)) {
    line = fileProblem(err, file); // a file the command could not use: what and which, not the errno dump
  } else {
    line = `${err.message.split('\n')[0]}${debug ? '' : ' (unexpected; run with SIGHTLINE_DEBUG=1 for the stack)'}`;
  }
  process.stderr.write(`sightline: ${line.replace(/\s*\n\s*/g, ' ')}\n`);
  if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exit(exitCode);
}

// `sightline traces | head`: the reader left, which is no failure.
process.stdout.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(process.exitCode ?? 0) : fail(e)));
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
main(process.argv.slice(2)).catch(fail);
