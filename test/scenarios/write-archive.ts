/**
 * Writes a scenario as a gzipped OTLP JSON Lines archive in flat memory: lines are gathered
 * into ~16 MB chunks, each written as its own gzip member (concatenated members are one valid
 * gzip stream), synchronously, so the generator never outruns the disk. For the benchmarks'
 * big stores.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { generateScenario, type ScenarioOptions, type ScenarioTruth } from './inference-traffic.js';
import { jsonLinesSinks } from './jsonl-sinks.js';

const CHUNK_BYTES = 16 * 1024 * 1024;

export async function writeScenarioArchive(file: string, options: ScenarioOptions): Promise<ScenarioTruth> {
  const fd = fs.openSync(file, 'w');
  let chunk: string[] = [];
  let chunkBytes = 0;
  const flush = (): void => {
    if (chunk.length) fs.writeSync(fd, zlib.gzipSync(chunk.join(''), { level: 1 }));
    chunk = [];
    chunkBytes = 0;
  };
  try {
    const truth = await generateScenario(
      options,
      jsonLinesSinks((line) => {
        chunk.push(line + '\n');
        chunkBytes += line.length;
        if (chunkBytes > CHUNK_BYTES) flush();
      }),
    );
    flush();
    return truth;
  } finally {
    fs.closeSync(fd);
  }
}
