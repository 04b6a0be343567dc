/**
 * Memory stays bounded on big archives: a JSON Lines file larger than the memory ceiling
 * asserted here (a 2 GiB file by default, SIGHTLINE_TEST_BIG_MB to change) imports completely
 * with the import process's peak RSS under 400 MB.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { makeSpans } from '../bench/realistic-traces.js';
import { CLI, tempDir } from '../helpers/serve-process.js';

const FILE_MB = Number(process.env['SIGHTLINE_TEST_BIG_MB'] ?? 2048);
const RSS_CEILING_MB = 400;

test(`a ${FILE_MB} MB JSON Lines archive imports with peak RSS under ${RSS_CEILING_MB} MB`, async (t) => {
  const dir = tempDir('sightline-bigimport-');
  const file = path.join(dir, 'big.jsonl');
  // A template line with placeholders where the trace IDs go; each line gets fresh IDs.
  const spans = await makeSpans(60, 5);
  const ids = [...new Set(spans.map((s) => s.spanContext().traceId))];
  let template = Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString('utf8');
  ids.forEach((id, i) => (template = template.split(id).join(`@@${i}@@`)));
  const parts = template.split(/@@(\d+)@@/);
  const out = fs.openSync(file, 'w');
  let bytes = 0;
  let lines = 0;
  while (bytes < FILE_MB * 1048576) {
    const suffix = lines.toString(16).padStart(8, '0');
    let line = '';
    for (let i = 0; i < parts.length; i++) line += i % 2 === 0 ? parts[i] : ids[Number(parts[i])]!.slice(0, 24) + suffix;
    line += '\n';
    bytes += fs.writeSync(out, line);
    lines++;
  }
  fs.closeSync(out);

  const child = spawn(process.execPath, [CLI, 'import', file, '--db', path.join(dir, 'big.db'), '--json'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  let peakKb = 0;
  const timer = setInterval(() => {
    try {
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0));
    } catch {
      /* exited */
    }
  }, 50);
  const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? -1)));
  clearInterval(timer);
  fs.rmSync(file);
  assert.equal(code, 0);
  const summary = JSON.parse(stdout) as { totals: { spans: number; badRecords: number } };
  assert.equal(summary.totals.spans, lines * spans.length, 'every span imported');
  assert.equal(summary.totals.badRecords, 0);
  assert.ok(peakKb > 0, 'RSS was sampled');
  t.diagnostic(`import peak RSS ${Math.round(peakKb / 1024)} MB (ceiling ${RSS_CEILING_MB} MB)`);
  assert.ok(peakKb / 1024 < RSS_CEILING_MB, `peak RSS ${Math.round(peakKb / 1024)} MB for a ${Math.round(bytes / 1048576)} MB file`);
  fs.rmSync(dir, { recursive: true, force: true });
});
