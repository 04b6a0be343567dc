/**
 * npm run bench:import — `sightline import` of a large OTLP JSON Lines file (default 1 GiB;
 * BENCH_IMPORT_MB to change), plain and gzip. Prints MB/s, spans/s and the import process's
 * peak RSS, and the ratio to JSON.parse over the same lines in the same run (the floor any
 * JSON importer pays). The last line is one JSON object with the figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { makeSpans } from './realistic-traces.js';
import { CLI, tempDir } from '../helpers/serve-process.js';

const TARGET_BYTES = Number(process.env['BENCH_IMPORT_MB'] ?? 1024) * 1024 * 1024;

async function writeFile(file: string): Promise<{ lines: number; spans: number; bytes: number }> {
  const templates: { text: string; ids: string[]; spans: number }[] = [];
  for (let i = 0; i < 16; i++) {
    const spans = await makeSpans(60, i + 100);
    const text = Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString('utf8');
    templates.push({ text, ids: [...new Set(spans.map((s) => s.spanContext().traceId))], spans: spans.length });
  }
  const out = fs.createWriteStream(file);
  let bytes = 0;
  let lines = 0;
  let spans = 0;
  while (bytes < TARGET_BYTES) {
    const t = templates[lines % templates.length]!;
    // Fresh trace IDs per line: replace the last 8 hex digits of each.
    const suffix = lines.toString(16).padStart(8, '0');
    let text = t.text;
    for (const id of t.ids) text = text.split(id).join(id.slice(0, 24) + suffix);
    const line = text + '\n';
    bytes += Buffer.byteLength(line);
    lines++;
    spans += t.spans;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end();
  await new Promise<void>((r) => out.once('finish', () => r()));
  return { lines, spans, bytes };
}

function jsonParseRate(file: string): number {
  // Read in slices and parse line by line, as the importer must; only the parsing is timed.
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(64 * 1024 * 1024);
  let carry = '';
  let parsedBytes = 0;
  let ms = 0;
  for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) {
    const text = carry + buf.toString('utf8', 0, n);
    const lines = text.split('\n');
    carry = lines.pop()!;
    const t0 = performance.now();
    for (const l of lines) if (l) JSON.parse(l);
    ms += performance.now() - t0;
    parsedBytes += Buffer.byteLength(text) - Buffer.byteLength(carry);
  }
  fs.closeSync(fd);
  return parsedBytes / 1048576 / (ms / 1000);
}

async function runImport(file: string, db: string): Promise<{ seconds: number; peakRssMb: number; spans: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, 'import', file, '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  let peakKb = 0;
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      /* exited */
    }
  }, 100);
  const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? -1)));
  clearInterval(timer);
  if (code !== 0) throw new Error(`import failed with ${code}`);
  const summary = JSON.parse(stdout) as { totals: { spans: number } };
  return { seconds: (performance.now() - t0) / 1000, peakRssMb: peakKb / 1024, spans: summary.totals.spans };
}

async function main(): Promise<void> {
  const dir = tempDir('sightline-bench-import-');
  const plain = path.join(dir, 'big.jsonl');
  process.stderr.write(`bench:import: writing ${(TARGET_BYTES / 1048576).toFixed(0)} MB of OTLP JSON Lines…\n`);
  const made = await writeFile(plain);
  const gz = plain + '.gz';
  await pipeline(fs.createReadStream(plain), zlib.createGzip({ level: 6 }), fs.createWriteStream(gz));
  process.stderr.write('bench:import: JSON.parse over the same lines…\n');
  const parseMbps = jsonParseRate(plain);
  process.stderr.write('bench:import: importing plain…\n');
  const a = await runImport(plain, path.join(dir, 'a.db'));
  process.stderr.write('bench:import: importing gzip…\n');
  const b = await runImport(gz, path.join(dir, 'b.db'));
  const mb = made.bytes / 1048576;
  const result = {
    benchmark: 'import',
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    fileMb: Math.round(mb),
    gzipMb: Math.round(fs.statSync(gz).size / 1048576),
    spans: made.spans,
    plain: {
      seconds: Number(a.seconds.toFixed(1)),
      mbPerSecond: Number((mb / a.seconds).toFixed(1)),
      spansPerSecond: Math.round(a.spans / a.seconds),
      peakRssMb: Math.round(a.peakRssMb),
    },
    gzip: {
      seconds: Number(b.seconds.toFixed(1)),
      mbPerSecond: Number((mb / b.seconds).toFixed(1)),
      spansPerSecond: Math.round(b.spans / b.seconds),
      peakRssMb: Math.round(b.peakRssMb),
    },
    jsonParseMbPerSecond: Number(parseMbps.toFixed(1)),
    ratioToJsonParse: Number((mb / a.seconds / parseMbps).toFixed(2)),
  };
  if (a.spans !== made.spans || b.spans !== made.spans) throw new Error(`imported ${a.spans}/${b.spans} of ${made.spans} spans`);
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`file:              ${result.fileMb} MB (${result.gzipMb} MB gzip), ${result.spans.toLocaleString()} spans`);
  console.log(
    `import plain:      ${result.plain.mbPerSecond} MB/s, ${result.plain.spansPerSecond.toLocaleString()} spans/s, peak RSS ${result.plain.peakRssMb} MB`,
  );
  console.log(
    `import gzip:       ${result.gzip.mbPerSecond} MB/s (uncompressed), ${result.gzip.spansPerSecond.toLocaleString()} spans/s, peak RSS ${result.gzip.peakRssMb} MB`,
  );
  console.log(`JSON.parse alone:  ${result.jsonParseMbPerSecond} MB/s → ratio ${result.ratioToJsonParse}`);
  console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
