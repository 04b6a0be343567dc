/**
 * Generates the incident demo archive with the scenario generator (build step; never
 * committed): two hours of a ranking model whose feature store slowed down, a recommender
 * whose GPU throttled, and a RAG assistant whose vector store timed out (answers lost their
 * grounding), as gzipped OTLP JSON Lines in dist/demo/.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { generateScenario } from '../test/scenarios/inference-traffic.js';
import { generateGenAiScenario } from '../test/scenarios/genai-traffic.js';
import { jsonLinesSinks } from '../test/scenarios/jsonl-sinks.js';
import { DEMO_FILE_NAME } from '../electron/core/demo/demo-archive.js';

const out = path.join('dist', 'demo', DEMO_FILE_NAME);
fs.mkdirSync(path.dirname(out), { recursive: true });
const lines: string[] = [];
const sinks = jsonLinesSinks((line) => lines.push(line));
// Fixed times, so the demo is the same on every machine: the story is what matters.
const startMs = Date.UTC(2026, 9, 14, 13, 0, 0);
await generateScenario({ scenario: 'storage-slowdown', model: 'ranker', startMs, seed: 2026 }, sinks);
await generateScenario({ scenario: 'gpu-throttle', model: 'recommender', startMs, seed: 2027 }, sinks);
await generateGenAiScenario({ scenario: 'rag-vector-slowdown', model: 'llama-3.1-8b-instruct', embedder: 'bge-small-en', startMs, seed: 2028 }, sinks);
fs.writeFileSync(out, zlib.gzipSync(lines.join('\n') + '\n'));
console.log(`demo archive: ${out} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB)`);
