/**
 * The `sightline` command line. Each command is a small module; errors print one line on
 * stderr and exit non-zero.
 */
import { serveCommand, SERVE_USAGE } from './commands/serve.js';
import { datasetsCommand, statsCommand, traceCommand, tracesCommand } from './commands/query.js';
import { CliError } from './cli-error.js';
import { importCommand } from './commands/import.js';
import { exportCommand } from './commands/export.js';
import { startCommand } from './commands/start.js';
import { remoteCommand, REMOTE_USAGE } from './commands/remote.js';
import { analyzeCommand, ANALYZE_USAGE } from './commands/analyze.js';
import { demoCommand } from './commands/demo.js';
import { reportCommand, REPORT_USAGE } from './commands/report.js';
import { verifyCommand, VERIFY_USAGE } from './commands/verify.js';

const USAGE = `Sightline: trace analysis for AI systems.

Usage:
  ${SERVE_USAGE}
  sightline start [serve options]        the app: desktop window, or browser mode (npm start)
  sightline open FILE… [serve options]   the app on those archives
  sightline stats  [--db PATH] [--dataset NAME] [--json]
  sightline traces [--db PATH] [--dataset NAME] [--service S] [--limit N] [--json]
  sightline trace  [--db PATH] [--dataset NAME] TRACE_ID [--json]
  sightline datasets [--db PATH] [--json]            list datasets (live and imports)
  sightline datasets delete NAME [--db PATH]
  sightline import FILE… [--db PATH] [--dataset NAME] [--json]
      OTLP JSON, OTLP JSON Lines, OTLP protobuf (single or length-prefixed stream),
      Jaeger JSON, Zipkin v2 JSON; plain, gzip or zstd; detected from the content.
  sightline export --out FILE.jsonl[.gz] [--db PATH] [--dataset NAME] [--service S]
                   [--from T] [--to T] [--trace ID]… [--json]
      traces as OTLP JSON Lines (what the Collector's otlpjsonfile receiver reads).
  ${REMOTE_USAGE}
  ${ANALYZE_USAGE}
  sightline demo [--db PATH]             load the generated incident demo and analyse it
  ${REPORT_USAGE}
  ${VERIFY_USAGE}

Without --db the store is the one in the app-data folder, shared with the desktop app.
The receivers write the "live" dataset; each import goes into a dataset of its own
(named after the first file unless --dataset is given). traces and trace read "live"
unless --dataset is given (trace falls back to an import); stats counts everything.
`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serveCommand(rest);
    case 'stats':
      return statsCommand(rest);
    case 'traces':
      return tracesCommand(rest);
    case 'trace':
      return traceCommand(rest);
    case 'import':
      return importCommand(rest);
    case 'datasets':
      return datasetsCommand(rest);
    case 'export':
      return exportCommand(rest);
    case 'start':
      return startCommand(rest, { requireFiles: false });
    case 'open':
      return startCommand(rest, { requireFiles: true });
    case 'report':
      return reportCommand(rest);
    case 'verify':
      return verifyCommand(rest);
    case 'demo':
      return demoCommand(rest);
    case 'analyze':
      return analyzeCommand(rest);
    case 'remote':
      return remoteCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      throw new CliError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof CliError) {
    process.stderr.write(`sightline: ${e.message}\n`);
    process.exit(e.exitCode);
  }
  const err = e as Error & { code?: string };
  process.stderr.write(`sightline: ${err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? err.message : (err.stack ?? String(e))}\n`);
  process.exit(1);
});
